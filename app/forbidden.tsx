import Link from 'next/link';

/** Rendered with status 403 by `forbidden()`: a signed-in user who is not an admin opened an admin page. */
export default function Forbidden() {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <title>Not allowed · WellView Dashboard</title>
      <div className="max-w-md text-center">
        <h1 className="text-2xl font-semibold">You are not allowed to see this page</h1>
        <p className="mt-3 text-slate-600 dark:text-slate-400">
          Admin pages are open only to the users an operator lists in <code>ADMIN_USERS</code>. Ask your
          dashboard administrator if you need access.
        </p>
        <Link href="/" className="mt-6 inline-block rounded-lg bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
          Back to the overview
        </Link>
      </div>
    </main>
  );
}
