import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { METI_AUDIENCE } from '../defaults';
import { decodeComponent, sendJson, type SandboxRequest } from '../http';
import type { Provider, SandboxContext } from '../context';
import type { SourceRecord } from '../seed';
import { toVariantSource } from '../profiles/variant-records';
import { checkBearer, scopesOf } from './bearer';
import { listVariantSources } from './meti-variant';

const sourceInput = z.looseObject({
  name: z.string().trim().min(1).max(200),
  methodology: z.string().trim().min(1).max(100),
  location: z.looseObject({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).optional(),
});

function parseJson(request: SandboxRequest): unknown {
  try {
    return JSON.parse(request.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

const SCOPE_FOR_METHOD: Record<string, string> = {
  GET: 'read:sources',
  HEAD: 'read:sources',
  POST: 'write:sources',
  PUT: 'write:sources',
  PATCH: 'write:sources',
  DELETE: 'delete:sources',
};

function list(request: SandboxRequest, response: ServerResponse, context: SandboxContext) {
  const methodology = request.query.get('methodology');
  const matching = context.data.sources.filter((source) => !methodology || source.methodology.toLowerCase() === methodology.toLowerCase());
  if (context.profile === 'variant') return listVariantSources(request.query, response, matching);
  const limit = request.query.get('limit');
  const offset = request.query.get('offset');
  for (const value of [limit, offset]) {
    if (value !== null && !/^\d+$/.test(value)) return sendJson(response, 400, { error: 'invalid_request', message: 'limit and offset must be non-negative integers' });
  }
  const from = offset === null ? 0 : Number(offset);
  sendJson(response, 200, matching.slice(from, limit === null ? undefined : from + Number(limit)));
}

/** A record as the profile's API shows it. */
const present = (context: SandboxContext, source: SourceRecord) => (context.profile === 'variant' ? toVariantSource(source) : source);

function write(request: SandboxRequest, response: ServerResponse, context: SandboxContext, existing: SourceRecord | undefined) {
  const parsed = (request.method === 'PATCH' ? sourceInput.partial() : sourceInput).safeParse(parseJson(request));
  if (!parsed.success) {
    return sendJson(response, 422, { error: 'validation_error', message: 'The source is not valid', issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })) });
  }
  const now = new Date().toISOString();
  if (!existing) {
    const created = { ...parsed.data, id: `src_${randomBytes(6).toString('hex')}`, createdAt: now, updatedAt: now } as SourceRecord;
    context.data.sources.push(created);
    return sendJson(response, 201, present(context, created));
  }
  const base = request.method === 'PATCH' ? existing : { id: existing.id, createdAt: existing.createdAt };
  const updated = { ...base, ...parsed.data, id: existing.id, updatedAt: now } as SourceRecord;
  context.data.sources[context.data.sources.indexOf(existing)] = updated;
  sendJson(response, 200, present(context, updated));
}

/** The METI API: Auth0 bearer tokens for its audience, each method gated by its scope. */
export function createMetiApi(): Provider {
  return {
    name: 'meti',
    prefix: '/meti',
    async handle(request, response, context) {
      const bearer = await checkBearer(request, context.keys['meti-identity'], context.issuers['meti-identity'], METI_AUDIENCE);
      if (!bearer.ok) {
        response.setHeader('www-authenticate', `Bearer error="invalid_token", error_description="${bearer.description}"`);
        return sendJson(response, 401, { error: 'unauthorized', message: bearer.description });
      }
      const needed = SCOPE_FOR_METHOD[request.method];
      if (!needed) return sendJson(response, 405, { error: 'method_not_allowed', message: `${request.method} is not supported` });
      if (!scopesOf(bearer.claims).includes(needed)) {
        response.setHeader('www-authenticate', `Bearer error="insufficient_scope", scope="${needed}"`);
        return sendJson(response, 403, { error: 'insufficient_scope', message: `This call needs the ${needed} scope` });
      }
      if (request.path === '/sources') {
        if (request.method === 'GET' || request.method === 'HEAD') return list(request, response, context);
        if (request.method === 'POST') return write(request, response, context, undefined);
        return sendJson(response, 405, { error: 'method_not_allowed', message: `${request.method} /sources is not supported` });
      }
      const match = /^\/sources\/([^/]+)$/.exec(request.path);
      if (!match) return sendJson(response, 404, { error: 'not_found', message: 'No such endpoint' });
      const id = decodeComponent(match[1] as string);
      const source = id === null ? undefined : context.data.sources.find((candidate) => candidate.id === id);
      if (!source) return sendJson(response, 404, { error: 'not_found', message: `No source with id ${id ?? match[1]}` });
      if (request.method === 'GET' || request.method === 'HEAD') return sendJson(response, 200, present(context, source));
      if (request.method === 'DELETE') {
        context.data.sources.splice(context.data.sources.indexOf(source), 1);
        response.writeHead(204, { 'content-length': 0 });
        response.end();
        return;
      }
      if (request.method === 'POST') return sendJson(response, 405, { error: 'method_not_allowed', message: 'Use PUT or PATCH to change a source' });
      return write(request, response, context, source);
    },
  };
}
