import { redirect } from 'next/navigation';
import { requireAdminSession } from '@/lib/dal/session';

/** `/admin` opens the token status page (admins only, like every admin page). */
export default async function AdminIndexPage() {
  await requireAdminSession();
  redirect('/admin/tokens');
}
