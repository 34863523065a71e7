import { afterEach, describe, expect, it, vi } from 'vitest';
import { GatewayError, gatewayFetch } from '@/lib/client/gateway-client';

function answer(body: string, init: ResponseInit = {}) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(body, init)),
  );
}

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a failure');
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('gatewayFetch', () => {
  it('parses JSON answers', async () => {
    answer('[{"id":1}]', { headers: { 'content-type': 'application/json' } });
    await expect(gatewayFetch('/api/wellview/x')).resolves.toEqual([{ id: 1 }]);
  });

  it.each([
    ['an empty 200', '', 'application/json', 'EMPTY_ANSWER', /WellView answered with an empty body/],
    [
      'an HTML 200',
      '<!DOCTYPE html><title>APIM portal</title>',
      'text/html',
      'HTML_ANSWER',
      /web page \("APIM portal"\)/,
    ],
    ['a non-JSON 200', 'OK', 'text/plain', 'NOT_JSON', /not JSON/],
    [
      'a 200 error object',
      '{"error":{"message":"Tenant suspended"}}',
      'application/json',
      'ERROR_ANSWER',
      /Tenant suspended/,
    ],
  ])(
    'turns %s into an error that says what arrived, and is not retried',
    async (_name, body, type, code, message) => {
      answer(body, { headers: { 'content-type': type } });
      const error = await failure(gatewayFetch('/api/wellview/x'));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      if (code === 'ERROR_ANSWER') expect(error.permanent).toBe(true);
    },
  );

  it('gives up after the timeout instead of waiting forever', async () => {
    vi.useFakeTimers();
    vi.stubGlobal(
      'fetch',
      vi.fn(
        (_url: string, init: RequestInit) =>
          new Promise((_resolve, reject) =>
            init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
          ),
      ),
    );
    const pending = failure(gatewayFetch('/api/meti/sources', { timeoutMs: 1000 }));
    await vi.advanceTimersByTimeAsync(1001);
    const error = await pending;
    expect(error.code).toBe('CLIENT_TIMEOUT');
    expect(error.message).toMatch(/METI did not answer within 1 seconds/);
  });

  it("keeps the server's error code and message", async () => {
    answer('{"error":{"code":"UPSTREAM_TIMEOUT","message":"WellView took too long"}}', { status: 504 });
    const error = await failure(gatewayFetch('/api/wellview/x'));
    expect([error.status, error.code, error.message]).toEqual([
      504,
      'UPSTREAM_TIMEOUT',
      'WellView took too long',
    ]);
    expect(error.permanent).toBe(false);
  });
});
