import { apiRoute } from '@/lib/http/api-route';
import { signOutEverywhere } from '@/lib/admin/logins';

export const dynamic = 'force-dynamic';

export const POST = apiRoute((request, { requestId }) => signOutEverywhere(request, requestId));
