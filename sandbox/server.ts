import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { Provider, SandboxContext } from './context';
import { createEventsApi } from './apis/events';
import { createMetiApi } from './apis/meti';
import { createWellview } from './apis/wellview';
import { sendCutBody, sendInjectedError, sendMalformedBody } from './faults';
import { BodyTooLargeError, readBody, sendJson, sleep, type SandboxRequest } from './http';
import { createEventsIdentity } from './identity/events-identity';
import { createMetiIdentity } from './identity/meti-identity';
import { SigningKey } from './keys';
import { createPeloton } from './peloton';
import { profileUsers, type SandboxProfile } from './profiles';
import { seedEvents, seedSources, seedWells } from './seed';
import { faultSchema, SandboxState } from './state';

export const DEFAULT_SEED = { wells: 600, events: 150, sources: 120 } as const;

export interface SandboxOptions {
  /** 0 picks a free port. Default 4000. */
  port?: number;
  host?: string;
  /** The origin the providers announce (issuers, discovery); default `http://<host>:<port>`. */
  publicUrl?: string;
  wells?: number;
  /** Exact redirect URIs allowed besides loopback callbacks. */
  redirectUris?: string[];
  /** Response shapes: `standard` (default) or `variant` (see profiles/index.ts). */
  profile?: SandboxProfile;
}

export interface RunningSandbox {
  url: string;
  context: SandboxContext;
  close(): Promise<void>;
}

const revokeSchema = z.object({ sub: z.string().min(1) }).strict();
const seedSchema = z.object({ wells: z.number().int().min(0).max(100_000) }).strict();

/** Starts every fake provider in one HTTP server, each under its own path prefix. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  const peloton = createPeloton();
  const providers: Provider[] = [peloton, createEventsIdentity(), createMetiIdentity(), createWellview(), createEventsApi(), createMetiApi()];
  const [pelotonKey, eventsKey, metiKey] = await Promise.all([SigningKey.create(), SigningKey.create(), SigningKey.create()]);
  const state = new SandboxState();

  const profile = options.profile ?? 'standard';
  const context: SandboxContext = {
    publicUrl: '',
    profile,
    users: profileUsers(profile),
    state,
    keys: { peloton: pelotonKey, 'events-identity': eventsKey, 'meti-identity': metiKey },
    issuers: { peloton: '', 'events-identity': '', 'meti-identity': '' },
    data: {
      wells: seedWells(options.wells ?? DEFAULT_SEED.wells),
      events: seedEvents(DEFAULT_SEED.events, Date.now()),
      sources: seedSources(DEFAULT_SEED.sources),
    },
    extraRedirectUris: options.redirectUris ?? [],
    revokeLoginsOf(sub) {
      let revoked = 0;
      for (const login of peloton.logins.logins.values()) if (login.sub === sub && peloton.logins.revoke(login.id)) revoked += 1;
      return revoked;
    },
  };

  async function control(request: SandboxRequest, response: ServerResponse) {
    const json = () => {
      try {
        return JSON.parse(request.body.toString('utf8') || '{}') as unknown;
      } catch {
        return undefined;
      }
    };
    const route = `${request.method} ${request.path}`;
    if (route === 'GET /stats') return sendJson(response, 200, state.snapshot());
    if (route === 'POST /reset') {
      state.reset();
      return sendJson(response, 200, { reset: true });
    }
    if (route === 'POST /faults') {
      const parsed = faultSchema.safeParse(json());
      if (!parsed.success) return sendJson(response, 400, { error: 'invalid_fault', issues: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) });
      const { provider, ...fault } = parsed.data;
      state.setFault(provider, fault);
      return sendJson(response, 200, { provider, fault: state.fault(provider) });
    }
    if (route === 'POST /logins/revoke') {
      const parsed = revokeSchema.safeParse(json());
      if (!parsed.success) return sendJson(response, 400, { error: 'invalid_request', message: 'Send { "sub": "<subject>" }' });
      const revoked = context.revokeLoginsOf(parsed.data.sub);
      state.revokedLogins += revoked;
      return sendJson(response, 200, { revoked });
    }
    if (route === 'POST /seed') {
      const parsed = seedSchema.safeParse(json());
      if (!parsed.success) return sendJson(response, 400, { error: 'invalid_request', message: 'Send { "wells": n }' });
      context.data.wells = seedWells(parsed.data.wells);
      return sendJson(response, 200, { wells: context.data.wells.length });
    }
    sendJson(response, 404, { error: 'not_found', message: `No sandbox control route ${route}` });
  }

  async function dispatch(incoming: IncomingMessage, response: ServerResponse) {
    const url = new URL(incoming.url ?? '/', 'http://sandbox.invalid');
    const provider = providers.find((candidate) => url.pathname === candidate.prefix || url.pathname.startsWith(`${candidate.prefix}/`));
    const isControl = url.pathname.startsWith('/__sandbox/');
    if (!provider && !isControl) return sendJson(response, 404, { error: 'not_found', message: 'No provider at this path' });

    let body: Buffer;
    try {
      body = await readBody(incoming);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return sendJson(response, 413, { error: 'payload_too_large' });
      throw error;
    }
    const request: SandboxRequest = {
      method: incoming.method ?? 'GET',
      path: isControl ? url.pathname.slice('/__sandbox'.length) : url.pathname.slice((provider as Provider).prefix.length) || '/',
      query: url.searchParams,
      headers: incoming.headers,
      body,
      raw: incoming,
    };
    if (isControl) return control(request, response);

    const active = provider as Provider;
    const fault = state.fault(active.name);
    if (fault.down) {
      // Unreachable: the connection drops without an answer.
      incoming.socket.destroy();
      return;
    }
    response.on('finish', () => state.countResponse(active.name, response.statusCode));
    state.recordHeaders(active.name, incoming.headers);
    if (fault.latencyMs) await sleep(fault.latencyMs);
    if (response.destroyed) return;
    if (state.shouldFail(active.name)) return sendInjectedError(active.name, response, fault);
    if (fault.malformedBody) return sendMalformedBody(response);
    if (fault.cutMidBody) return sendCutBody(response);
    await active.handle(request, response, context);
  }

  const server = createServer((incoming, response) => {
    dispatch(incoming, response).catch((error: unknown) => {
      console.error('[sandbox] handler failed:', error);
      if (!response.headersSent) sendJson(response, 500, { error: 'server_error', error_description: 'The sandbox failed to handle this request' });
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4000, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = (options.publicUrl ?? `http://${host}:${port}`).replace(/\/+$/, '');
  context.publicUrl = url;
  context.issuers.peloton = `${url}/peloton/`;
  context.issuers['events-identity'] = `${url}/events-identity`;
  context.issuers['meti-identity'] = `${url}/meti-identity/`;

  return {
    url,
    context,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
