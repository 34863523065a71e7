import { apiRoute } from '@/lib/http/api-route';
import { handleWellviewTarget } from '@/lib/upstreams/wellview/target-route';

export const dynamic = 'force-dynamic';

export const GET = apiRoute((request, { requestId }) => handleWellviewTarget(request, requestId));
