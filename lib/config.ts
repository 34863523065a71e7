import 'server-only';
import { z } from 'zod';
import { isDomainEntry, parseUserList, type UserList } from '@/lib/auth/user-list';
import { passwordWeakness } from '@/lib/security/password-strength';
import { parseFieldMap } from '@/lib/upstreams/shared/field-map';
import { parseAuthParams } from '@/lib/auth/auth-params';

/**
 * The dashboard's configuration, parsed once from the environment by one zod schema.
 * This module is the only reader of `process.env` for application settings.
 */

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const url = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });
const optionalUrl = optionalString.pipe(url.optional());

const commaList = optionalString.transform((value) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

/** `column=path,column=path`: an operator's field map for one API (lib/upstreams/shared/field-map.ts). */
const fieldMap = optionalString.transform((value, context) => {
  const parsed = parseFieldMap(value);
  if (parsed.ok) return parsed.map;
  context.addIssue({ code: 'custom', message: `must be column=path pairs separated by commas: ${parsed.reason}` });
  return z.NEVER;
});

const wholeNumber = (fallback: number) =>
  optionalString.pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .optional()
      .transform((value) => value ?? fallback),
  );

const positiveInt = (fallback: number) =>
  optionalString.pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .pipe(z.number().int().positive('must be positive'))
      .optional()
      .transform((value) => value ?? fallback),
  );

/** Variables whose values are never echoed in an error message. */
const SECRET_NAMES = new Set([
  'SESSION_PASSWORD',
  'PELOTON_CLIENT_SECRET',
  'EVENTS_CLIENT_SECRET',
  'METI_CLIENT_SECRET',
  'WELLVIEW_SUBSCRIPTION_KEY',
  'REDIS_URL',
  'METRICS_TOKEN',
]);

