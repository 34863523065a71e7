/**
 * Lists of users by subject id, email or email domain (`ADMIN_USERS`, `ALLOWED_USERS`).
 *
 * Subject ids are the provider's own and match exactly (case-sensitive). Emails and domains
 * match only when the provider vouched for the address (`email_verified: true`): on a tenant with
 * sign-up or linked connections anyone can register any address.
 */

export interface UserList {
  /** Matched exactly against `sub`. Every non-domain entry is one (a sub may look like an email). */
  subjects: ReadonlySet<string>;
  /** Lower-case addresses, matched against a verified `email`. */
  emails: ReadonlySet<string>;
  /** Lower-case domains (from `@domain` entries), matched against a verified email's domain. */
  domains: ReadonlySet<string>;
}

/** What a list is matched against: the session's user. */
export interface ListedUser {
  sub: string;
  email: string | null;
  emailVerified: boolean;
}

const DOMAIN = /^@([a-z0-9-]+(\.[a-z0-9-]+)+)$/i;

/** True for an `@domain` entry, e.g. `@example.com`. */
export function isDomainEntry(entry: string): boolean {
  return DOMAIN.test(entry);
}

/** Splits entries (already trimmed, non-empty) into subjects, emails and domains. */
export function parseUserList(entries: readonly string[]): UserList {
  const subjects = new Set<string>();
  const emails = new Set<string>();
  const domains = new Set<string>();
  for (const entry of entries) {
    const domain = DOMAIN.exec(entry);
    if (domain) {
      domains.add((domain[1] as string).toLowerCase());
      continue;
    }
    subjects.add(entry);
    const at = entry.lastIndexOf('@');
    if (at > 0 && at < entry.length - 1) emails.add(entry.toLowerCase());
  }
  return { subjects, emails, domains };
}

/** True when the user is on the list: by exact subject id, or by a verified email or its domain. */
export function isListed(user: ListedUser, list: UserList): boolean {
  if (list.subjects.has(user.sub)) return true;
  if (user.emailVerified !== true || !user.email) return false;
  const email = user.email.toLowerCase();
  if (list.emails.has(email)) return true;
  const at = email.lastIndexOf('@');
  return at > 0 && list.domains.has(email.slice(at + 1));
}
