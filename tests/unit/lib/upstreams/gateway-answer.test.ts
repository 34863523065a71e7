import { afterEach, describe, expect, it, vi } from 'vitest';
import { GatewayError } from '@/lib/client/gateway-client';
import { fetchAnswer } from '@/lib/upstreams/gateway-answer';

describe('fetchAnswer', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('gives up a little after the gateway timeout instead of waiting forever', { timeout: 15_000 }, async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        (_url: string, init?: RequestInit) =>
          new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))),
      ),
    );
    const started = Date.now();
    const failure = fetchAnswer({ url: '/api/meti/sources', source: 'METI', timeoutMs: 100 });
    await expect(failure).rejects.toBeInstanceOf(GatewayError);
    await expect(failure).rejects.toMatchObject({ status: 504, code: 'CLIENT_TIMEOUT', message: expect.stringMatching(/METI did not answer within 5 seconds/) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(5_000);
  });

  it('passes the gateway’s JSON error on with its code, status and Retry-After', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        Response.json({ error: { code: 'RATE_LIMITED', message: 'Busy' } }, { status: 503, headers: { 'retry-after': '3' } }),
      ),
    );
    await expect(fetchAnswer({ url: '/api/meti/sources', source: 'METI' })).rejects.toMatchObject({
      status: 503,
      code: 'RATE_LIMITED',
      message: 'Busy',
      retryAfter: 3,
    });
  });

  it('says the dashboard could not be reached when the network fails', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('fetch failed'))));
    await expect(fetchAnswer({ url: '/x', source: 'METI' })).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
  });

  it('sends X-CSRF and, for a POST read, the JSON body', async () => {
    const fetchMock = vi.fn(async () => Response.json([]));
    vi.stubGlobal('fetch', fetchMock);
    await fetchAnswer({ url: '/api/events/list', body: '{"PageNumber":1}', source: 'Events' });
    const [, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(init.method).toBe('POST');
    expect(new Headers(init.headers).get('x-csrf')).toBe('1');
    expect(new Headers(init.headers).get('content-type')).toBe('application/json');
  });
});
