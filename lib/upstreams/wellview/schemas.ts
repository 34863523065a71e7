import { z } from 'zod';

/**
 * WellView well headers as the pages use them. Unknown fields are kept (`looseObject`) and shown
 * on the detail page; a record that does not fit is kept as malformed, never dropped.
 */
export const wellHeaderSchema = z.looseObject({
  idwell: z.string().min(1),
  wellname: z.string().nullish(),
  wellida: z.string().nullish(),
  operator: z.string().nullish(),
  fieldname: z.string().nullish(),
  stateprov: z.string().nullish(),
  county: z.string().nullish(),
  country: z.string().nullish(),
  latitude: z.number().nullish(),
  longitude: z.number().nullish(),
  dttmspud: z.string().nullish(),
  currentwellstatus1: z.string().nullish(),
  welltyp1: z.string().nullish(),
  totaldepth: z.number().nullish(),
  sysSecurityTyp: z.string().nullish(),
});
export type WellHeader = z.infer<typeof wellHeaderSchema>;

export interface WellRow {
  well: WellHeader;
  /** Why the record did not fit the schema, when it did not. */
  malformed: string | null;
  /** Lower-cased name, UWI, operator and field, for fast filtering. */
  haystack: string;
}

export const wellviewUserSchema = z.looseObject({
  sub: z.string().optional(),
  email: z.string().nullish(),
  defaults: z.object({ orgUnit: z.string(), app: z.string(), version: z.string() }).optional(),
  orgUnits: z.array(z.looseObject({ id: z.string(), name: z.string().optional() })).optional(),
  apps: z.array(z.looseObject({ name: z.string(), versions: z.array(z.string()) })).optional(),
});

/** Turns the raw list into rows, keeping records that fail validation as malformed. */
export function toWellRows(raw: unknown): WellRow[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((item, index) => {
    const parsed = wellHeaderSchema.safeParse(item);
    const well: WellHeader = parsed.success
      ? parsed.data
      : ({ ...(typeof item === 'object' && item ? item : {}), idwell: String((item as { idwell?: unknown })?.idwell ?? `malformed-${index}`) } as WellHeader);
    const haystack = [well.wellname, well.wellida, well.operator, well.fieldname]
      .filter((value) => typeof value === 'string')
      .join(' ')
      .toLowerCase();
    return { well, malformed: parsed.success ? null : 'malformed record', haystack };
  });
}
