/**
 * Following pages: from the {@link NextPage} an upstream gave to the next gateway URL, and a loop
 * that reads every page (CSV export, lists that filter in the browser) with a page cap and loop
 * protection. Pure and isomorphic: the fetch itself is passed in.
 */
import { UpstreamAnswerError } from '@/lib/upstreams/shared/answer';
import { unwrapEnvelope, type NextPage, type Page } from '@/lib/upstreams/shared/envelope';

/** Where an upstream lives and where the gateway exposes it, to translate its next links. */
export interface GatewayMount {
  /** The dashboard path that proxies the upstream, e.g. `/api/wellview`. */
  gatewayPrefix: string;
  /** The upstream's base URL, e.g. `https://api.peloton.com/wellview/v1`. */
  upstreamBaseUrl: string;
}

const PAGE_PARAMS = [
  'page',
  'pageNumber',
  'page_number',
  'pageNo',
  'p',
  'pageIndex',
  'page_index',
  'currentPage',
];
const CURSOR_PARAMS = [
  'cursor',
  'after',
  'pageToken',
  'page_token',
  'continuationToken',
  'continuation',
  'starting_after',
  'next_cursor',
  'nextCursor',
  'token',
];
const OFFSET_PARAMS = ['offset', 'skip', '$skip', 'start', 'startIndex', 'from'];

function paramFor(
  search: URLSearchParams,
  known: readonly string[],
  hinted: string | undefined,
  fallback: string,
): string {
  return known.find((name) => search.has(name)) ?? hinted ?? fallback;
}

/**
 * Turns an upstream's absolute (or relative) next link into a gateway path, but only when it
 * lies under the upstream's base URL; a link elsewhere is refused with an
 * {@link UpstreamAnswerError}, because following it would send the user's token off-site.
 */
export function linkToGatewayPath(href: string, currentGatewayUrl: string, mount: GatewayMount): string {
  const base = new URL(mount.upstreamBaseUrl.replace(/\/+$/, '') + '/');
  const prefix = mount.gatewayPrefix.replace(/\/+$/, '');
  const current = new URL(currentGatewayUrl, 'http://gateway.invalid');
  const currentUpstream = current.pathname.startsWith(`${prefix}/`)
    ? new URL(current.pathname.slice(prefix.length + 1) + current.search, base)
    : base;
  let target: URL;
  try {
    target = new URL(href, currentUpstream);
  } catch {
    throw new UpstreamAnswerError(
      'PAGING_STOPPED',
      `The next-page link "${href.slice(0, 120)}" is not a valid URL; paging stopped.`,
    );
  }
  const under = target.pathname.startsWith(base.pathname) || `${target.pathname}/` === base.pathname;
  if (target.origin !== base.origin || !under) {
    throw new UpstreamAnswerError(
      'PAGING_STOPPED',
      `The next-page link points outside the API's base URL (${target.origin}${target.pathname}); paging stopped rather than send credentials there.`,
    );
  }
  const rest =
    target.pathname.length >= base.pathname.length ? target.pathname.slice(base.pathname.length) : '';
  return `${prefix}/${rest}${target.search}`;
}

/** The gateway URL of the page after `currentGatewayUrl`, following the upstream's own scheme. */
export function nextPageUrl(currentGatewayUrl: string, next: NextPage, mount: GatewayMount): string {
  if (next.kind === 'link') return linkToGatewayPath(next.href, currentGatewayUrl, mount);
  const url = new URL(currentGatewayUrl, 'http://gateway.invalid');
  const search = url.searchParams;
  if (next.kind === 'page') search.set(paramFor(search, PAGE_PARAMS, next.param, 'page'), String(next.page));
  else if (next.kind === 'cursor')
    search.set(paramFor(search, CURSOR_PARAMS, next.param, 'cursor'), next.cursor);
  else search.set(paramFor(search, OFFSET_PARAMS, next.param, 'offset'), String(next.offset));
  return `${url.pathname}${url.search}`;
}

export interface AllPages {
  records: unknown[];
  total: number | null;
  pages: number;
  /** Why reading stopped before the last page, in words; null when every page was read. */
  incomplete: string | null;
}

export interface FetchAllOptions<R> {
  /** The first request (a gateway URL, or a URL and body for a POST query). */
  first: R;
  /** Reads one page's raw body. */
  fetchPage: (request: R) => Promise<unknown>;
  /** The request for `next` after `current`; null when it cannot be followed. */
  nextRequest: (current: R, next: NextPage, page: Page) => R | null;
  /** For answers that carry no paging at all (a bare array): the next request, if the page was full. */
  implicitNext?: (current: R, page: Page) => R | null;
  /** Stop after this many pages (default 200). */
  maxPages?: number;
  /** Names the API in messages. */
  source?: string;
}

/**
 * Reads every page: follows links, cursors, page numbers or offsets until there is no next page,
 * a page is empty, the same next page comes twice (a loop), or `maxPages` is reached. Records
 * read so far are kept in every case; `incomplete` says why reading stopped early.
 */
export async function fetchAllPages<R>(options: FetchAllOptions<R>): Promise<AllPages> {
  const maxPages = options.maxPages ?? 200;
  const source = options.source ?? 'The provider';
  const records: unknown[] = [];
  const seen = new Set<string>();
  let request: R | null = options.first;
  let total: number | null = null;
  let pages = 0;
  seen.add(JSON.stringify(request));
  while (request !== null) {
    const page = unwrapEnvelope(await options.fetchPage(request), source);
    pages += 1;
    records.push(...page.records);
    total ??= page.total;
    if (page.records.length === 0) break;
    let following: R | null;
    try {
      following = page.next
        ? options.nextRequest(request, page.next, page)
        : (options.implicitNext?.(request, page) ?? null);
    } catch (error) {
      if (error instanceof UpstreamAnswerError) return { records, total, pages, incomplete: error.message };
      throw error;
    }
    if (following === null) break;
    const key = JSON.stringify(following);
    if (seen.has(key))
      return {
        records,
        total,
        pages,
        incomplete: `${source} sent the same next page twice; paging stopped after ${pages} pages.`,
      };
    if (pages >= maxPages)
      return {
        records,
        total,
        pages,
        incomplete: `Stopped after ${maxPages} pages (${records.length} records).`,
      };
    seen.add(key);
    request = following;
  }
  return { records, total, pages, incomplete: null };
}

/** {@link fetchAllPages} for GET lists through the gateway: requests are gateway URLs. */
export function fetchAllGatewayPages(
  firstUrl: string,
  fetchJson: (url: string) => Promise<unknown>,
  mount: GatewayMount,
  options: Pick<FetchAllOptions<string>, 'implicitNext' | 'maxPages' | 'source'> = {},
): Promise<AllPages> {
  return fetchAllPages<string>({
    first: firstUrl,
    fetchPage: fetchJson,
    nextRequest: (current, next) => nextPageUrl(current, next, mount),
    ...options,
  });
}
