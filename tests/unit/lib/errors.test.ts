import { describe, expect, it } from 'vitest';
import { AppError, BusyError, errorResponse, InvalidPathError, toAppError } from '@/lib/errors';
import { TokenRequestError } from '@/lib/tokens/client-credentials';
import { LockTimeoutError } from '@/lib/tokens/store';

/** What the one translator answers for an error thrown inside lib/. */
async function answer(error: unknown) {
  const response = errorResponse(toAppError(error), 'req-1');
  const body = (await response.json()) as { error: { code: string; message: string; requestId: string; reason?: string } };
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body };
}

describe('one AppError hierarchy, one translator', () => {
  it('answers a lock timeout 503 BUSY with Retry-After, and no lock detail', async () => {
    const result = await answer(new LockTimeoutError('lock:abcdefghijklmnop'));
    expect(result.status).toBe(503);
    expect(Number(result.retryAfter)).toBeGreaterThan(0);
    expect(result.body.error).toMatchObject({ code: 'BUSY', requestId: 'req-1' });
    expect(result.body.error.message).not.toMatch(/lock|abcdef/);
  });

  it('answers a token-service failure 502 IDP_UNAVAILABLE with its reason, never 500', async () => {
    const result = await answer(new TokenRequestError('invalid_client', 'The token service refused (invalid_client)', 401));
    expect(result.status).toBe(502);
    expect(result.body.error).toMatchObject({ code: 'IDP_UNAVAILABLE', reason: 'invalid_client' });
    expect(Number(result.retryAfter)).toBeGreaterThan(0);
  });

  it('gives each subclass its code and default message', async () => {
    expect(new BusyError()).toBeInstanceOf(AppError);
    expect((await answer(new BusyError())).body.error.message).toMatch(/busy/i);
    expect(await answer(new InvalidPathError())).toMatchObject({ status: 400, body: { error: { code: 'INVALID_PATH' } } });
  });

  it('turns anything else into a 500 INTERNAL without its message', async () => {
    const result = await answer(new Error('secret detail'));
    expect(result.status).toBe(500);
    expect(result.body.error.code).toBe('INTERNAL');
    expect(JSON.stringify(result.body)).not.toContain('secret detail');
  });
});
