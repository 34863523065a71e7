import { randomUUID } from 'node:crypto';
import { errors as joseErrors, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK, type JWTPayload, type CryptoKey } from 'jose';

export type VerifyResult = { ok: true; claims: JWTPayload } | { ok: false; expired: boolean };

/** One RS256 key pair per identity provider, made at start-up. */
export class SigningKey {
  private constructor(
    readonly kid: string,
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
    readonly jwk: JWK,
  ) {}

  static async create(): Promise<SigningKey> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = randomUUID();
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    return new SigningKey(kid, privateKey, publicKey, jwk);
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.jwk] };
  }

  async sign(claims: JWTPayload, ttlSeconds: number, typ = 'JWT'): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, typ })
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .setJti(randomUUID())
      .sign(this.privateKey);
  }

  /** Verifies signature, issuer and expiry; each distinct token is verified once, then cached. */
  async verify(token: string, issuer: string): Promise<VerifyResult> {
    const cached = this.verified.get(token);
    if (cached) return cached.exp * 1000 > Date.now() ? { ok: true, claims: cached } : { ok: false, expired: true };
    try {
      const { payload } = await jwtVerify(token, this.publicKey, { issuer, algorithms: ['RS256'] });
      if (this.verified.size > 20_000) this.verified.clear();
      this.verified.set(token, payload as JWTPayload & { exp: number });
      return { ok: true, claims: payload };
    } catch (error) {
      return { ok: false, expired: error instanceof joseErrors.JWTExpired };
    }
  }

  private readonly verified = new Map<string, JWTPayload & { exp: number }>();
}

/** Why a bearer token was refused: for the API's 401 description. */
export function describeRejection(expired: boolean): string {
  return expired ? 'The access token expired' : 'The access token is invalid';
}
