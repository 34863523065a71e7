/**
 * Where to send the user after sign-in: only a path on our own origin. Anything else
 * (absolute URLs, `//host`, `/\host`, `javascript:`, control characters, encoded tricks that
 * decode to those) falls back to `/`.
 */
export function safeReturnTo(value: string | null | undefined, appOrigin: string): string {
  if (!value || value.length > 2048) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  if (/[\u0000-\u001f\u007f]/.test(value)) return '/';
  let decoded = value;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return '/';
  }
  if (decoded.startsWith('//') || decoded.includes('\\')) return '/';
  let target: URL;
  try {
    target = new URL(value, appOrigin);
  } catch {
    return '/';
  }
  if (target.origin !== appOrigin) return '/';
  // Dot segments can fold `/.//host` into `//host`, which a later URL resolution reads as a host.
  if (target.pathname.startsWith('//')) return '/';
  // Never bounce back into the sign-in routes themselves.
  if (target.pathname.startsWith('/api/auth/')) return '/';
  return `${target.pathname}${target.search}${target.hash}`;
}
