/**
 * Rows in the first paint, and no second fetch: each page arrives with its data in the HTML, and
 * hydrating it makes no call for the same data (the server's reads are SWR seeds under the very
 * keys the hooks use). Interaction still fetches as before.
 */
import { knownValues } from '../../sandbox/profiles/known-values';
import { expect, test } from './support';

const known = knownValues();
const DATA_CALL = /\/api\/(wellview|events|meti|targets)\//;

const pages = [
  { path: '/wells', ready: 'main table tbody tr' },
  { path: '/wells?sort=operator&dir=desc&page=2', ready: 'main table tbody tr' },
  { path: '/events', ready: 'main table tbody tr' },
  { path: '/events?when=past&page=2', ready: 'main table tbody tr' },
  { path: '/sources', ready: 'main table tbody tr' },
  { path: `/sources?methodology=${encodeURIComponent(known.source.methodology)}`, ready: 'main table tbody tr' },
  { path: '/', ready: '[data-testid="wells-connection"]:text("Connected")' },
  { path: `/wells/${encodeURIComponent(known.well.id)}`, ready: `main h1:text("${known.well.name}")` },
  { path: `/sources/${encodeURIComponent(known.source.id)}`, ready: 'main h1' },
  { path: `/events/${encodeURIComponent(known.event.id)}`, ready: 'main h1' },
];

for (const { path, ready } of pages) {
  test(`${path}: data in the first paint, and hydration fetches none of it again`, async ({ page }) => {
    const calls: string[] = [];
    page.on('request', (request) => {
      if (DATA_CALL.test(new URL(request.url()).pathname)) calls.push(request.url());
    });
    await page.goto(path, { waitUntil: 'networkidle' });
    await expect(page.locator(ready).first()).toBeVisible();
    // Hydrated: React has attached (a sort header or link reacts), and still no data call.
    await page.waitForTimeout(500);
    expect(calls).toEqual([]);
  });
}

test('after the first paint, a change of view fetches as before', async ({ page }) => {
  await page.goto('/events', { waitUntil: 'networkidle' });
  const next = page.waitForRequest((request) => request.url().includes('/api/events/'));
  await page.getByText('Past', { exact: true }).click();
  await next;
  await expect(page.getByRole('radio', { name: 'Past' })).toBeChecked();
  await expect(page.getByRole('table', { name: 'Past events' }).locator('tbody tr').first()).toBeVisible();
});
