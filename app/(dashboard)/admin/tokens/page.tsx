import type { Metadata } from 'next';
import { TokenStatusView } from '@/components/admin/token-status-view';
import { requireUser } from '@/lib/dal/session';
import { notFound } from 'next/navigation';

export const metadata: Metadata = { title: 'Token status' };
export const dynamic = 'force-dynamic';

export default async function TokenStatusPage() {
  // proxy.ts already answers 403 "not allowed" to non-admins; this is the second line.
  const user = await requireUser();
  if (!user.isAdmin) notFound();
  return (
    <section aria-labelledby="tokens-title">
      <h1 id="tokens-title" className="mb-4 text-2xl font-semibold tracking-tight">
        Token status
      </h1>
      <TokenStatusView />
    </section>
  );
}
