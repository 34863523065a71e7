import 'server-only';
import { z } from 'zod';
import { getConfig, type AppConfig } from '@/lib/config';
import { cookieName, cookieOptions, seal, unseal, type CookieToSet } from '@/lib/session';

/**
 * Login transactions: one short-lived encrypted cookie per login attempt, named by its `state`,
 * so several tabs can sign in at once. Their number and lifetime are bounded so abandoned
 * attempts can never pile up until requests fail with 431.
 */

export const TRANSACTION_TTL_SECONDS = 10 * 60;
export const MAX_TRANSACTIONS = 5;
const PREFIX = 'wv_tx_';

const transactionSchema = z.object({
  state: z.string(),
  nonce: z.string(),
  codeVerifier: z.string(),
  returnTo: z.string(),
  createdAt: z.number(),
});
export type LoginTransaction = z.infer<typeof transactionSchema>;

/** `state` values we issue are base64url; anything else never names a cookie. */
const STATE_PATTERN = /^[\w-]{16,128}$/;

function transactionCookieName(state: string, config: AppConfig): string {
  return cookieName(`${PREFIX}${state}`, config);
}

interface CookieReader {
  getAll(): { name: string; value: string }[];
  get(name: string): { value: string } | undefined;
}

/** Existing transactions (valid or not) in the request, oldest first. */
async function listTransactions(
  cookies: CookieReader,
  config: AppConfig,
): Promise<{ name: string; transaction: LoginTransaction | null }[]> {
  const prefix = cookieName(PREFIX, config);
  const found = await Promise.all(
    cookies
      .getAll()
      .filter((cookie) => cookie.name.startsWith(prefix))
      .map(async (cookie) => {
        const parsed = transactionSchema.safeParse(await unseal(cookie.value, config));
        return { name: cookie.name, transaction: parsed.success ? parsed.data : null };
      }),
  );
  return found.sort((a, b) => (a.transaction?.createdAt ?? 0) - (b.transaction?.createdAt ?? 0));
}

function isLive(transaction: LoginTransaction | null, now: number): transaction is LoginTransaction {
  return transaction !== null && now - transaction.createdAt < TRANSACTION_TTL_SECONDS * 1000;
}

/**
 * Cookies to set for a new transaction: the new one, plus deletions of expired or unreadable
 * ones and of the oldest beyond {@link MAX_TRANSACTIONS}.
 */
export async function startTransaction(
  cookies: CookieReader,
  transaction: LoginTransaction,
  now = Date.now(),
  config: AppConfig = getConfig(),
): Promise<CookieToSet[]> {
  const existing = await listTransactions(cookies, config);
  const out: CookieToSet[] = [];
  const live = existing.filter((entry) => isLive(entry.transaction, now));
  for (const entry of existing) {
    if (!isLive(entry.transaction, now)) out.push(deletion(entry.name, config));
  }
  const overflow = live.length - (MAX_TRANSACTIONS - 1);
  for (const entry of live.slice(0, Math.max(overflow, 0))) out.push(deletion(entry.name, config));
  out.push({
    name: transactionCookieName(transaction.state, config),
    value: await seal(transaction, TRANSACTION_TTL_SECONDS, config),
    options: cookieOptions(TRANSACTION_TTL_SECONDS, config),
  });
  return out;
}

/** The live transaction for this `state`, if the browser still holds it. */
export async function findTransaction(
  cookies: CookieReader,
  state: string | null,
  now = Date.now(),
  config: AppConfig = getConfig(),
): Promise<LoginTransaction | null> {
  if (!state || !STATE_PATTERN.test(state)) return null;
  const raw = cookies.get(transactionCookieName(state, config))?.value;
  if (!raw) return null;
  const parsed = transactionSchema.safeParse(await unseal(raw, config));
  if (!parsed.success || parsed.data.state !== state || !isLive(parsed.data, now)) return null;
  return parsed.data;
}

/** Deletions for this transaction and any expired ones, sent with every callback answer. */
export async function finishTransaction(
  cookies: CookieReader,
  state: string | null,
  now = Date.now(),
  config: AppConfig = getConfig(),
): Promise<CookieToSet[]> {
  const names = new Set<string>();
  if (state && STATE_PATTERN.test(state)) names.add(transactionCookieName(state, config));
  for (const entry of await listTransactions(cookies, config)) {
    if (!isLive(entry.transaction, now)) names.add(entry.name);
  }
  return [...names].filter((name) => cookies.get(name)).map((name) => deletion(name, config));
}

function deletion(name: string, config: AppConfig): CookieToSet {
  return { name, value: '', options: cookieOptions(0, config) };
}
