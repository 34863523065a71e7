import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rowSlots } from '@/components/data/row-slots';

const page = (ids: string[], previous: ReadonlyMap<string, number> = new Map()) => rowSlots(ids, previous);

describe('rowSlots (table rows recycled across searches)', () => {
  it('numbers a first page in order', () => {
    expect([...page(['a', 'b', 'c'])]).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
    ]);
  });

  it('keeps the slot of a row still on the page, and gives a new row the slot of one that left, in page order', () => {
    const first = page(['a', 'b', 'c', 'd']);
    // b and d left; x and y are new: they take b's and d's slots, in the order those were shown.
    const second = page(['a', 'x', 'c', 'y'], first);
    expect([...second]).toEqual([
      ['a', 0],
      ['x', 1],
      ['c', 2],
      ['y', 3],
    ]);
    // A page with nothing in common reuses every slot: no row element is created or removed.
    expect(new Set(page(['p', 'q', 'r', 's'], second).values())).toEqual(new Set([0, 1, 2, 3]));
  });

  it('adds slots only when the page grows, past every slot in use', () => {
    const first = page(['a', 'b']);
    const second = page(['b', 'c', 'd'], first);
    expect(second.get('b')).toBe(1);
    expect(second.get('c')).toBe(0);
    expect(second.get('d')).toBe(2);
  });

  it('gives every row of a page its own slot, keeps each kept row\'s slot, and uses no more slots than rows (property)', () => {
    const ids = fc.uniqueArray(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split('')), { maxLength: 12 });
    fc.assert(
      fc.property(fc.array(ids, { minLength: 1, maxLength: 6 }), (pages) => {
        let previous: ReadonlyMap<string, number> = new Map();
        let most = 0;
        for (const ids of pages) {
          const slots = rowSlots(ids, previous);
          expect([...slots.keys()]).toEqual(ids);
          expect(new Set(slots.values()).size).toBe(ids.length);
          for (const id of ids) if (previous.has(id)) expect(slots.get(id)).toBe(previous.get(id));
          most = Math.max(most, ids.length);
          for (const slot of slots.values()) expect(slot).toBeLessThan(most);
          previous = slots;
        }
      }),
    );
  });
});