const envSchema = z.object({
  NODE_ENV: optionalString,
  APP_URL: optionalUrl,
  SESSION_PASSWORD: commaList.refine(
    (list) => list.every((password) => password.length >= 32),
    'every password must be at least 32 characters',
  ),
  SESSION_IDLE_TIMEOUT_SECONDS: positiveInt(8 * 60 * 60),
  SESSION_ABSOLUTE_TIMEOUT_SECONDS: positiveInt(7 * 24 * 60 * 60),
  ADMIN_USERS: commaList.refine(
    (list) => !list.some(isDomainEntry),
    'takes emails or subject ids only; an @domain entry belongs in ALLOWED_USERS',
  ),
  ALLOWED_USERS: commaList,

  PELOTON_ISSUER: optionalUrl,
  PELOTON_AUTHORIZE_URL: optionalUrl,
  PELOTON_TOKEN_URL: optionalUrl,
  PELOTON_JWKS_URL: optionalUrl,
  PELOTON_REVOCATION_URL: optionalUrl,
  PELOTON_LOGOUT_URL: optionalUrl,
  PELOTON_USERINFO_URL: optionalUrl,
  PELOTON_CLIENT_ID: optionalString,
  PELOTON_CLIENT_SECRET: optionalString,
  PELOTON_AUDIENCE: optionalString,
  PELOTON_SCOPES: optionalString.transform((value) => value ?? 'openid profile email offline_access'),
  PELOTON_AUTH_PARAMS: optionalString.transform((value, context) => {
    const parsed = parseAuthParams(value);
    if (parsed.ok) return parsed.params;
    context.addIssue({ code: 'custom', message: parsed.reason });
    return z.NEVER;
  }),
  // Unset: chosen from discovery (client_secret_basic when listed, else client_secret_post).
  PELOTON_TOKEN_AUTH_METHOD: optionalString.pipe(
    z.enum(['client_secret_basic', 'client_secret_post'], 'must be client_secret_basic or client_secret_post').optional(),
  ),

  WELLVIEW_API_BASE_URL: optionalUrl,
  WELLVIEW_SUBSCRIPTION_KEY: optionalString,
  WELLVIEW_REGION: optionalString,
  WELLVIEW_RATE_LIMIT_PER_SECOND: positiveInt(18),
  // A quarter of the WellView queue (1,000 places): one user cannot starve the others.
  WELLVIEW_MAX_QUEUED_PER_USER: positiveInt(250),
  // The longest a call may wait for a WellView slot; one that could not leave sooner gets 503 at once.
  WELLVIEW_MAX_QUEUE_WAIT_MS: positiveInt(10_000),
  WELLVIEW_TARGET_CACHE_SECONDS: wholeNumber(300),
  WELLVIEW_ORG_UNIT: optionalString,
  WELLVIEW_APP: optionalString,
  WELLVIEW_APP_VERSION: optionalString,
  WELLVIEW_FIELD_MAP: fieldMap,
  EVENTS_FIELD_MAP: fieldMap,
  METI_FIELD_MAP: fieldMap,

  EVENTS_IDENTITY_URL: optionalUrl,
  EVENTS_CLIENT_ID: optionalString,
  EVENTS_CLIENT_SECRET: optionalString,
  EVENTS_SCOPE: optionalString.transform((value) => value ?? 'EventsApi'),
  EVENTS_API_BASE_URL: optionalUrl,
  EVENTS_TENANT_CODE: optionalString,
  EVENTS_API_VERSION: optionalString.transform((value) => value ?? '1.0'),

  METI_TOKEN_URL: optionalUrl,
  METI_CLIENT_ID: optionalString,
  METI_CLIENT_SECRET: optionalString,
  METI_AUDIENCE: optionalString.transform((value) => value ?? 'https://api.meti.millpont.com'),
  METI_SCOPES: optionalString,
  METI_API_BASE_URL: optionalUrl,

  GATEWAY_MAX_BODY_BYTES: positiveInt(1024 * 1024),
  UPSTREAM_TIMEOUT_MS: positiveInt(30_000),
  GATEWAY_CACHE_TTL_SECONDS: wholeNumber(5),
  // Longer than a load balancer's idle timeout (60 s is the common default): see lib/http/keep-alive.ts.
  KEEP_ALIVE_TIMEOUT_MS: positiveInt(65_000),
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .refine((value) => /^rediss?:\/\/[^\s]+$/i.test(value) && URL.canParse(value), 'must be a redis:// or rediss:// URL')
      .optional(),
  ),
  ALLOW_INSECURE_HTTP: optionalString.pipe(z.enum(['0', '1']).optional()),
  METRICS_TOKEN: optionalString,
});

/** One problem with one variable; `name` is the variable, `reason` never holds a secret. */
export interface ConfigProblem {
  name: string;
  reason: string;
}

