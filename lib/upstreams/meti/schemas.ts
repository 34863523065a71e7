import { z } from 'zod';

/** METI emission sources as the pages use them; unknown fields are kept. */
export const sourceSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  name: z.string().nullish(),
  methodology: z.string().nullish(),
  location: z
    .looseObject({ latitude: z.number().nullish(), longitude: z.number().nullish(), country: z.string().nullish(), region: z.string().nullish() })
    .nullish(),
  emissions: z
    .looseObject({ co2eTonnesPerYear: z.number().nullish(), ch4TonnesPerYear: z.number().nullish(), n2oTonnesPerYear: z.number().nullish() })
    .nullish(),
  reportingYear: z.number().nullish(),
  status: z.string().nullish(),
  operator: z.string().nullish(),
});
export type SourceRecord = z.infer<typeof sourceSchema>;

export interface SourceRow {
  source: SourceRecord;
  malformed: string | null;
  haystack: string;
}

export function toSourceRows(raw: unknown): SourceRow[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((item, index) => {
    const parsed = sourceSchema.safeParse(item);
    const fallback = (typeof item === 'object' && item ? item : {}) as Record<string, unknown>;
    const source = parsed.success ? parsed.data : ({ ...fallback, id: String(fallback.id ?? `malformed-${index}`) } as SourceRecord);
    const haystack = [source.name, source.operator, source.methodology, source.location?.region, source.location?.country]
      .filter((value) => typeof value === 'string')
      .join(' ')
      .toLowerCase();
    return { source, malformed: parsed.success ? null : 'malformed record', haystack };
  });
}
