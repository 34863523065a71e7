import type { JWTPayload } from 'jose';
import { bearerToken, type SandboxRequest } from '../http';
import { describeRejection, type SigningKey } from '../keys';

export type BearerCheck = { ok: true; claims: JWTPayload } | { ok: false; description: string };

/** Verifies an API call's bearer token: signature, issuer, expiry and audience. */
export async function checkBearer(request: SandboxRequest, key: SigningKey, issuer: string, audience: string): Promise<BearerCheck> {
  const token = bearerToken(request);
  if (!token) return { ok: false, description: 'Authorization header is missing' };
  const result = await key.verify(token, issuer);
  if (!result.ok) return { ok: false, description: describeRejection(result.expired) };
  const aud = result.claims.aud;
  const audiences = Array.isArray(aud) ? aud : aud ? [aud] : [];
  if (!audiences.includes(audience)) return { ok: false, description: 'The access token is not meant for this API' };
  return { ok: true, claims: result.claims };
}

export function scopesOf(claims: JWTPayload): string[] {
  const scope = claims.scope;
  if (Array.isArray(scope)) return scope.map(String);
  return typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
}
