import { apiRoute } from '@/lib/http/api-route';
import { backchannelLogout } from '@/lib/auth/backchannel-logout';

export const dynamic = 'force-dynamic';

export const POST = apiRoute((request, { requestId }) => backchannelLogout(request, requestId));
