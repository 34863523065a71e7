import type { GatewayError } from '@/lib/client/gateway-client';

/**
 * The record does not exist for this account. An id the gateway refuses as a path (one holding
 * `/`, `..` or `%`) cannot name a record either, so it reads as not found, not as a failure.
 */
export function isNotFound(error: GatewayError | undefined): boolean {
  return error?.status === 404 || error?.code === 'NOT_FOUND' || error?.code === 'INVALID_PATH';
}
