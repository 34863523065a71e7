import { z } from 'zod';

/**
 * The shape of `GET /api/admin/tokens`, shared by the API (which builds it) and the admin page
 * (which validates what it receives).
 */

const iso = z.string().nullable();
const errorSchema = z.object({ code: z.string(), message: z.string(), at: z.string() }).nullable();

export const serviceStatusSchema = z.object({
  configured: z.boolean(),
  cached: z.boolean(),
  issuedAt: iso,
  expiresAt: iso,
  tokenRequests: z.number(),
  fingerprint: z.string().nullable(),
  scope: z.string().nullable(),
  audience: z.string().nullable(),
  tokenUrl: z.string().nullable(),
  lastError: errorSchema,
});

export const upstreamStatusSchema = z.object({
  configured: z.boolean(),
  healthy: z.boolean().nullable(),
  lastStatus: z.number().nullable(),
  latencyMs: z.number().nullable(),
  lastCallAt: iso,
  callsLastMinute: z.number(),
  rateLimited: z.number(),
  unauthorized: z.number(),
});

export const tokenStatusSchema = z.object({
  generatedAt: z.string(),
  session: z.object({
    user: z.object({ sub: z.string(), email: z.string().nullable(), name: z.string().nullable() }),
    signedInAt: z.string(),
    lastSeenAt: z.string(),
    idleExpiresAt: z.string(),
    absoluteExpiresAt: z.string(),
    accessTokenIssuedAt: iso,
    accessTokenExpiresAt: iso,
    accessTokenFingerprint: z.string().nullable(),
    refreshTokenPresent: z.boolean(),
    rotations: z.number(),
    lastRefreshAt: iso,
  }),
  services: z.object({ events: serviceStatusSchema, meti: serviceStatusSchema }),
  upstreams: z.object({ wellview: upstreamStatusSchema, events: upstreamStatusSchema, meti: upstreamStatusSchema }),
  rateLimit: z.object({
    wellview: z.object({ limitPerSecond: z.number(), currentPerSecond: z.number(), queued: z.number(), throttled: z.number() }),
  }),
  refreshes: z.object({ performed: z.number(), servedFromSharedRefresh: z.number() }),
  sharedState: z.object({
    kind: z.enum(['memory', 'redis']),
    healthy: z.boolean(),
    lastError: z.object({ message: z.string(), at: z.string() }).nullable(),
    /** Operations served per instance because Redis was unavailable. */
    fallbacks: z.number(),
  }),
  timeline: z.array(
    z.object({
      minute: z.string(),
      refreshes: z.number(),
      tokenRequests: z.number(),
      unauthorized: z.number(),
      rateLimited: z.number(),
      errors: z.number(),
    }),
  ),
});
export type TokenStatus = z.infer<typeof tokenStatusSchema>;
export type ServiceStatus = z.infer<typeof serviceStatusSchema>;
