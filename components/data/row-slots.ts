/**
 * Keys for a table's body rows that recycle the rows of the last page shown. A row still on the
 * page keeps its key (so its element stays, and a memoized row skips its render); a row new to the
 * page takes the key of a row that left, in the order those rows were shown, so React updates that
 * row's cells in place instead of removing one row of elements and creating another. On a list
 * search, every keystroke changes most of the page: updating text is much cheaper than creating
 * and styling a few hundred new elements and discarding as many.
 *
 * `previous` is the last committed page's keys by row id, in page order; the answer has the same shape.
 */
export function rowSlots(ids: readonly string[], previous: ReadonlyMap<string, number>): Map<string, number> {
  const kept = new Set<number>();
  for (const id of ids) {
    const slot = previous.get(id);
    if (slot !== undefined) kept.add(slot);
  }
  const free = [...previous.values()].filter((slot) => !kept.has(slot));
  const taken = new Set(kept);
  let fresh = 0;
  const slots = new Map<string, number>();
  for (const id of ids) {
    if (slots.has(id)) continue;
    let slot = previous.get(id) ?? free.shift();
    if (slot === undefined) {
      // A page longer than the last: the smallest slot not in use.
      while (taken.has(fresh)) fresh += 1;
      slot = fresh;
    }
    taken.add(slot);
    slots.set(id, slot);
  }
  return slots;
}
