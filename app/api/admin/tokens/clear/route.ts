import { apiRoute } from '@/lib/http/api-route';
import { clearServiceToken } from '@/lib/admin/actions';

export const dynamic = 'force-dynamic';

export const POST = apiRoute((request, { requestId }) => clearServiceToken(request, requestId));
