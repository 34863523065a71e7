import { forbidden } from 'next/navigation';
import { requireUser } from '@/lib/dal/session';

/** Every admin page: signed-in admins only; anyone else gets 403 and app/forbidden.tsx. */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  if (!user.isAdmin) forbidden();
  return children;
}
