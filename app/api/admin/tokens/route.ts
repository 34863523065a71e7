import { apiRoute } from '@/lib/http/api-route';
import { tokenStatusResponse } from '@/lib/admin/actions';

export const dynamic = 'force-dynamic';

export const GET = apiRoute((request) => tokenStatusResponse(request));
