import { resetConfigForTests } from '@/lib/config';

/** A complete configuration for unit tests of modules that read it; no Redis, so state is per process. */
export function useUnitTestConfig(): void {
  Object.assign(process.env, {
    APP_URL: 'http://localhost:3000',
    PELOTON_ISSUER: 'https://auth.peloton.example/',
    PELOTON_CLIENT_ID: 'client',
    PELOTON_CLIENT_SECRET: 'secret',
    WELLVIEW_API_BASE_URL: 'https://api.peloton.example/wellview/v1',
    WELLVIEW_SUBSCRIPTION_KEY: 'key',
    WELLVIEW_REGION: 'us-east-1',
    SESSION_PASSWORD: 'RImwApz8hUW8J5gjpa_1ZDJCs2y3iq3jguCG5MhH',
  });
  delete process.env.REDIS_URL;
  resetConfigForTests();
}
