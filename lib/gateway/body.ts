import { AppError } from '@/lib/errors';

/**
 * Reads a request body up to `maxBytes`; a larger one is refused with 413 before anything is
 * sent upstream (by Content-Length when declared, else while reading).
 */
export async function readLimitedBody(request: Request, maxBytes: number): Promise<Buffer | undefined> {
  if (request.method === 'GET' || request.method === 'HEAD' || request.body === null) return undefined;
  const declared = request.headers.get('content-length');
  if (declared !== null && (!/^\d+$/.test(declared) || Number(declared) > maxBytes)) {
    throw new AppError('PAYLOAD_TOO_LARGE', {
      message: `The request body is larger than ${maxBytes} bytes.`,
    });
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new AppError('PAYLOAD_TOO_LARGE', { message: `The request body is larger than ${maxBytes} bytes.` });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
