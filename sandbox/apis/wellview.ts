import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { PELOTON_AUDIENCE, WELLVIEW_REGION, WELLVIEW_SUBSCRIPTION_KEYS, WELLVIEW_TARGET } from '../defaults';
import { decodeComponent, sendJson, type SandboxRequest } from '../http';
import type { Provider, SandboxContext } from '../context';
import { variantUserBody } from '../profiles/variant-users';
import type { WellRecord } from '../seed';
import { listVariantWells, sendVariantWell, variantTargetPrefix } from './wellview-variant';
import { checkBearer } from './bearer';

const KEYS = new Set<string>(WELLVIEW_SUBSCRIPTION_KEYS);
const REGIONS = new Set([WELLVIEW_REGION, 'us-west-2', 'ca-central-1']);
const TARGET_PREFIX = `/${WELLVIEW_TARGET.orgUnit}/${WELLVIEW_TARGET.app}/${WELLVIEW_TARGET.version}`;
const MAX_LIMIT = 5000;

/** API Management's error shape: `{ statusCode, message }`. */
function apimError(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(response, status, { statusCode: status, message }, headers);
}

/** The API hides every record whose security type is set (the reference's Security note). */
const visible = (well: WellRecord) => well.sysSecurityTyp === null;

function intParam(value: string | null, fallback: number, max: number): number | null {
  if (value === null || value === '') return fallback;
  if (!/^\d+$/.test(value)) return null;
  return Math.min(Number(value), max);
}

function listWells(request: SandboxRequest, response: ServerResponse, context: SandboxContext) {
  const limit = intParam(request.query.get('limit'), MAX_LIMIT, MAX_LIMIT);
  const offset = intParam(request.query.get('offset'), 0, Number.MAX_SAFE_INTEGER);
  if (limit === null || offset === null) return apimError(response, 400, 'limit and offset must be non-negative integers');
  const wells = context.data.wells.filter(visible);
  sendJson(response, 200, wells.slice(offset, offset + limit), { 'x-total-count': String(wells.length) });
}

function createWells(request: SandboxRequest, response: ServerResponse, context: SandboxContext) {
  let body: unknown;
  try {
    body = JSON.parse(request.body.toString('utf8'));
  } catch {
    return apimError(response, 400, 'The request body is not valid JSON');
  }
  const wells = (body as { wvwell?: unknown })?.wvwell;
  if (!Array.isArray(wells) || wells.length === 0 || !wells.every((well) => well && typeof well === 'object' && !Array.isArray(well))) {
    return apimError(response, 400, 'The body must be { "wvwell": [ { ...well header fields } ] }');
  }
  // A batch is one call, however many records it carries (the reference's rate-limit note).
  const created = (wells as Record<string, unknown>[]).map((fields) => ({
    ...fields,
    idwell: typeof fields.idwell === 'string' && fields.idwell ? fields.idwell : randomBytes(16).toString('hex').toUpperCase(),
    sysSecurityTyp: null,
    sysCreateDate: new Date().toISOString(),
    sysModDate: new Date().toISOString(),
  })) as WellRecord[];
  context.data.wells.push(...created);
  sendJson(response, 201, { created: created.length, ids: created.map((well) => well.idwell) });
}

/**
 * WellView behind Azure API Management, in the order APIM checks: subscription key, the key's
 * rate limit, region routing, then the backend's bearer-token check.
 */
export function createWellview(): Provider {
  return {
    name: 'wellview',
    prefix: '/wellview',
    async handle(request, response, context) {
      const key = request.headers['ocp-apim-subscription-key'];
      if (typeof key !== 'string' || !key) {
        return apimError(response, 401, 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.');
      }
      if (!KEYS.has(key)) return apimError(response, 401, 'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.');
      const admitted = context.state.admitCall(key);
      if (!admitted.ok) {
        return apimError(response, 429, `Rate limit is exceeded. Try again in ${admitted.retryAfterSeconds} seconds.`, {
          'retry-after': String(admitted.retryAfterSeconds),
        });
      }
      const region = request.headers['x-peloton-region'];
      if (typeof region !== 'string' || !REGIONS.has(region)) return apimError(response, 400, 'Missing or unknown X-peloton-region header.');

      const bearer = await checkBearer(request, context.keys.peloton, context.issuers.peloton, PELOTON_AUDIENCE);
      if (!bearer.ok) {
        // The backend's own error shape (the reference's "Error Response Format"), not APIM's.
        return sendJson(response, 401, { error: 'unauthorized', error_description: bearer.description }, {
          'www-authenticate': `Bearer error="invalid_token", error_description="${bearer.description}"`,
        });
      }
      const sub = String(bearer.claims.sub ?? '');
      context.state.countSubject('wellview', sub);

      if (request.method === 'GET' && request.path === '/user') {
        const user = context.users.find((candidate) => candidate.sub === sub);
        if (context.profile === 'variant') return sendJson(response, 200, variantUserBody(sub, user));
        return sendJson(response, 200, {
          sub,
          email: user?.email ?? null,
          name: user?.name ?? sub,
          defaults: { ...WELLVIEW_TARGET },
          orgUnits: [{ id: WELLVIEW_TARGET.orgUnit, name: 'Demo Operating Company' }],
          apps: [{ name: WELLVIEW_TARGET.app, versions: [WELLVIEW_TARGET.version] }],
        });
      }
      const variant = context.profile === 'variant';
      const prefix = variant ? variantTargetPrefix(request.path) : request.path.startsWith(`${TARGET_PREFIX}/`) ? TARGET_PREFIX : undefined;
      if (!prefix) return apimError(response, 404, 'Resource not found');
      const rest = request.path.slice(prefix.length);
      if (rest === '/wellheader/data') {
        if (request.method === 'GET' && variant) {
          return listVariantWells(request, response, context, prefix, context.data.wells.filter(visible), (message) => apimError(response, 400, message));
        }
        if (request.method === 'GET') return listWells(request, response, context);
        if (request.method === 'POST') return createWells(request, response, context);
        return apimError(response, 405, 'Method not allowed');
      }
      const match = /^\/wellheader\/data\/([^/]+)$/.exec(rest);
      if (match && request.method === 'GET') {
        const id = decodeComponent(match[1] as string);
        const well = id === null ? undefined : context.data.wells.find((candidate) => candidate.idwell === id && visible(candidate));
        if (well && variant) return sendVariantWell(response, context, well);
        return well ? sendJson(response, 200, well) : apimError(response, 404, `No well header with id ${id ?? match[1]}`);
      }
      return apimError(response, 404, 'Resource not found');
    },
  };
}
