/**
 * WellView's variant profile: well headers as an OData service behind API Management sends them
 * (PascalCase fields, `{ value, "@odata.nextLink" }` with server-driven paging over `$top`/`$skip`),
 * under org units, apps and versions that `/user` names in other shapes than `defaults`.
 */
import type { ServerResponse } from 'node:http';
import type { SandboxContext } from '../context';
import { sendJson, type SandboxRequest } from '../http';
import { toVariantWell } from '../profiles/variant-records';
import { VARIANT_TARGETS } from '../profiles/variant-users';
import type { WellRecord } from '../seed';

/** The most records one answer carries, whatever `$top` asks for (OData server-driven paging). */
export const VARIANT_WELLS_PAGE_SIZE = 250;

/** The target prefix (`/org/app/version`) a path starts with, if the variant serves it. */
export function variantTargetPrefix(path: string): string | undefined {
  return VARIANT_TARGETS.map((target) => `/${target.orgUnit}/${target.app}/${target.version}`).find((prefix) => path.startsWith(`${prefix}/`));
}

function intParam(value: string | null): number | null | undefined {
  if (value === null || value === '') return undefined;
  return /^\d+$/.test(value) ? Number(value) : null;
}

/** GET .../wellheader/data: one page of visible wells, and a link to the next while any remain. */
export function listVariantWells(
  request: SandboxRequest,
  response: ServerResponse,
  context: SandboxContext,
  prefix: string,
  wells: WellRecord[],
  badRequest: (message: string) => void,
): void {
  const top = intParam(request.query.get('$top'));
  const rawSkip = intParam(request.query.get('$skip'));
  if (top === null || rawSkip === null) return badRequest('$top and $skip must be non-negative integers');
  const skip = rawSkip ?? 0;
  const wanted = top ?? Number.POSITIVE_INFINITY;
  const take = Math.min(wanted, VARIANT_WELLS_PAGE_SIZE);
  const page = wells.slice(skip, skip + take);
  const nextSkip = skip + page.length;
  const more = page.length > 0 && nextSkip < wells.length && wanted > take;
  const count = request.query.get('$count') === 'true';
  const base = `${context.publicUrl}/wellview${prefix}/wellheader/data`;
  // OData writes its system query options with a literal `$`, as real next links do.
  const next = [...(top === undefined ? [] : [`$top=${top - take}`]), `$skip=${nextSkip}`, ...(count ? ['$count=true'] : [])].join('&');
  sendJson(response, 200, {
    '@odata.context': `${context.publicUrl}/wellview/$metadata#WellHeaders`,
    ...(count ? { '@odata.count': wells.length } : {}),
    value: page.map(toVariantWell),
    ...(more ? { '@odata.nextLink': `${base}?${next}` } : {}),
  });
}

/** GET .../wellheader/data/{id}: the entity itself, in the same shape as the list's records. */
export function sendVariantWell(response: ServerResponse, context: SandboxContext, well: WellRecord): void {
  sendJson(response, 200, { '@odata.context': `${context.publicUrl}/wellview/$metadata#WellHeaders/$entity`, ...toVariantWell(well) });
}
