import { z } from 'zod';

/**
 * `GET /api/admin/logins?user=…` and `POST /api/admin/logins/end`, as the admin page reads them
 * (no server code: the page validates what it receives with these).
 */
export const adminLoginSchema = z.object({
  /** A non-reversible handle of the login, for `POST /api/admin/logins/end { login }`. */
  login: z.string(),
  sub: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  startedAt: z.string(),
  lastSeenAt: z.string(),
  userAgent: z.string().nullable(),
  instance: z.string().nullable(),
  current: z.boolean(),
});
export type AdminLogin = z.infer<typeof adminLoginSchema>;

export const adminLoginsSchema = z.object({ user: z.string(), logins: z.array(adminLoginSchema) });
export type AdminLogins = z.infer<typeof adminLoginsSchema>;

export const endLoginsAnswerSchema = z.object({
  ended: z.number(),
  loggedOut: z.boolean(),
  redirectTo: z.string().optional(),
});
