import type { Metadata } from 'next';
import { TokenStatusView } from '@/components/admin/token-status-view';

export const metadata: Metadata = { title: 'Token status' };
export const dynamic = 'force-dynamic';

export default async function TokenStatusPage() {
  return (
    <section aria-labelledby="tokens-title">
      <h1 id="tokens-title" className="mb-4 text-2xl font-semibold tracking-tight">
        Token status
      </h1>
      <TokenStatusView />
    </section>
  );
}
