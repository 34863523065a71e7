/**
 * The SWR keys of the data sets the pages read, in one place: the hooks fetch under them, and
 * the server seeds them with what it read while rendering (`lib/server-data/`), so the browser
 * finds the data under exactly the key it would have fetched and does not fetch it again.
 * Pure and isomorphic.
 */
import type { EventsClientSettings } from '@/lib/upstreams/events/client';
import type { EventsWhen, SortDirection } from '@/lib/upstreams/events/views';
import type { MetiClientSettings } from '@/lib/upstreams/meti/client';
import type { UpstreamClientSettings } from '@/lib/upstreams/shared/settings';
import type { WellviewTarget } from '@/lib/upstreams/wellview/target';

/** WellView target discovery, for the user's pick (`?target=` or their stored preference). */
export function wellviewTargetKey(chosen: string | null) {
  return ['wellview-target', chosen] as const;
}

/** Every well header at a target. */
export function wellsKey(target: Pick<WellviewTarget, 'path'>, settings: Pick<UpstreamClientSettings, 'fieldMap'>) {
  return ['wellview-wells', target.path, settings.fieldMap] as const;
}

/** The overview's wells card: the summary of every well header at a target. */
export function wellsCardKey(target: Pick<WellviewTarget, 'path'>, settings: Pick<UpstreamClientSettings, 'fieldMap'>) {
  return ['wellview-wells-card', target.path, settings.fieldMap] as const;
}

/** One well. */
export function wellKey(target: Pick<WellviewTarget, 'path'>, id: string, settings: Pick<UpstreamClientSettings, 'fieldMap'>) {
  return ['wellview-well', target.path, id, settings.fieldMap] as const;
}

/** The view of the events list a page shows. */
export interface EventsPageView {
  when: EventsWhen;
  direction: SortDirection;
  search: string;
  page: number;
  size: number;
}

/** One page of the events list. */
export function eventsPageKey(settings: Pick<EventsClientSettings, 'gatewayPrefix' | 'apiVersion'>, view: EventsPageView) {
  return ['events-page', settings.gatewayPrefix, settings.apiVersion, view.when, view.direction, view.search, view.page, view.size] as const;
}

/** The overview's events card: the summary of the first 100 upcoming events (`lib/upstreams/overview.ts`). */
export function eventsCardKey(settings: Pick<EventsClientSettings, 'gatewayPrefix' | 'apiVersion'>) {
  return ['events-card', settings.gatewayPrefix, settings.apiVersion] as const;
}

/** The overview card's view of the events list. */
export const EVENTS_CARD_VIEW = { when: 'upcoming', direction: 'asc', page: 1, size: 100 } as const;

/** One event. */
export function eventKey(settings: Pick<EventsClientSettings, 'gatewayPrefix' | 'apiVersion'>, id: string) {
  return ['event', settings.gatewayPrefix, settings.apiVersion, id] as const;
}

/** Every METI source, or those of one methodology (METI's own filter); '' for all. */
export function sourcesKey(settings: Pick<MetiClientSettings, 'gatewayPrefix'>, methodology: string) {
  return ['meti-sources', settings.gatewayPrefix, methodology] as const;
}

/** The overview's sources card: the summary of every METI source. */
export function sourcesCardKey(settings: Pick<MetiClientSettings, 'gatewayPrefix' | 'fieldMap'>) {
  return ['meti-sources-card', settings.gatewayPrefix, settings.fieldMap] as const;
}

/** One METI source. */
export function sourceKey(settings: Pick<MetiClientSettings, 'gatewayPrefix'>, id: string) {
  return ['meti-source', settings.gatewayPrefix, id] as const;
}
