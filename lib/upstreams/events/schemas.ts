import { z } from 'zod';

/** Engagifii events as the pages use them; unknown fields are kept. */
export const eventSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  name: z.string().nullish(),
  description: z.string().nullish(),
  startDate: z.string().nullish(),
  endDate: z.string().nullish(),
  timeZone: z.string().nullish(),
  venue: z.looseObject({ name: z.string().nullish(), city: z.string().nullish(), state: z.string().nullish() }).nullish(),
  isVirtual: z.boolean().nullish(),
  category: z.string().nullish(),
  status: z.string().nullish(),
  capacity: z.number().nullish(),
  registrations: z.number().nullish(),
});
export type EventRecord = z.infer<typeof eventSchema>;

export const eventListSchema = z.object({ data: z.array(z.unknown()), totalCount: z.number() });

export interface EventRow {
  event: EventRecord;
  malformed: string | null;
}

export function toEventRows(raw: unknown[]): EventRow[] {
  return raw.map((item, index) => {
    const parsed = eventSchema.safeParse(item);
    if (parsed.success) return { event: parsed.data, malformed: null };
    const fallback = (typeof item === 'object' && item ? item : {}) as Record<string, unknown>;
    return { event: { ...fallback, id: String(fallback.id ?? `malformed-${index}`) } as EventRecord, malformed: 'malformed record' };
  });
}

/** The body of an event-list query. */
export function eventListQuery(options: { page: number; pageSize: number; upcoming: boolean; search: string }): string {
  return JSON.stringify({
    PageNumber: options.page,
    PageSize: options.pageSize,
    OnlyUpcoming: options.upcoming,
    ...(options.search ? { SearchText: options.search } : {}),
  });
}
