import { randomBytes } from 'node:crypto';

/**
 * The Peloton fake's memory: pending authorizations, codes, and logins (refresh-token families,
 * as Auth0 models them: every rotation adds a token to the family; reuse revokes the family).
 */

export interface PendingAuthorization {
  clientId: string;
  redirectUri: string;
  state?: string;
  nonce?: string;
  scope: string;
  audience?: string;
  codeChallenge: string;
  createdAt: number;
}

export interface AuthorizationCode extends PendingAuthorization {
  sub: string;
  authTime: number;
  expiresAt: number;
  used: boolean;
  /** The login created by exchanging this code, revoked if the code is replayed. */
  familyId?: string;
}

export interface Login {
  id: string;
  sub: string;
  clientId: string;
  scope: string;
  audience?: string;
  nonce?: string;
  authTime: number;
  createdAt: number;
  lastUsedAt: number;
  revoked: boolean;
}

export const REFRESH_ABSOLUTE_MS = 30 * 24 * 3_600_000;
export const REFRESH_IDLE_MS = 7 * 24 * 3_600_000;
export const CODE_TTL_MS = 60_000;
const PENDING_TTL_MS = 10 * 60_000;

export const randomToken = (bytes: number) => randomBytes(bytes).toString('base64url');

export class LoginStore {
  readonly pending = new Map<string, PendingAuthorization>();
  readonly codes = new Map<string, AuthorizationCode>();
  readonly logins = new Map<string, Login>();
  /** refresh token → its login and whether it was already used. */
  readonly refreshTokens = new Map<string, { loginId: string; used: boolean }>();

  addPending(authorization: PendingAuthorization): string {
    this.sweep();
    const id = randomToken(18);
    this.pending.set(id, authorization);
    return id;
  }

  takePending(id: string): PendingAuthorization | undefined {
    const found = this.pending.get(id);
    if (!found || Date.now() - found.createdAt > PENDING_TTL_MS) return undefined;
    return found;
  }

  issueRefreshToken(loginId: string): string {
    const token = `v1.${randomToken(48)}`;
    this.refreshTokens.set(token, { loginId, used: false });
    return token;
  }

  /** Revokes a login and every refresh token of it; true when it was live. */
  revoke(loginId: string): boolean {
    const login = this.logins.get(loginId);
    if (!login || login.revoked) return false;
    login.revoked = true;
    return true;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, pending] of this.pending) if (now - pending.createdAt > PENDING_TTL_MS) this.pending.delete(id);
    for (const [code, entry] of this.codes) if (entry.expiresAt < now - 10 * 60_000) this.codes.delete(code);
  }
}
