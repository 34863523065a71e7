'use client';

import { useCallback, useId, useRef, useState, type FormEvent } from 'react';
import { ConfirmButton } from '@/components/admin/confirm-button';
import { Section } from '@/components/admin/token-status-sections';
import { When } from '@/components/admin/time';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { gatewayFetch, GatewayError } from '@/lib/client/gateway-client';
import { adminLoginsSchema, endLoginsAnswerSchema, type AdminLogins } from '@/lib/admin/logins-schema';

type Load =
  | { state: 'idle' }
  | { state: 'loading'; user: string }
  | { state: 'ready'; data: AdminLogins }
  | { state: 'failed'; user: string; error: GatewayError | Error };

type Notice = { tone: 'ok' | 'error'; text: string };

const failureText = (failure: unknown) => (failure instanceof GatewayError ? failure.message : 'no answer.');

/**
 * "Logins": an admin looks up a user (subject id or email), sees their active logins (started,
 * last seen, browser, instance, which one is this very login) and ends one or all of them.
 */
export function LoginsSection() {
  const inputId = useId();
  const [query, setQuery] = useState('');
  const [load, setLoad] = useState<Load>({ state: 'idle' });
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const latest = useRef(0);

  const search = useCallback(async (user: string) => {
    const ticket = ++latest.current;
    setLoad({ state: 'loading', user });
    try {
      const answer = await gatewayFetch<unknown>(`/api/admin/logins?user=${encodeURIComponent(user)}`);
      const parsed = adminLoginsSchema.safeParse(answer);
      if (ticket !== latest.current) return;
      setLoad(
        parsed.success
          ? { state: 'ready', data: parsed.data }
          : { state: 'failed', user, error: new Error('The logins answer had an unexpected shape.') },
      );
    } catch (failure) {
      if (ticket !== latest.current) return;
      setLoad({ state: 'failed', user, error: failure instanceof Error ? failure : new Error('No answer.') });
    }
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const user = query.trim();
    setNotice(null);
    if (user) void search(user);
  };

  const end = async (what: string, body: { login: string } | { user: string }, user: string) => {
    setBusy(true);
    try {
      const answer = endLoginsAnswerSchema.parse(
        await gatewayFetch<unknown>('/api/admin/logins/end', { method: 'POST', body: JSON.stringify(body) }),
      );
      if (answer.loggedOut && answer.redirectTo) {
        // This very login was among them: the server has signed it out.
        window.location.href = answer.redirectTo;
        return;
      }
      setNotice({ tone: 'ok', text: `${what}: ${answer.ended} login${answer.ended === 1 ? '' : 's'} ended.` });
    } catch (failure) {
      setNotice({ tone: 'error', text: `${what} failed: ${failureText(failure)}` });
    } finally {
      setBusy(false);
    }
    void search(user);
  };

  const data = load.state === 'ready' ? load.data : null;
  return (
    <Section
      title="Logins"
      actions={
        data && data.logins.length > 0 ? (
          <ConfirmButton
            label="End all"
            accessibleLabel={`End all logins of ${data.user}`}
            question={`End all ${data.logins.length} login${data.logins.length === 1 ? '' : 's'} of ${data.user} on every instance?${
              data.logins.some((login) => login.current) ? ' This signs you out too.' : ''
            }`}
            confirmLabel="Yes, end all"
            tone="danger"
            disabled={busy}
            onConfirm={() => void end('End all logins', { user: data.user }, data.user)}
          />
        ) : null
      }
    >
      <form onSubmit={submit} className="mb-4 flex flex-wrap items-end gap-2" role="search" aria-label="Find a user's logins">
        <label htmlFor={inputId} className="flex min-w-64 flex-1 flex-col text-sm">
          <span className="font-medium">User</span>
          <input
            id={inputId}
            name="user"
            type="search"
            value={query}
            maxLength={320}
            autoComplete="off"
            spellCheck={false}
            placeholder="subject id or email"
            onChange={(event) => setQuery(event.target.value)}
            className="mt-1 rounded-lg border border-slate-300 px-3 py-1.5 dark:border-slate-700 dark:bg-slate-950"
          />
        </label>
        <button
          type="submit"
          disabled={!query.trim() || load.state === 'loading'}
          className="rounded-lg bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-50"
        >
          Show logins
        </button>
      </form>

      <div aria-live="polite">
        {notice && (
          <p
            role={notice.tone === 'error' ? 'alert' : 'status'}
            className={`mb-3 rounded-lg p-3 text-sm ${
              notice.tone === 'error'
                ? 'bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-200'
                : 'bg-slate-100 dark:bg-slate-800'
            }`}
          >
            {notice.text}
          </p>
        )}
      </div>

      <div aria-busy={load.state === 'loading'} data-testid="logins-result">
        {load.state === 'idle' && (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Look up a user by subject id or verified email to see where they are signed in.
          </p>
        )}
        {load.state === 'loading' && (
          <p role="status" className="text-sm text-slate-600 dark:text-slate-400">
            Loading the logins of {load.user}…
          </p>
        )}
        {load.state === 'failed' && <ErrorState error={load.error} onRetry={() => void search(load.user)} />}
        {data && data.logins.length === 0 && (
          <EmptyState title={`No active logins for ${data.user}`}>
            Nobody with this subject id or verified email is signed in (or their logins have ended or expired).
          </EmptyState>
        )}
        {data && data.logins.length > 0 && (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Active logins of {data.user}</caption>
              <thead className="border-b border-slate-200 text-xs uppercase text-slate-600 dark:border-slate-800 dark:text-slate-400">
                <tr>
                  <th scope="col" className="py-2 pr-3">User</th>
                  <th scope="col" className="py-2 pr-3">Started</th>
                  <th scope="col" className="py-2 pr-3">Last seen</th>
                  <th scope="col" className="py-2 pr-3">Browser</th>
                  <th scope="col" className="py-2 pr-3">Instance</th>
                  <th scope="col" className="py-2">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.logins.map((login, index) => (
                  <tr key={login.login} className="border-b border-slate-100 align-top dark:border-slate-800">
                    <td className="py-2 pr-3">
                      {login.name ?? login.sub}
                      {login.email ? <span className="block text-xs text-slate-600 dark:text-slate-400">{login.email}</span> : null}
                      {login.current && (
                        <span className="mt-1 inline-block rounded bg-brand-600 px-1.5 py-0.5 text-xs font-medium text-white">
                          this login
                        </span>
                      )}
                    </td>
                    <td className="py-2 pr-3">
                      <When iso={login.startedAt} />
                    </td>
                    <td className="py-2 pr-3">
                      <When iso={login.lastSeenAt} />
                    </td>
                    <td className="py-2 pr-3">{login.userAgent ?? '—'}</td>
                    <td className="py-2 pr-3">{login.instance ?? '—'}</td>
                    <td className="py-2">
                      <ConfirmButton
                        label="End"
                        accessibleLabel={`End login ${index + 1}${login.current ? ' (this login)' : ''}`}
                        question={login.current ? 'End this login? You will be signed out.' : 'End this login on every instance?'}
                        confirmLabel="Yes, end it"
                        tone="danger"
                        disabled={busy}
                        onConfirm={() => void end('End the login', { login: login.login }, data.user)}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </Section>
  );
}