/** Raised when the environment cannot run the dashboard; lists every problem at once. */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((problem) => `  - ${problem.name}: ${problem.reason}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface ClientCredentialsSettings {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface AppConfig {
  appUrl: URL;
  secureCookies: boolean;
  session: { passwords: string[]; idleTimeoutSeconds: number; absoluteTimeoutSeconds: number };
  /** `ADMIN_USERS`: emails (verified only) or subject ids (exact). */
  adminUsers: UserList;
  /** `ALLOWED_USERS`, or null when unset (anyone who signs in at Peloton may use the dashboard). */
  allowedUsers: UserList | null;
  peloton: {
    issuer?: string;
    authorizeUrl?: string;
    tokenUrl?: string;
    jwksUrl?: string;
    userinfoUrl?: string;
    revocationUrl?: string;
    logoutUrl?: string;
    clientId: string;
    clientSecret: string;
    audience?: string;
    scopes: string;
    /** `PELOTON_AUTH_PARAMS`: extra authorize parameters (never one the dashboard sets itself). */
    authParams: Record<string, string>;
    /** `PELOTON_TOKEN_AUTH_METHOD`; undefined = from discovery. */
    tokenAuthMethod?: 'client_secret_basic' | 'client_secret_post';
  };
  wellview: {
    baseUrl: string;
    subscriptionKey: string;
    region: string;
    rateLimitPerSecond: number;
    /** Calls one user may have waiting for a WellView slot at once. */
    maxQueuedPerUser: number;
    /** The longest a call waits for a WellView slot; one that could not leave by then gets 503 at once. */
    maxQueueWaitMs: number;
    orgUnit?: string;
    app?: string;
    appVersion?: string;
    /** How long a login's `/user` answer is reused to find its wells (0: read it every time). */
    targetCacheMs: number;
  };
  events:
    | (ClientCredentialsSettings & { scope: string; baseUrl: string; tenantCode: string; apiVersion: string })
    | null;
  meti: (ClientCredentialsSettings & { audience: string; scopes?: string; baseUrl: string }) | null;
  gateway: { maxBodyBytes: number; upstreamTimeoutMs: number; cacheTtlMs: number };
  /** Operators' field maps per API (`*_FIELD_MAP`): column key → field path. Not secret. */
  fieldMaps: { wellview: Record<string, string>; events: Record<string, string>; meti: Record<string, string> };
  redisUrl?: string;
  /** `KEEP_ALIVE_TIMEOUT_MS`: how long the server keeps an idle connection open. */
  keepAliveTimeoutMs: number;
  allowInsecureHttp: boolean;
  /** `METRICS_TOKEN`: the bearer token `/api/metrics` requires; unset turns the route off (404). */
  metricsToken?: string;
}

type Raw = Record<string, string | undefined>;

function isSet(source: Raw, name: string): boolean {
  return (source[name] ?? '').trim() !== '';
}

function requireAll(source: Raw, names: string[], problems: ConfigProblem[], why = 'is required'): void {
  for (const name of names) {
    if (!isSet(source, name)) problems.push({ name, reason: why });
  }
}

const EVENTS_REQUIRED = [
  'EVENTS_IDENTITY_URL',
  'EVENTS_CLIENT_ID',
  'EVENTS_CLIENT_SECRET',
  'EVENTS_API_BASE_URL',
  'EVENTS_TENANT_CODE',
];
const METI_REQUIRED = ['METI_TOKEN_URL', 'METI_CLIENT_ID', 'METI_CLIENT_SECRET', 'METI_API_BASE_URL'];

/** Names of the URLs that carry credentials and so must use https unless explicitly allowed. */
const CREDENTIAL_URLS = [
  'PELOTON_ISSUER',
  'PELOTON_AUTHORIZE_URL',
  'PELOTON_TOKEN_URL',
  'PELOTON_JWKS_URL',
  'PELOTON_REVOCATION_URL',
  'PELOTON_USERINFO_URL',
  'WELLVIEW_API_BASE_URL',
  'EVENTS_IDENTITY_URL',
  'EVENTS_API_BASE_URL',
  'METI_TOKEN_URL',
  'METI_API_BASE_URL',
];

/**
 * Parses and checks the environment. Throws a {@link ConfigError} that lists every bad or
 * missing variable by name; the message never contains a variable's value.
 */
export function parseConfig(source: Raw): AppConfig {
  const problems: ConfigProblem[] = [];
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? 'environment');
      problems.push({ name, reason: SECRET_NAMES.has(name) ? secretSafeReason(issue.message) : issue.message });
    }
  }

  // Presence rules are checked on the raw values too, so one run reports every problem.
  requireAll(source, ['APP_URL', 'SESSION_PASSWORD', 'PELOTON_CLIENT_ID', 'PELOTON_CLIENT_SECRET'], problems);
  if (!isSet(source, 'PELOTON_ISSUER')) {
    requireAll(
      source,
      ['PELOTON_AUTHORIZE_URL', 'PELOTON_TOKEN_URL', 'PELOTON_JWKS_URL'],
      problems,
      'is required when PELOTON_ISSUER is not set',
    );
    // Without discovery the issuer is derived as <origin>/ , which only an Auth0-style token URL
    // (<origin>/oauth/token) vouches for; a path issuer (Keycloak's /realms/x) cannot be guessed.
    const tokenUrl = (source.PELOTON_TOKEN_URL ?? '').trim();
    if (URL.canParse(tokenUrl) && new URL(tokenUrl).pathname !== '/oauth/token') {
      problems.push({
        name: 'PELOTON_ISSUER',
        reason:
          'is required unless PELOTON_TOKEN_URL is an Auth0-style <origin>/oauth/token (the issuer is derived only from that shape; set the provider\'s issuer, e.g. https://idp.example.com/realms/acme)',
      });
    }
  }
  requireAll(source, ['WELLVIEW_API_BASE_URL', 'WELLVIEW_SUBSCRIPTION_KEY', 'WELLVIEW_REGION'], problems);
  // Events and METI are optional as a whole, but all-or-nothing once one of their variables is set.
  const eventsOn = EVENTS_REQUIRED.some((name) => isSet(source, name));
  if (eventsOn) requireAll(source, EVENTS_REQUIRED, problems, 'is required once any EVENTS_ variable is set');
  const metiOn = METI_REQUIRED.some((name) => isSet(source, name));
  if (metiOn) requireAll(source, METI_REQUIRED, problems, 'is required once any METI_ variable is set');

  const allowInsecureHttp = (source.ALLOW_INSECURE_HTTP ?? '').trim() === '1';
  if (!allowInsecureHttp) {
    for (const name of CREDENTIAL_URLS) {
      if ((source[name] ?? '').trim().toLowerCase().startsWith('http:')) {
        problems.push({ name, reason: 'must use https (set ALLOW_INSECURE_HTTP=1 only for a local sandbox)' });
      }
    }
  }
  if (isSet(source, 'APP_URL') && !isLoopbackAppUrl(source.APP_URL as string)) deploymentProblems(source, problems);
  if (problems.length > 0 || !parsed.success) throw new ConfigError(dedupe(problems));
  const env = parsed.data;

  const appUrl = new URL(env.APP_URL as string);
  const str = (value: string | undefined) => value as string;
  return {
    appUrl,
    secureCookies: appUrl.protocol === 'https:',
    session: {
      passwords: env.SESSION_PASSWORD,
      idleTimeoutSeconds: env.SESSION_IDLE_TIMEOUT_SECONDS,
      absoluteTimeoutSeconds: env.SESSION_ABSOLUTE_TIMEOUT_SECONDS,
    },
    adminUsers: parseUserList(env.ADMIN_USERS),
    allowedUsers: env.ALLOWED_USERS.length > 0 ? parseUserList(env.ALLOWED_USERS) : null,
    peloton: {
      issuer: env.PELOTON_ISSUER,
      authorizeUrl: env.PELOTON_AUTHORIZE_URL,
      tokenUrl: env.PELOTON_TOKEN_URL,
      jwksUrl: env.PELOTON_JWKS_URL,
      userinfoUrl: env.PELOTON_USERINFO_URL,
      revocationUrl: env.PELOTON_REVOCATION_URL,
      logoutUrl: env.PELOTON_LOGOUT_URL,
      clientId: str(env.PELOTON_CLIENT_ID),
      clientSecret: str(env.PELOTON_CLIENT_SECRET),
      audience: env.PELOTON_AUDIENCE,
      scopes: env.PELOTON_SCOPES,
      authParams: env.PELOTON_AUTH_PARAMS,
      tokenAuthMethod: env.PELOTON_TOKEN_AUTH_METHOD,
    },
    wellview: {
      baseUrl: stripTrailingSlash(str(env.WELLVIEW_API_BASE_URL)),
      subscriptionKey: str(env.WELLVIEW_SUBSCRIPTION_KEY),
      region: str(env.WELLVIEW_REGION),
      rateLimitPerSecond: env.WELLVIEW_RATE_LIMIT_PER_SECOND,
      maxQueuedPerUser: env.WELLVIEW_MAX_QUEUED_PER_USER,
      maxQueueWaitMs: env.WELLVIEW_MAX_QUEUE_WAIT_MS,
      orgUnit: env.WELLVIEW_ORG_UNIT,
      app: env.WELLVIEW_APP,
      appVersion: env.WELLVIEW_APP_VERSION,
      targetCacheMs: env.WELLVIEW_TARGET_CACHE_SECONDS * 1000,
    },
    events: eventsOn
      ? {
          tokenUrl: `${stripTrailingSlash(str(env.EVENTS_IDENTITY_URL))}/connect/token`,
          clientId: str(env.EVENTS_CLIENT_ID),
          clientSecret: str(env.EVENTS_CLIENT_SECRET),
          scope: env.EVENTS_SCOPE,
          baseUrl: stripTrailingSlash(str(env.EVENTS_API_BASE_URL)),
          tenantCode: str(env.EVENTS_TENANT_CODE),
          apiVersion: env.EVENTS_API_VERSION,
        }
      : null,
    meti: metiOn
      ? {
          tokenUrl: str(env.METI_TOKEN_URL),
          clientId: str(env.METI_CLIENT_ID),
          clientSecret: str(env.METI_CLIENT_SECRET),
          audience: env.METI_AUDIENCE,
          scopes: env.METI_SCOPES,
          baseUrl: stripTrailingSlash(str(env.METI_API_BASE_URL)),
        }
      : null,
    gateway: {
      maxBodyBytes: env.GATEWAY_MAX_BODY_BYTES,
      upstreamTimeoutMs: env.UPSTREAM_TIMEOUT_MS,
      cacheTtlMs: env.GATEWAY_CACHE_TTL_SECONDS * 1000,
    },
    fieldMaps: { wellview: env.WELLVIEW_FIELD_MAP, events: env.EVENTS_FIELD_MAP, meti: env.METI_FIELD_MAP },
    redisUrl: env.REDIS_URL,
    keepAliveTimeoutMs: env.KEEP_ALIVE_TIMEOUT_MS,
    allowInsecureHttp,
    metricsToken: env.METRICS_TOKEN,
  };
}

/** Hosts that only this machine can reach: the demo and local tests. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True when `APP_URL` is a loopback origin; anything else is a deployment. Unparseable: false. */
export function isLoopbackAppUrl(appUrl: string): boolean {
  if (!URL.canParse(appUrl.trim())) return false;
  return LOOPBACK_HOSTS.has(new URL(appUrl.trim()).hostname.toLowerCase());
}

/**
 * What a deployment may not run with, though the demo and local tests may: a published or
 * guessable session password (whoever knows it can seal an admin session), plain http, and the
 * sandbox's `ALLOW_INSECURE_HTTP`. Reasons name the variable and never quote a value.
 */
function deploymentProblems(source: Raw, problems: ConfigProblem[]): void {
  const passwords = (source.SESSION_PASSWORD ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  passwords.forEach((password, index) => {
    // Too short is already reported by the schema.
    if (password.length < 32) return;
    const which = passwords.length > 1 ? `entry ${index + 1} ` : '';
    const weakness = passwordWeakness(password);
    if (weakness === 'published') {
      problems.push({
        name: 'SESSION_PASSWORD',
        reason: `${which}is a value published with this project (the example or the demo); generate one with: openssl rand -base64 48`,
      });
    } else if (weakness === 'low_entropy') {
      problems.push({
        name: 'SESSION_PASSWORD',
        reason: `${which}is too easy to guess (repeated, sequential or common text); generate one with: openssl rand -base64 48`,
      });
    }
  });
  if ((source.ALLOW_INSECURE_HTTP ?? '').trim() === '1') {
    problems.push({ name: 'ALLOW_INSECURE_HTTP', reason: 'is for a local sandbox only; unset it when APP_URL is not localhost' });
  }
  if ((source.APP_URL ?? '').trim().toLowerCase().startsWith('http:')) {
    problems.push({ name: 'APP_URL', reason: 'must use https when it is not localhost (session cookies travel in it)' });
  }
}

function stripTrailingSlash(value: string): string {
  return value.replace(/\/+$/, '');
}

/** zod messages may quote the received value; for secrets keep only a generic reason. */
function secretSafeReason(message: string): string {
  return /at least 32/.test(message) ? message : 'is invalid';
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.name}:${problem.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

let cached: AppConfig | undefined;

/** The configuration of this process, parsed on first use and then reused. */
export function getConfig(): AppConfig {
  cached ??= parseConfig(process.env);
  return cached;
}

/** For tests that change the environment between cases. */
export function resetConfigForTests(): void {
  cached = undefined;
}
