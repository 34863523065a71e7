import { apiRoute } from '@/lib/http/api-route';
import { renewServiceToken } from '@/lib/admin/actions';

export const dynamic = 'force-dynamic';

export const POST = apiRoute((request, { requestId }) => renewServiceToken(request, requestId));
