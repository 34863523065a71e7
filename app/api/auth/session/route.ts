import { apiRoute } from '@/lib/http/api-route';
import { sessionStatus } from '@/lib/auth/session-status';

export const dynamic = 'force-dynamic';

export const GET = apiRoute((request) => sessionStatus(request));
