import Link from 'next/link';
import { AppNav } from '@/components/layout/app-nav';
import { forbidNonAdminOnAdminPages, requireUser } from '@/lib/dal/session';

export const dynamic = 'force-dynamic';

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  await forbidNonAdminOnAdminPages(user);
  const items = [
    { href: '/', label: 'Overview' },
    { href: '/wells', label: 'Wells' },
    { href: '/events', label: 'Events' },
    { href: '/sources', label: 'Sources' },
    ...(user.isAdmin ? [{ href: '/admin/tokens', label: 'Admin' }] : []),
  ];
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-4 px-4 py-3">
          <Link href="/" className="text-base font-semibold tracking-tight">
            WellView Dashboard
          </Link>
          <AppNav items={items} />
          <div className="ml-auto flex items-center gap-3 text-sm">
            <span className="text-slate-600 dark:text-slate-300" data-testid="user-name">
              {user.name ?? user.email ?? user.sub}
            </span>
            <form action="/api/auth/logout" method="post">
              <button
                type="submit"
                className="rounded-md border border-slate-300 px-3 py-1.5 font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
              >
                Sign out
              </button>
            </form>
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-7xl px-4 py-6">
        {children}
      </main>
    </div>
  );
}
