import { defineConfig, devices } from '@playwright/test';
import { sandboxAppEnv } from './scripts/sandbox-env';

/** End-to-end tests run the built dashboard against the sandbox on ports of their own. */
const SANDBOX_PORT = Number(process.env.E2E_SANDBOX_PORT ?? 4610);
const APP_PORT = Number(process.env.E2E_APP_PORT ?? 3610);
const sandboxUrl = `http://127.0.0.1:${SANDBOX_PORT}`;
export const appUrl = `http://127.0.0.1:${APP_PORT}`;
/** A second pair: the sandbox in its variant profile (other response shapes) and a dashboard against it. */
const VARIANT_SANDBOX_PORT = Number(process.env.E2E_VARIANT_SANDBOX_PORT ?? 4611);
const VARIANT_APP_PORT = Number(process.env.E2E_VARIANT_APP_PORT ?? 3611);
export const variantSandboxUrl = `http://127.0.0.1:${VARIANT_SANDBOX_PORT}`;
export const variantAppUrl = `http://127.0.0.1:${VARIANT_APP_PORT}`;

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e-artifacts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json']],
  use: {
    baseURL: appUrl,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromiumPath,
      // Without these Chromium keeps trying to reach Google's services, which this network refuses.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: [
    {
      command: 'npx tsx sandbox/main.ts',
      url: `${sandboxUrl}/__sandbox/stats`,
      env: { SANDBOX_PORT: String(SANDBOX_PORT), SANDBOX_HOST: '127.0.0.1' },
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: `npx next start -p ${APP_PORT} -H 127.0.0.1`,
      url: `${appUrl}/api/health`,
      // The specs share one login per worker and turn provider faults on and off between tests: a
      // /user answer remembered from an earlier test would make what a test sees depend on test
      // order. The memo is tested over HTTP in tests/integration/upstreams/wellview-target.test.ts.
      env: { ...sandboxAppEnv(sandboxUrl, appUrl), NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', WELLVIEW_TARGET_CACHE_SECONDS: '0' },
      reuseExistingServer: false,
      timeout: 120_000,
    },
    {
      command: 'npx tsx sandbox/main.ts',
      url: `${variantSandboxUrl}/__sandbox/stats`,
      env: { SANDBOX_PORT: String(VARIANT_SANDBOX_PORT), SANDBOX_HOST: '127.0.0.1', SANDBOX_PROFILE: 'variant' },
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: `npx next start -p ${VARIANT_APP_PORT} -H 127.0.0.1`,
      url: `${variantAppUrl}/api/health`,
      env: { ...sandboxAppEnv(variantSandboxUrl, variantAppUrl), NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', WELLVIEW_TARGET_CACHE_SECONDS: '0' },
      reuseExistingServer: false,
      timeout: 120_000,
    },
  ],
});

export { sandboxUrl };
