import type { Metadata } from 'next';
import { TokenStatusView } from '@/components/admin/token-status-view';
import { initialTokenStatus } from '@/lib/admin/token-status';

export const metadata: Metadata = { title: 'Token status' };
export const dynamic = 'force-dynamic';

export default async function TokenStatusPage() {
  const initial = await initialTokenStatus();
  return (
    <section aria-labelledby="tokens-title">
      <h1 id="tokens-title" className="mb-4 text-2xl font-semibold tracking-tight">
        Token status
      </h1>
      <TokenStatusView initial={initial} />
    </section>
  );
}
