import type { Metadata } from 'next';
import { LOGIN_ERRORS, isLoginErrorCode } from '@/lib/auth/login-errors';
import { safeReturnTo } from '@/lib/auth/return-to';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const errorCode = first(params.error);
  // Only a same-origin path is ever passed on; the login route checks it again.
  const returnTo = safeReturnTo(first(params.returnTo), 'http://dashboard.invalid');
  const loginHref = `/api/auth/login?returnTo=${encodeURIComponent(returnTo)}`;
  const message = isLoginErrorCode(errorCode) ? LOGIN_ERRORS[errorCode] : null;
  const isNotice = errorCode === 'signed_out';

  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-2xl border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <h1 className="text-2xl font-semibold tracking-tight">WellView Dashboard</h1>
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
          Wells, events and emission sources in one place. Sign in with your Peloton account to continue.
        </p>
        {message && (
          <div
            role={isNotice ? 'status' : 'alert'}
            className={
              isNotice
                ? 'mt-6 rounded-lg border border-slate-200 bg-slate-50 p-3 text-sm dark:border-slate-700 dark:bg-slate-800'
                : 'mt-6 rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200'
            }
          >
            <p>{message}</p>
            {!isNotice && (
              <a href={loginHref} className="mt-2 inline-block font-medium underline underline-offset-2">
                Try again
              </a>
            )}
          </div>
        )}
        <a
          href={loginHref}
          className="mt-6 flex w-full items-center justify-center rounded-lg bg-brand-600 px-4 py-2.5 text-sm font-medium text-white hover:bg-brand-700"
        >
          Sign in with Peloton
        </a>
      </div>
    </main>
  );
}
