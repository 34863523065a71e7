import { apiRoute } from '@/lib/http/api-route';
import { beginLogin } from '@/lib/auth/login';

export const dynamic = 'force-dynamic';

export const GET = apiRoute((request, { requestId }) => beginLogin(request, requestId));
