/** @type {import('next').NextConfig} */
const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
  { key: 'X-Frame-Options', value: 'DENY' },
];

const nextConfig = {
  poweredByHeader: false,
  // .next/standalone: a server.js with only the node_modules it needs (the Dockerfile ships it;
  // scripts/start.mjs runs it for `npm start`).
  output: 'standalone',
  // The app's own files only; `npm test` type-checks tests, scripts and the sandbox too.
  typescript: { tsconfigPath: 'tsconfig.app.json' },
  reactStrictMode: true,
  // forbidden(): admin pages answer 403 with app/forbidden.tsx to signed-in non-admins.
  experimental: { authInterrupts: true },
  // Loaded by Node, not bundled: one prom-client per process, however many route bundles use it.
  serverExternalPackages: ['prom-client'],
  // Static assets bypass proxy.ts; they still get the basic headers and a strict CSP.
  async headers() {
    return [
      {
        source: '/_next/static/:path*',
        headers: [
          ...securityHeaders,
          { key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" },
        ],
      },
      // API routes set these themselves (lib/http/api-route.ts); this covers what no route answers.
      { source: '/api/:path*', headers: [...securityHeaders, { key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" }] },
      // public/ files proxy.ts does not see (its matcher leaves out favicon.ico).
      { source: '/favicon.ico', headers: [...securityHeaders, { key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" }] },
    ];
  },
};

export default nextConfig;
