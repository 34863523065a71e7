import { gatewayRoute } from '@/lib/gateway/route';

export const dynamic = 'force-dynamic';

export const { GET, HEAD, POST, PUT, PATCH, DELETE } = gatewayRoute('events');
