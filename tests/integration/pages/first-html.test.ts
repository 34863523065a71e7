/**
 * Rows in the first HTML: each page, fetched as a plain document (no JavaScript) with the session
 * cookie, already holds its first data, read on the server through the gateway; a signed-out
 * visitor, or a copy of a signed-out cookie, is sent to sign in and gets no row.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USERS, WELLVIEW_TARGET } from '../../../sandbox/defaults';
import { knownValues } from '../../../sandbox/profiles/known-values';
import { signIn, TestBrowser } from '../../helpers/browser';
import { providerCalls, startStack, type Stack } from '../../helpers/stack';
import { sortRows } from '@/lib/sort';

const [, ben] = DEMO_USERS as [(typeof DEMO_USERS)[number], (typeof DEMO_USERS)[number]];
const WELLS = `/api/wellview/${WELLVIEW_TARGET.orgUnit}/${WELLVIEW_TARGET.app}/${WELLVIEW_TARGET.version}/wellheader/data?limit=5000&offset=0`;
const known = knownValues();
let stack: Stack;
let app: string;
let browser: TestBrowser;

/** Text as React writes it into HTML. */
const html = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** The rendered table rows (not the RSC payload): the markup between `<tbody` and `</tbody>`. */
const tableBody = (page: string) => /<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(page)?.[1] ?? '';

beforeAll(async () => {
  stack = await startStack();
  app = stack.app.url;
  browser = (await signIn(app, ben)).browser;
});
afterAll(async () => stack?.stop());
beforeEach(async () => {
  await stack.reset();
  await stack.fault({ provider: 'wellview', rateLimitPerSecond: 100000 });
});

describe('the first HTML of a signed-in page', () => {
  it('/wells holds the first wells by name, read with one /user and one well-header call', async () => {
    const list = (await browser.api(`${app}${WELLS}`)).json<{ wellname: string }[]>();
    const firstByName = sortRows(list, (row) => row.wellname, 'asc').slice(0, 3).map((row) => row.wellname);
    await stack.reset();
    const page = await browser.request(`${app}/wells`);
    expect(page.status).toBe(200);
    const rows = tableBody(page.text);
    expect((rows.match(/<tr/g) ?? []).length).toBe(50);
    for (const name of firstByName) expect(rows).toContain(html(name));
    // Discovery and the list, once each; the cache is off in this stack.
    expect(providerCalls(await stack.stats(), 'wellview')).toBe(2);
  });

  it('/wells honours the URL: search, sort and page', async () => {
    const page = await browser.request(`${app}/wells?q=${encodeURIComponent(known.well.name)}`);
    const rows = tableBody(page.text);
    expect(rows).toContain(html(known.well.name));
    expect((rows.match(/<tr/g) ?? []).length).toBeLessThan(50);
  });

  it('/events holds the first page of upcoming events, and the page in the URL', async () => {
    const body = JSON.stringify({ PageNumber: 1, PageSize: 25, OnlyUpcoming: true });
    const list = (
      await browser.api(`${app}/api/events/api/1.0/event/list`, { method: 'POST', headers: { 'content-type': 'application/json', origin: app }, body })
    ).json<{ data: { name: string }[]; totalCount: number }>();
    const page = await browser.request(`${app}/events`);
    expect(page.status).toBe(200);
    const rows = tableBody(page.text);
    expect((rows.match(/<tr/g) ?? []).length).toBe(Math.min(25, list.totalCount));
    expect(rows).toContain(html((list.data[0] as { name: string }).name));

    const past = tableBody((await browser.request(`${app}/events?when=past&page=2`)).text);
    expect((past.match(/<tr/g) ?? []).length).toBeGreaterThan(0);
    expect(past).not.toContain(html((list.data[0] as { name: string }).name));
  });

  it('/sources holds the first sources, and the methodology in the URL', async () => {
    const page = await browser.request(`${app}/sources`);
    expect(page.status).toBe(200);
    expect((tableBody(page.text).match(/<tr/g) ?? []).length).toBe(25);
    const filtered = tableBody((await browser.request(`${app}/sources?methodology=${encodeURIComponent(known.source.methodology)}&q=${encodeURIComponent(known.source.name)}`)).text);
    expect(filtered).toContain(html(known.source.name));
  });

  it('the overview holds each card count', async () => {
    const page = await browser.request(`${app}/`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`>${known.counts.visibleWells.toLocaleString('en-US')}<`);
    expect(page.text).toContain(`>${known.counts.sources.toLocaleString('en-US')}<`);
  });

  it('detail pages hold their record', async () => {
    expect((await browser.request(`${app}/wells/${encodeURIComponent(known.well.id)}`)).text).toContain(`>${html(known.well.name)}</h1>`);
    expect((await browser.request(`${app}/sources/${encodeURIComponent(known.source.id)}`)).text).toContain(`>${html(known.source.name)}</h1>`);
    expect((await browser.request(`${app}/events/${encodeURIComponent(known.event.id)}`)).text).toContain(`>${html(known.event.name)}</h1>`);
  });

  it('a page whose provider is down still answers 200, without rows, for the browser to fetch and show its error', async () => {
    await stack.fault({ provider: 'meti', down: true });
    const page = await browser.request(`${app}/sources`);
    expect(page.status).toBe(200);
    expect(tableBody(page.text)).toBe('');
    expect(page.text).toContain('Emission sources');
  });
});

describe('no rows for anyone else', () => {
  const pages = ['/', '/wells', '/events', '/sources', `/wells/${encodeURIComponent(known.well.id)}`, `/sources/${encodeURIComponent(known.source.id)}`];

  it.each(pages)('%s without a cookie: sent to sign in, no data', async (path) => {
    const page = await new TestBrowser().request(`${app}${path}`);
    expect(page.status).toBe(307);
    expect(page.headers.get('location')).toContain('/login');
    expect(page.text).not.toContain(html(known.well.name));
    expect(page.text).not.toContain(html(known.source.name));
  });

  it('a copy of a signed-out cookie is sent to sign in, and nothing is read upstream', async () => {
    const { browser: other } = await signIn(app, ben);
    const copy = new TestBrowser(other.jar.clone());
    const out = await other.request(`${app}/api/auth/logout`, { method: 'POST', csrf: true, headers: { origin: app } });
    expect(out.status).toBeLessThan(400);
    await stack.reset();
    for (const path of pages) {
      const page = await copy.request(`${app}${path}`);
      expect(page.status).toBe(307);
      expect(page.headers.get('location')).toContain('/login');
      expect(page.text).not.toContain(html(known.well.name));
      expect(page.text).not.toContain(html(known.source.name));
    }
    const stats = await stack.stats();
    expect(providerCalls(stats, 'wellview') + providerCalls(stats, 'meti') + providerCalls(stats, 'events')).toBe(0);
  });
});
