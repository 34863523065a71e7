import 'server-only';
import { Suspense, type ReactNode } from 'react';
import { FirstPaint } from '@/components/data/first-paint';
import type { FirstPaintData } from '@/lib/upstreams/first-paint';

/**
 * How long a page's first HTML may wait for its data. React reveals a streamed Suspense boundary
 * no sooner than about 300 ms after the first paint (it batches reveals), so rows that arrive by
 * streaming show at 650–850 ms even when the server had them at 150: rows in the shell are what
 * make a first row at 300 ms possible. A read that takes longer streams in, so a slow upstream
 * holds the page back by this much at most.
 */
export const SHELL_WAIT_MS = 200;

type Settled = { value: FirstPaintData | null } | null;

/** The read's value if it settles within `ms`, else null (the read goes on). */
async function settledWithin(read: Promise<FirstPaintData | null>, ms: number): Promise<Settled> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    // The readers never reject; a failure would mean "let the browser fetch it".
    return await Promise.race([read.then((value) => ({ value }), () => ({ value: null })), late]);
  } finally {
    clearTimeout(timer);
  }
}

async function Streamed({ read, children }: { read: Promise<FirstPaintData | null>; children: ReactNode }) {
  const value = await read.catch(() => null);
  return <FirstPaint data={value}>{children}</FirstPaint>;
}

/**
 * An area seeded with the data the server read (`read`, from `lib/server-data/readers.ts`): in
 * the page's first HTML when the read is done within `SHELL_WAIT_MS`, else behind `fallback` and
 * streamed in when it is. Either way the client components below hydrate without fetching it again.
 */
export async function ServerFirstPaint({
  read,
  fallback,
  children,
}: {
  read: Promise<FirstPaintData | null>;
  fallback: ReactNode;
  children: ReactNode;
}) {
  const early = await settledWithin(read, SHELL_WAIT_MS);
  if (early) return <FirstPaint data={early.value}>{children}</FirstPaint>;
  return (
    <Suspense fallback={fallback}>
      <Streamed read={read}>{children}</Streamed>
    </Suspense>
  );
}
