import { z } from 'zod';

/**
 * The shape of `GET /api/admin/tokens`, shared by the API (which parses what it built before
 * answering, so a field the schema does not know is dropped rather than sent) and the admin page
 * (which validates what it receives). The fields ../shared/INTERFACES.md names are kept as named
 * there; the rest are additions. Times are ISO 8601 strings, `null` when unknown. Tokens appear
 * only as fingerprints: the first 8 hex characters of their SHA-256.
 */

const time = z.iso.datetime();
const optionalTime = time.nullable();
const fingerprint = z
  .string()
  .regex(/^[0-9a-f]{8}$/)
  .nullable();
const count = z.number().int().nonnegative();

export const tokenErrorSchema = z.object({ code: z.string(), message: z.string(), at: time });

export const serviceStatusSchema = z.object({
  configured: z.boolean(),
  /** A token is cached and not yet expired. */
  cached: z.boolean(),
  issuedAt: optionalTime,
  expiresAt: optionalTime,
  /** Token requests this instance sent since it started (retries included). */
  tokenRequests: count,
  fingerprint,
  /** Granted scopes, space-separated. */
  scope: z.string().nullable(),
  audience: z.string().nullable(),
  tokenUrl: z.string().nullable(),
  /** The last failure to obtain this service's token; cleared by the next success. */
  lastError: tokenErrorSchema.nullable(),
});

export const upstreamStatusSchema = z.object({
  configured: z.boolean(),
  /** `null` until the first call. */
  healthy: z.boolean().nullable(),
  /** `null` when the last call never got an answer. */
  lastStatus: z.number().int().nullable(),
  latencyMs: z.number().nonnegative().nullable(),
  lastCallAt: optionalTime,
  callsLastMinute: count,
  /** 429 answers seen since start. */
  rateLimited: count,
  /** 401 answers seen since start. */
  unauthorized: count,
  /** When the admin page last made its own cheap authenticated call. */
  checkedAt: optionalTime,
  /** Why that check could not run, in plain words; `null` when it ran. */
  checkNote: z.string().nullable(),
});

export const refreshOutcomeSchema = z.object({
  outcome: z.enum(['succeeded', 'failed']),
  code: z.string().nullable(),
  at: time,
});

export const timelinePointSchema = z.object({
  minute: time,
  refreshes: count,
  tokenRequests: count,
  unauthorized: count,
  rateLimited: count,
  errors: count,
});

export const tokenStatusSchema = z.object({
  generatedAt: time,
  session: z.object({
    user: z.object({ sub: z.string(), email: z.string().nullable(), name: z.string().nullable() }),
    signedInAt: time,
    lastSeenAt: time,
    idleExpiresAt: time,
    absoluteExpiresAt: time,
    accessTokenIssuedAt: optionalTime,
    accessTokenExpiresAt: optionalTime,
    accessTokenFingerprint: fingerprint,
    refreshTokenPresent: z.boolean(),
    rotations: count,
    lastRefreshAt: optionalTime,
    lastRefreshOutcome: refreshOutcomeSchema.nullable(),
    /** Requests of this login served by a concurrent refresh, on this instance. */
    servedFromSharedRefresh: count,
  }),
  services: z.object({ events: serviceStatusSchema, meti: serviceStatusSchema }),
  upstreams: z.object({
    wellview: upstreamStatusSchema,
    events: upstreamStatusSchema,
    meti: upstreamStatusSchema,
  }),
  rateLimit: z.object({
    wellview: z.object({ limitPerSecond: count, currentPerSecond: count, queued: count, throttled: count }),
  }),
  /** Every login on this instance. */
  refreshes: z.object({ performed: count, servedFromSharedRefresh: count }),
  sharedState: z.object({
    kind: z.enum(['memory', 'redis']),
    healthy: z.boolean(),
    lastError: z.object({ message: z.string(), at: z.string() }).nullable(),
    /** Operations served per instance because the shared store was unavailable. */
    fallbacks: count,
  }),
  /** Per minute, the last hour, oldest first; minutes without events are left out. */
  timeline: z.array(timelinePointSchema),
});

export type TokenStatus = z.infer<typeof tokenStatusSchema>;
export type ServiceStatus = z.infer<typeof serviceStatusSchema>;
export type UpstreamStatus = z.infer<typeof upstreamStatusSchema>;
export type TimelinePoint = z.infer<typeof timelinePointSchema>;
