/**
 * The WellView client the pages use: where the wells are (server-side discovery), every well
 * header (all pages), one well. Runs in the browser through the gateway; no component builds a
 * WellView URL or reads `/user` itself.
 */
import { GatewayError, answerError, gatewayFetch } from '@/lib/client/gateway-client';
import { UpstreamAnswerError } from '@/lib/upstreams/shared/answer';
import { unwrapRecord } from '@/lib/upstreams/shared/envelope';
import { scalarFields } from '@/lib/upstreams/shared/field-map';
import { fetchAllGatewayPages, nextPageUrl } from '@/lib/upstreams/shared/paging';
import type { UpstreamClientSettings } from '@/lib/upstreams/shared/settings';
import type { TargetDiscovery, WellviewTarget } from '@/lib/upstreams/wellview/target';
import { targetDiscoveryUrl, WELLVIEW_PAGE_LIMIT, wellListUrl, wellUrl } from '@/lib/upstreams/wellview/urls';
import { toWellRow, toWellRows, wellMapping, type WellRow } from '@/lib/upstreams/wellview/wells';

/** Asks the server where this user's wells are; `chosen` is the user's pick, if any. */
export async function fetchWellviewTarget(chosen?: string | null): Promise<TargetDiscovery> {
  const answer = await gatewayFetch<unknown>(targetDiscoveryUrl(chosen));
  const status = (answer as { status?: unknown } | null)?.status;
  if (status !== 'resolved' && status !== 'choose' && status !== 'none') {
    throw new GatewayError(
      'The dashboard answered the WellView target lookup in an unexpected form.',
      502,
      'UNEXPECTED_SHAPE',
      null,
    );
  }
  return answer as TargetDiscovery;
}

export interface WellList {
  rows: WellRow[];
  /** Every scalar field path the records have, for the column chooser. */
  fields: string[];
  /** Why not every page was read, when not. */
  incomplete: string | null;
}

function offsetOf(url: string): number {
  return Number(new URL(url, 'http://gateway.invalid').searchParams.get('offset') ?? 0) || 0;
}

/** Every well header record as received, and why not every page was read (when not). */
export interface WellRecords {
  records: unknown[];
  incomplete: string | null;
}

/** The list the pages use, made from the records as received (the server hands these to the browser). */
export function wellListFromRecords(list: WellRecords, settings: Pick<UpstreamClientSettings, 'fieldMap'>): WellList {
  return {
    rows: toWellRows(list.records, settings.fieldMap),
    fields: scalarFields(list.records),
    incomplete: list.incomplete,
  };
}

/**
 * Every well header record at `target`, as received, following whatever paging the answer uses
 * (WellView's own `limit`/`offset` on bare arrays, or an envelope's links, cursors or page numbers).
 */
export async function fetchWellRecords(target: WellviewTarget, settings: UpstreamClientSettings): Promise<WellRecords> {
  try {
    const all = await fetchAllGatewayPages(
      wellListUrl(target),
      (url) => gatewayFetch<unknown>(url),
      settings,
      {
        source: 'WellView',
        // A bare array says nothing about paging: a full page means there may be more.
        implicitNext: (current, page) =>
          page.records.length >= WELLVIEW_PAGE_LIMIT
            ? nextPageUrl(
                current,
                { kind: 'offset', offset: offsetOf(current) + page.records.length, param: 'offset' },
                settings,
              )
            : null,
      },
    );
    return { records: all.records, incomplete: all.incomplete };
  } catch (error) {
    throw error instanceof UpstreamAnswerError ? answerError(error) : error;
  }
}

/** Every well header at `target` (all pages), as the list shows them. */
export async function fetchWells(target: WellviewTarget, settings: UpstreamClientSettings): Promise<WellList> {
  return wellListFromRecords(await fetchWellRecords(target, settings), settings);
}

/** One well by id, whatever envelope the answer uses. */
export async function fetchWell(
  target: WellviewTarget,
  id: string,
  settings: UpstreamClientSettings,
): Promise<WellRow> {
  const body = await gatewayFetch<unknown>(wellUrl(target, id));
  try {
    return toWellRow(unwrapRecord(body, 'WellView'), 0, wellMapping(settings.fieldMap));
  } catch (error) {
    throw error instanceof UpstreamAnswerError ? answerError(error) : error;
  }
}
