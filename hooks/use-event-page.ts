'use client';

import { useGatewayLoader } from '@/hooks/use-gateway';
import { eventsPageKey } from '@/lib/upstreams/data-keys';
import type { EventsClientSettings } from '@/lib/upstreams/events/client';
import { loadEventPage, type EventPage, type EventsWhen, type SortDirection } from '@/lib/upstreams/events/views';

export type { EventPage, EventsWhen, SortDirection };

/** One page of the events list, upcoming or past, oldest or newest first (see `lib/upstreams/events/views.ts`). */
export function useEventPage(
  settings: EventsClientSettings,
  view: { when: EventsWhen; direction: SortDirection; search: string; page: number; size: number },
) {
  return useGatewayLoader<EventPage>(
    eventsPageKey(settings, view),
    () => loadEventPage({ settings, search: view.search }, view),
  );
}
