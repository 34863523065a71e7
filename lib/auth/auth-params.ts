/**
 * `PELOTON_AUTH_PARAMS`: extra parameters an operator adds to the authorize request, written as a
 * query string (`prompt=consent&acr_values=mfa`). Pure parsing, shared by the config and its tests.
 */

/**
 * Parameters the dashboard sets itself, or that would change the protocol under it, and so may not
 * be overridden: the client and redirect identify us; `response_type`/`response_mode` are what the
 * callback parses; `state`, `nonce` and PKCE are the per-sign-in secrets; `scope` and `audience`
 * have their own variables (`PELOTON_SCOPES`, `PELOTON_AUDIENCE`); `request`/`request_uri` (JAR)
 * would replace every other parameter; `client_secret` never belongs in a browser URL.
 */
export const RESERVED_AUTH_PARAMS: readonly string[] = [
  'client_id',
  'client_secret',
  'redirect_uri',
  'response_type',
  'response_mode',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'scope',
  'audience',
  'request',
  'request_uri',
];

const NAME = /^[A-Za-z0-9_.\-]{1,64}$/;

export type AuthParamsResult = { ok: true; params: Record<string, string> } | { ok: false; reason: string };

/**
 * Parses `name=value&name=value` (values URL-encoded as in any query string; a leading `?` is
 * allowed). Refuses reserved names, repeated names, names that are not plain tokens and empty values.
 */
export function parseAuthParams(raw: string | undefined): AuthParamsResult {
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  const text = (raw ?? '').trim().replace(/^\?/, '');
  if (text === '') return { ok: true, params: {} };
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) return { ok: false, reason: 'must be name=value pairs joined by &' };
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(pair.slice(0, eq).replace(/\+/g, ' '));
      value = decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      return { ok: false, reason: 'has a malformed %-escape' };
    }
    if (!NAME.test(name)) return { ok: false, reason: `has a parameter name that is not a plain token` };
    const lower = name.toLowerCase();
    if (RESERVED_AUTH_PARAMS.includes(lower) || lower.startsWith('code_challenge')) {
      return { ok: false, reason: `may not set ${lower}: the dashboard sets it (see its own variable or the README)` };
    }
    if (value === '') return { ok: false, reason: `gives ${name} an empty value` };
    if (Object.hasOwn(params, name)) return { ok: false, reason: `repeats ${name}` };
    params[name] = value;
  }
  return { ok: true, params: { ...params } };
}
