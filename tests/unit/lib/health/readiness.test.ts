import { afterEach, describe, expect, it } from 'vitest';
import { resetConfigForTests } from '@/lib/config';
import { checkReadiness } from '@/lib/health/readiness';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetConfigForTests();
});

describe('checkReadiness', () => {
  it('is not ready when the configuration is invalid, naming the variables and never a value', async () => {
    process.env = {
      ...saved,
      APP_URL: 'https://dash.example.com',
      SESSION_PASSWORD: 'short-secret-value',
      PELOTON_CLIENT_SECRET: 'super-secret-value-123',
      WELLVIEW_API_BASE_URL: 'not a url',
    };
    resetConfigForTests();
    const report = await checkReadiness();
    expect(report.ready).toBe(false);
    expect(report.checks.config.ok).toBe(false);
    expect(report.checks.config.detail).toContain('SESSION_PASSWORD');
    expect(report.checks.config.detail).toContain('WELLVIEW_API_BASE_URL');
    expect(report.checks.redis.ok).toBe(false);
    expect(report.checks.discovery.ok).toBe(false);
    const text = JSON.stringify(report);
    for (const secret of ['short-secret-value', 'super-secret-value-123', 'not a url'])
      expect(text).not.toContain(secret);
  });
});
