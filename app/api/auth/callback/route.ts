import { apiRoute } from '@/lib/http/api-route';
import { finishLogin } from '@/lib/auth/callback';

export const dynamic = 'force-dynamic';

export const GET = apiRoute((request, { requestId }) => finishLogin(request, requestId));
