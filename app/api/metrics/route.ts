import { apiRoute } from '@/lib/http/api-route';
import { metricsResponse } from '@/lib/observability/exposition';

export const dynamic = 'force-dynamic';

export const GET = apiRoute((request, { requestId }) => metricsResponse(request, requestId));
