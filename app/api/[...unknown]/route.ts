import { apiRoute } from '@/lib/http/api-route';
import { AppError } from '@/lib/errors';

/** Any /api path no route claims: the JSON error shape, not an HTML page. */
const notFound = apiRoute(async () => {
  throw new AppError('NOT_FOUND', { message: 'There is no such API route.' });
});

export { notFound as GET, notFound as HEAD, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE, notFound as OPTIONS };
