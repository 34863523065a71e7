# syntax=docker/dockerfile:1
# The dashboard as a container: Next.js's standalone output on Node 24 LTS, run as a non-root user.
#   docker build -t wellview-dashboard .
#   docker run --env-file .env.production -p 3000:3000 wellview-dashboard
# Configuration is the environment only (see README "Configuration"); nothing secret is baked in.

ARG NODE_IMAGE=node:24-slim

# 1. Every dependency, dev ones included: the build needs TypeScript, Tailwind and PostCSS.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# 2. `next build` writes .next/standalone: server.js plus only the node_modules it traced.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 NODE_ENV=production
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npx next build

# 3. The runtime: the standalone server with the static assets and public/ beside it (what
#    `next build` leaves out of the standalone folder). Production dependencies only: no npm
#    install here, just what the build traced.
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    # server.js binds to HOSTNAME, which Docker sets to the container id: listen everywhere.
    HOSTNAME=0.0.0.0 \
    # Idle connections outlive the load balancer's (60 s is the common default); headers timeout +1 s.
    KEEP_ALIVE_TIMEOUT_MS=65000
# The files stay root's and read-only to the app; only Next's cache folder is writable.
COPY --from=build /app/.next/standalone ./
COPY --from=build /app/.next/static ./.next/static
COPY --from=build /app/public ./public
RUN mkdir -p .next/cache && chown node:node .next/cache
# The node image's unprivileged user (uid 1000).
USER node
EXPOSE 3000
# Liveness only: readiness (/api/health/ready) is the load balancer's question, not Docker's.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.js"]
