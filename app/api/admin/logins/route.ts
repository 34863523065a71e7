import { apiRoute } from '@/lib/http/api-route';
import { loginsResponse } from '@/lib/admin/logins';

export const dynamic = 'force-dynamic';

export const GET = apiRoute((request) => loginsResponse(request));
