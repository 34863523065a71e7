import { apiRoute } from '@/lib/http/api-route';
import { logout } from '@/lib/auth/logout';

export const dynamic = 'force-dynamic';

export const POST = apiRoute((request, { requestId }) => logout(request, requestId));
