import { createServer, request, type Server } from 'node:http';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import { installKeepAlive, serverTimeouts } from '@/lib/http/keep-alive';

describe('serverTimeouts', () => {
  it('lets headers arrive for 1 s longer than an idle connection lives', () => {
    expect(serverTimeouts(65_000, 300_000)).toEqual({
      keepAliveTimeout: 65_000,
      headersTimeout: 66_000,
      requestTimeout: 300_000,
    });
  });

  it('raises the request timeout to the headers timeout when it is shorter, and keeps 0 (none)', () => {
    expect(serverTimeouts(400_000, 300_000).requestTimeout).toBe(401_000);
    expect(serverTimeouts(65_000, 0).requestTimeout).toBe(0);
  });
});

describe('installKeepAlive', () => {
  it('sets the timeouts on the server that answers, from its first request', async () => {
    installKeepAlive(65_000);
    const server: Server = createServer((_incoming, response) => response.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    expect(server.keepAliveTimeout).toBe(5_000);
    const port = (server.address() as { port: number }).port;
    try {
      await new Promise<void>((resolve, reject) => {
        const outgoing = request({ host: '127.0.0.1', port, path: '/' }, (response) => {
          response.resume();
          response.on('end', resolve);
        });
        outgoing.on('error', reject);
        outgoing.end();
      });
      expect(server.keepAliveTimeout).toBe(65_000);
      expect(server.headersTimeout).toBe(66_000);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('KEEP_ALIVE_TIMEOUT_MS', () => {
  const base = {
    APP_URL: 'http://localhost:3000',
    SESSION_PASSWORD: '7BNy3YjrYkCJm5CS2NC7nbT0bTI2znwNdKtzuRdm',
    PELOTON_ISSUER: 'https://auth.peloton.com/',
    PELOTON_CLIENT_ID: 'client',
    PELOTON_CLIENT_SECRET: 'super-secret-value-123',
    WELLVIEW_API_BASE_URL: 'https://api.peloton.com/wellview/v1/',
    WELLVIEW_SUBSCRIPTION_KEY: 'sub-key-value-456',
    WELLVIEW_REGION: 'us-east-1',
  };

  it('defaults to 65 s, longer than a load balancer’s common 60 s idle timeout', () => {
    expect(parseConfig(base).keepAliveTimeoutMs).toBe(65_000);
    expect(parseConfig({ ...base, KEEP_ALIVE_TIMEOUT_MS: '125000' }).keepAliveTimeoutMs).toBe(125_000);
  });

  it.each(['0', '-5', '65s', '1.5'])('refuses %j by name', (value) => {
    expect(() => parseConfig({ ...base, KEEP_ALIVE_TIMEOUT_MS: value })).toThrow(/KEEP_ALIVE_TIMEOUT_MS/);
  });
});
