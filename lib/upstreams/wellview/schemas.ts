/**
 * Kept for modules that import the row types from here; the reshape lives in `wells.ts` and the
 * target discovery in `target.ts`.
 */
export type { Well as WellHeader, WellRow } from '@/lib/upstreams/wellview/wells';
export { toWellRows } from '@/lib/upstreams/wellview/wells';
