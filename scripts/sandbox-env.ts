/**
 * The dashboard's environment for running against the local sandbox (demo, tests, benchmarks).
 * Every credential here exists only in the sandbox.
 */
import {
  PELOTON_CLIENT,
  PELOTON_AUDIENCE,
  EVENTS_CLIENT,
  EVENTS_TENANT_CODE,
  METI_CLIENT,
  METI_AUDIENCE,
  WELLVIEW_SUBSCRIPTION_KEYS,
  WELLVIEW_REGION,
  DEMO_ADMIN_EMAIL,
} from '../sandbox/defaults';

export const DEMO_SESSION_PASSWORD = 'sandbox-only-session-password-change-me-0001';

export function sandboxAppEnv(sandboxUrl: string, appUrl: string): Record<string, string> {
  const base = sandboxUrl.replace(/\/+$/, '');
  return {
    APP_URL: appUrl,
    SESSION_PASSWORD: DEMO_SESSION_PASSWORD,
    ADMIN_USERS: DEMO_ADMIN_EMAIL,
    PELOTON_ISSUER: `${base}/peloton/`,
    PELOTON_CLIENT_ID: PELOTON_CLIENT.clientId,
    PELOTON_CLIENT_SECRET: PELOTON_CLIENT.clientSecret,
    PELOTON_AUDIENCE,
    WELLVIEW_API_BASE_URL: `${base}/wellview`,
    WELLVIEW_SUBSCRIPTION_KEY: WELLVIEW_SUBSCRIPTION_KEYS[0] as string,
    WELLVIEW_REGION,
    EVENTS_IDENTITY_URL: `${base}/events-identity`,
    EVENTS_CLIENT_ID: EVENTS_CLIENT.clientId,
    EVENTS_CLIENT_SECRET: EVENTS_CLIENT.clientSecret,
    EVENTS_API_BASE_URL: `${base}/events`,
    EVENTS_TENANT_CODE,
    METI_TOKEN_URL: `${base}/meti-identity/oauth/token`,
    METI_CLIENT_ID: METI_CLIENT.clientId,
    METI_CLIENT_SECRET: METI_CLIENT.clientSecret,
    METI_AUDIENCE,
    METI_API_BASE_URL: `${base}/meti`,
    ALLOW_INSECURE_HTTP: '1',
  };
}
