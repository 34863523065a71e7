import type { ServerResponse } from 'node:http';
import { EVENTS_API_VERSION, EVENTS_TENANT_CODE } from '../defaults';
import { decodeComponent, sendJson, type SandboxRequest } from '../http';
import type { Provider, SandboxContext } from '../context';
import { EVENTS_API_SCOPE } from '../identity/events-identity';
import { toVariantEvent } from '../profiles/variant-records';
import { checkBearer, scopesOf } from './bearer';

const MAX_PAGE_SIZE = 100;

function apiError(response: ServerResponse, status: number, code: string, message: string): void {
  sendJson(response, status, { error: { code, message } });
}

interface ListQuery {
  pageNumber: number;
  pageSize: number;
  onlyUpcoming: boolean;
  searchText: string;
}

function parseListQuery(body: Buffer): ListQuery | string {
  let raw: unknown = {};
  const text = body.toString('utf8').trim();
  if (text) {
    try {
      raw = JSON.parse(text);
    } catch {
      return 'The request body is not valid JSON';
    }
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return 'The request body must be a JSON object';
  const query = raw as Record<string, unknown>;
  const pageNumber = query.PageNumber ?? 1;
  const pageSize = query.PageSize ?? 10;
  if (!Number.isInteger(pageNumber) || (pageNumber as number) < 1) return 'PageNumber must be a positive integer';
  if (!Number.isInteger(pageSize) || (pageSize as number) < 1 || (pageSize as number) > MAX_PAGE_SIZE) {
    return `PageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`;
  }
  if (query.OnlyUpcoming !== undefined && typeof query.OnlyUpcoming !== 'boolean') return 'OnlyUpcoming must be a boolean';
  if (query.SearchText !== undefined && query.SearchText !== null && typeof query.SearchText !== 'string') return 'SearchText must be a string';
  return {
    pageNumber: pageNumber as number,
    pageSize: pageSize as number,
    onlyUpcoming: (query.OnlyUpcoming as boolean | undefined) ?? false,
    searchText: ((query.SearchText as string | null | undefined) ?? '').trim().toLowerCase(),
  };
}

function listEvents(request: SandboxRequest, response: ServerResponse, context: SandboxContext) {
  const query = parseListQuery(request.body);
  if (typeof query === 'string') return apiError(response, 400, 'INVALID_REQUEST', query);
  const now = Date.now();
  const matching = context.data.events
    .filter((event) => !query.onlyUpcoming || Date.parse(String(event.endDate ?? event.startDate)) >= now)
    .filter((event) => !query.searchText || `${event.name} ${String(event.description ?? '')}`.toLowerCase().includes(query.searchText))
    .sort((a, b) => Date.parse(a.startDate) - Date.parse(b.startDate));
  const start = (query.pageNumber - 1) * query.pageSize;
  if (context.profile === 'variant') {
    // Other names for the same page: `{ items, total, page, pageSize }`, records reshaped.
    return sendJson(response, 200, {
      items: matching.slice(start, start + query.pageSize).map(toVariantEvent),
      total: matching.length,
      page: query.pageNumber,
      pageSize: query.pageSize,
    });
  }
  sendJson(response, 200, {
    data: matching.slice(start, start + query.pageSize),
    totalCount: matching.length,
    pageNumber: query.pageNumber,
    pageSize: query.pageSize,
  });
}

/** The Engagifii Events API: bearer token, then `tenant-code` and `api-version` on every call. */
export function createEventsApi(): Provider {
  return {
    name: 'events',
    prefix: '/events',
    async handle(request, response, context) {
      const bearer = await checkBearer(request, context.keys['events-identity'], context.issuers['events-identity'], EVENTS_API_SCOPE);
      if (!bearer.ok || !scopesOf(bearer.claims).includes(EVENTS_API_SCOPE)) {
        const description = bearer.ok ? 'The access token lacks the EventsApi scope' : bearer.description;
        response.setHeader('www-authenticate', `Bearer error="invalid_token", error_description="${description}"`);
        return sendJson(response, 401, { error: 'invalid_token', error_description: description });
      }
      const tenant = request.headers['tenant-code'];
      if (typeof tenant !== 'string' || !tenant) return apiError(response, 400, 'MISSING_TENANT', 'Tenant code header is required');
      if (tenant !== EVENTS_TENANT_CODE) return apiError(response, 403, 'INVALID_TENANT', 'Unknown tenant code');
      const version = request.headers['api-version'];
      if (typeof version !== 'string' || !version) return apiError(response, 400, 'MISSING_API_VERSION', 'The api-version header is required');
      if (version !== EVENTS_API_VERSION) return apiError(response, 400, 'UNSUPPORTED_API_VERSION', `API version ${version} is not supported`);

      const match = /^\/api\/([^/]+)\/event\/(.+)$/.exec(request.path);
      if (!match || match[1] !== EVENTS_API_VERSION) return apiError(response, 404, 'NOT_FOUND', 'No such endpoint');
      const rest = match[2] as string;
      if (rest === 'list') {
        if (request.method !== 'POST') return apiError(response, 405, 'METHOD_NOT_ALLOWED', 'Use POST for the event list');
        return listEvents(request, response, context);
      }
      if (request.method !== 'GET' || rest.includes('/')) return apiError(response, 404, 'NOT_FOUND', 'No such endpoint');
      const id = decodeComponent(rest);
      const event = id === null ? undefined : context.data.events.find((candidate) => candidate.id === id);
      if (event && context.profile === 'variant') return sendJson(response, 200, toVariantEvent(event));
      return event ? sendJson(response, 200, event) : apiError(response, 404, 'NOT_FOUND', `No event with id ${id ?? rest}`);
    },
  };
}
