import { expect, sandboxWells, screenshot, test } from './support';

/**
 * The wells map: outlines drawn from the bundled atlas, the filtered wells placed on it, groups
 * that zoom on Enter, wells that open their page on Enter, and a table as the text alternative.
 */
test.describe('wells map', () => {
  const { visible } = sandboxWells();
  const byId = new Map(visible.map((well) => [well.idwell, well]));

  test('draws state outlines, follows the search, and opens a well from the keyboard', async ({ page }) => {
    await page.goto('/wells');
    const map = page.getByRole('figure', { name: /^Map of/ });
    await expect(map.getByTestId('wells-map-count')).toContainText(`Map of ${visible.length} filtered wells`);
    // Outlines come from the bundled atlas, loaded when the map nears the viewport: a real path, not an empty one.
    await map.scrollIntoViewIfNeeded();
    await expect(map.locator('path[data-outline="states"]')).toHaveAttribute('d', /^M[\d.-]+,?[\d.-]/);
    expect(((await map.locator('path[data-outline="states"]').getAttribute('d')) ?? '').length).toBeGreaterThan(500);
    await screenshot(page, 'wells-map');

    // 600 wells in eight basins: grouped, far fewer marks than wells, every group a focusable button.
    const groups = map.getByRole('button', { name: /wells \(.*\): (zoom in|list them)/ });
    const links = map.locator('svg a');
    expect((await groups.count()) + (await links.count())).toBeLessThan(visible.length / 2);

    // Enter on a group zooms in; repeat until single wells show, then Enter on one opens its page.
    for (let attempt = 0; attempt < 6 && (await links.count()) === 0; attempt += 1) {
      const group = groups.first();
      await group.focus();
      await expect(group).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(map.getByRole('button', { name: /^Show all \d+ wells$/ })).toBeVisible();
    }
    const point = links.first();
    await point.focus();
    await expect(point).toBeFocused();
    const href = (await point.getAttribute('href')) ?? '';
    const id = decodeURIComponent(href.replace(/^\/wells\//, ''));
    const well = byId.get(id);
    expect(well, `the map links to a visible well (${href})`).toBeDefined();
    await expect(point).toHaveAccessibleName(String(well?.wellname));
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(`/wells/${encodeURIComponent(id)}`);
    await expect(page.getByRole('heading', { level: 1, name: String(well?.wellname) })).toBeVisible();
  });

  test('shows only the filtered wells, with a table of them as the text alternative', async ({ page }) => {
    const target = visible.find((well) => typeof well.latitude === 'number') ?? visible[0];
    const name = String(target?.wellname);
    const matching = visible.filter((well) =>
      [well.wellname, well.wellida, well.operator, well.fieldname].some((value) => String(value ?? '').toLowerCase().includes(name.toLowerCase())),
    );
    await page.goto(`/wells?q=${encodeURIComponent(name)}`);
    const map = page.getByRole('figure', { name: /^Map of/ });
    await expect(map.getByTestId('wells-map-count')).toContainText(`Map of ${matching.length} filtered wells`);
    await map.getByText('List the wells on the map').click();
    const list = map.getByRole('table', { name: 'Wells on the map' });
    await expect(list.locator('tbody tr')).toHaveCount(Math.min(matching.length, 100));
    await expect(list.getByRole('link', { name, exact: true }).first()).toHaveAttribute('href', `/wells/${encodeURIComponent(String(target?.idwell))}`);
  });
});
