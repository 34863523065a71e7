import type { ServerResponse } from 'node:http';
import { PELOTON_CLIENT, type DemoUser } from '../defaults';
import { escapeHtml, redirect, sendHtml, type SandboxRequest } from '../http';
import type { SandboxContext } from '../context';
import { CODE_TTL_MS, randomToken, type LoginStore, type PendingAuthorization } from './logins';

/** Loopback redirect URIs may use any port (RFC 8252 §7.3); the callback path is fixed. */
export function isAllowedRedirectUri(uri: string, context: SandboxContext, path = '/api/auth/callback'): boolean {
  if (context.extraRedirectUris.includes(uri)) return true;
  try {
    const url = new URL(uri);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      (url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]') &&
      url.pathname === path &&
      url.hash === ''
    );
  } catch {
    return false;
  }
}

function errorPage(response: ServerResponse, message: string): void {
  sendHtml(
    response,
    400,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in error</title></head><body style="font-family:system-ui;max-width:32rem;margin:4rem auto"><h1>Sign-in error</h1><p>${escapeHtml(message)}</p></body></html>`,
  );
}

/** Sends an OAuth error back to the client's redirect URI (RFC 6749 §4.1.2.1). */
function redirectError(response: ServerResponse, redirectUri: string, error: string, description: string, state?: string): void {
  const target = new URL(redirectUri);
  target.searchParams.set('error', error);
  target.searchParams.set('error_description', description);
  if (state) target.searchParams.set('state', state);
  redirect(response, target.toString());
}

function loginForm(transactionId: string, accounts: readonly DemoUser[], options: { error?: string; email?: string; clientName: string }): string {
  const users = accounts.map((user) => `<li><code>${escapeHtml(user.email)}</code> / <code>${escapeHtml(user.password)}</code>${user.admin ? ' (admin)' : ''}${user.emailVerified ? '' : ' (email not verified)'}</li>`).join('');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in · Peloton (sandbox)</title>
<style>
body{font-family:system-ui,sans-serif;background:#f1f5f9;color:#0f172a;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{background:#fff;border-radius:16px;padding:2rem;width:100%;max-width:22rem;box-shadow:0 1px 3px #0002}
label{display:block;margin-top:1rem;font-weight:600;font-size:.9rem}
input[type=email],input[type=password]{width:100%;box-sizing:border-box;margin-top:.3rem;padding:.6rem;border:1px solid #94a3b8;border-radius:8px;font-size:1rem}
button{margin-top:1.25rem;width:100%;padding:.7rem;border:0;border-radius:8px;font-size:1rem;font-weight:600;cursor:pointer}
.primary{background:#1f5bbf;color:#fff}.secondary{background:#e2e8f0;color:#0f172a;margin-top:.5rem}
.error{background:#fee2e2;color:#991b1b;padding:.6rem;border-radius:8px;margin-top:1rem}
.hint{font-size:.8rem;color:#475569;margin-top:1.5rem}
</style></head>
<body><main>
<h1 style="font-size:1.3rem;margin:0">Peloton</h1>
<p style="margin:.3rem 0 0;color:#475569">Sign in to continue to ${escapeHtml(options.clientName)}</p>
${options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : ''}
<form method="post" action="authorize/login">
<input type="hidden" name="transaction" value="${escapeHtml(transactionId)}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(options.email ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button class="primary" type="submit" name="action" value="login">Sign in</button>
<button class="secondary" type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
</form>
<div class="hint"><p>Sandbox accounts:</p><ul>${users}</ul></div>
</main></body></html>`;
}

/** GET /peloton/authorize: checks the request, then shows the sign-in form. */
export function showAuthorize(request: SandboxRequest, response: ServerResponse, context: SandboxContext, logins: LoginStore): void {
  const query = request.query;
  const clientId = query.get('client_id') ?? '';
  const redirectUri = query.get('redirect_uri') ?? '';
  if (clientId !== PELOTON_CLIENT.clientId) return errorPage(response, 'Unknown client_id.');
  // An unregistered redirect URI is never redirected to.
  if (!isAllowedRedirectUri(redirectUri, context)) return errorPage(response, 'The redirect_uri is not registered for this client.');
  const state = query.get('state') ?? undefined;
  if (query.get('response_type') !== 'code') {
    return redirectError(response, redirectUri, 'unsupported_response_type', 'Only response_type=code is supported.', state);
  }
  const challenge = query.get('code_challenge');
  if (!challenge || query.get('code_challenge_method') !== 'S256' || !/^[\w-]{43}$/.test(challenge)) {
    return redirectError(response, redirectUri, 'invalid_request', 'PKCE with code_challenge_method=S256 is required.', state);
  }
  const scope = query.get('scope') ?? 'openid';
  const known = new Set(['openid', 'profile', 'email', 'offline_access']);
  const unknown = scope.split(' ').filter((item) => item && !known.has(item));
  if (unknown.length > 0) return redirectError(response, redirectUri, 'invalid_scope', `Unknown scope: ${unknown.join(' ')}`, state);
  const audience = query.get('audience') ?? undefined;
  const pending: PendingAuthorization = {
    clientId,
    redirectUri,
    state,
    nonce: query.get('nonce') ?? undefined,
    scope,
    audience,
    codeChallenge: challenge,
    createdAt: Date.now(),
  };
  const id = logins.addPending(pending);
  sendHtml(response, 200, loginForm(id, context.users, { email: query.get('login_hint') ?? undefined, clientName: 'WellView Dashboard' }));
}

/** POST /peloton/authorize/login: checks the credentials and redirects back with a code. */
export function submitLogin(request: SandboxRequest, response: ServerResponse, context: SandboxContext, logins: LoginStore): void {
  const form = new URLSearchParams(request.body.toString('utf8'));
  const transactionId = form.get('transaction') ?? '';
  const pending = logins.takePending(transactionId);
  if (!pending) return errorPage(response, 'This sign-in attempt has expired. Go back to the application and start again.');
  if (form.get('action') === 'cancel') {
    logins.pending.delete(transactionId);
    return redirectError(response, pending.redirectUri, 'access_denied', 'The user cancelled the sign-in.', pending.state);
  }
  const email = (form.get('email') ?? '').trim().toLowerCase();
  const user = context.users.find((candidate) => candidate.email === email && candidate.password === form.get('password'));
  if (!user) {
    return sendHtml(response, 200, loginForm(transactionId, context.users, { error: 'Wrong email or password.', email, clientName: 'WellView Dashboard' }));
  }
  logins.pending.delete(transactionId);
  const code = randomToken(32);
  const now = Date.now();
  logins.codes.set(code, { ...pending, sub: user.sub, authTime: Math.floor(now / 1000), expiresAt: now + CODE_TTL_MS, used: false });
  const target = new URL(pending.redirectUri);
  target.searchParams.set('code', code);
  if (pending.state) target.searchParams.set('state', pending.state);
  redirect(response, target.toString());
}
