import { apiRoute } from '@/lib/http/api-route';
import { endLoginsResponse } from '@/lib/admin/logins';

export const dynamic = 'force-dynamic';

export const POST = apiRoute((request, { requestId }) => endLoginsResponse(request, requestId));
