/**
 * The shared layer of the upstream clients: envelopes and paging, error answers, field mapping.
 * Pure, isomorphic TypeScript: import it from server code and client components alike.
 */
export * from '@/lib/upstreams/shared/answer';
export * from '@/lib/upstreams/shared/envelope';
export * from '@/lib/upstreams/shared/field-map';
export * from '@/lib/upstreams/shared/paging';
export * from '@/lib/upstreams/shared/paths';
export * from '@/lib/upstreams/shared/settings';
export * from '@/lib/upstreams/shared/values';
