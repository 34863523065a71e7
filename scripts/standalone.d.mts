/** Copies `.next/static` and `public/` into `.next/standalone`; returns its `server.js` path. */
export function prepareStandalone(root: string): string;
