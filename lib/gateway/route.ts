import 'server-only';
import { apiRoute } from '@/lib/http/api-route';
import { handleGateway } from '@/lib/gateway/gateway';
import type { UpstreamName } from '@/lib/upstreams/types';

/** The route handlers of one upstream's `/api/<name>/[...path]` route. */
export function gatewayRoute(name: UpstreamName) {
  const handler = apiRoute((request, { requestId }) => handleGateway(request, name, requestId));
  return { GET: handler, HEAD: handler, POST: handler, PUT: handler, PATCH: handler, DELETE: handler };
}
