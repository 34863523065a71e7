'use client';

import { ErrorState } from '@/components/ui/states';

export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorState error={new Error(error.digest ? 'Something went wrong while showing this page.' : error.message)} onRetry={reset} />;
}
