import { expect, test, type Page, type Response } from '@playwright/test';
import { DEMO_USERS } from '../../sandbox/defaults';

const [admin, regular] = DEMO_USERS as [(typeof DEMO_USERS)[number], (typeof DEMO_USERS)[number]];

/** Anything shaped like a JWT (access or ID token) or a Peloton refresh token. */
const TOKEN_PATTERNS = [/eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/, /\bv1\.[\w-]{40,}/];

interface Seen {
  url: string;
  text: string;
  /** `id_token_hint`s in redirects to the provider's logout, taken out of `text`. */
  idTokenHints: string[];
}

/**
 * RP-initiated logout sends the ID token back to the provider through the browser, as OIDC says
 * (`id_token_hint`); that is the one token allowed there. Everything else is scanned.
 */
function withoutLogoutHint(headers: Record<string, string>): { headers: Record<string, string>; hints: string[] } {
  const location = headers.location;
  if (!location) return { headers, hints: [] };
  const url = new URL(location, 'http://placeholder.invalid');
  const hints = url.searchParams.getAll('id_token_hint');
  if (hints.length === 0 || !/logout/.test(url.pathname)) return { headers, hints: [] };
  url.searchParams.delete('id_token_hint');
  return { headers: { ...headers, location: url.toString() }, hints };
}

/** The claims of a JWT, unverified (the test only needs to know what kind of token it is). */
function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Records every response the browser receives from the dashboard: headers and bodies. */
function recordResponses(page: Page, origin: string): Seen[] {
  const seen: Seen[] = [];
  page.on('response', async (response: Response) => {
    if (!response.url().startsWith(origin)) return;
    const { headers: scanned, hints } = withoutLogoutHint(await response.allHeaders());
    const headers = JSON.stringify(scanned);
    let body = '';
    try {
      const type = response.headers()['content-type'] ?? '';
      if (/json|text|javascript|html/.test(type)) body = await response.text();
    } catch {
      // Redirects and aborted responses have no body.
    }
    seen.push({ url: response.url(), text: `${headers}\n${body}`, idTokenHints: hints });
  });
  return seen;
}

async function signInThroughForm(page: Page, user: { email: string; password: string }) {
  await page.getByLabel(/email/i).fill(user.email);
  await page.getByLabel(/password/i).fill(user.password);
  await page.getByRole('button', { name: /sign in|continue|log in/i }).click();
}

test('a user signs in, lands where they asked, stays signed in, and signs out; no token reaches the browser', async ({
  page,
  baseURL,
}) => {
  const seen = recordResponses(page, baseURL as string);
  await page.goto('/?from=bookmark');
  await expect(page).toHaveURL(/\/login\?returnTo=/);
  await page.getByRole('link', { name: 'Sign in with Peloton' }).click();
  await signInThroughForm(page, regular);

  await expect(page).toHaveURL(`${baseURL}/?from=bookmark`);
  await expect(page.getByTestId('user-name')).toHaveText(regular.name);
  await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0);

  await page.reload();
  await expect(page.getByTestId('user-name')).toHaveText(regular.name);

  const session = await page.evaluate(async () => (await fetch('/api/auth/session')).json());
  expect(session).toMatchObject({ authenticated: true, isAdmin: false });
  const visibleCookies = await page.evaluate(() => document.cookie);
  expect(visibleCookies).not.toContain('wv_');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByText('You have been signed out.')).toBeVisible();
  await page.goto('/');
  await expect(page).toHaveURL(/\/login\?returnTo=%2F/);

  expect(seen.length).toBeGreaterThan(5);
  for (const response of seen) {
    for (const pattern of TOKEN_PATTERNS) expect(response.text, response.url).not.toMatch(pattern);
  }
  for (const pattern of TOKEN_PATTERNS) expect(visibleCookies).not.toMatch(pattern);
  // The logout's id_token_hint is an ID token for this client and this user: never an access token.
  const hints = seen.flatMap((response) => response.idTokenHints);
  expect(hints).toHaveLength(1);
  const claims = claimsOf(hints[0] as string);
  expect(claims).toMatchObject({ aud: 'wellview-dashboard', sub: regular.sub });
  expect(claims).toHaveProperty('nonce');
  expect(claims).not.toHaveProperty('scope');
});

test('an admin sees Admin in the navigation', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in with Peloton' }).click();
  await signInThroughForm(page, admin);
  await expect(page.getByTestId('user-name')).toHaveText(admin.name);
  await expect(page.getByRole('link', { name: 'Admin' })).toBeVisible();
});

test('two tabs that start sign-in at once both finish', async ({ context, baseURL }) => {
  const first = await context.newPage();
  const second = await context.newPage();
  await first.goto('/login?returnTo=%2F%3Ftab%3Done');
  await second.goto('/login?returnTo=%2F%3Ftab%3Dtwo');
  await first.getByRole('link', { name: 'Sign in with Peloton' }).click();
  await second.getByRole('link', { name: 'Sign in with Peloton' }).click();
  await signInThroughForm(second, regular);
  await signInThroughForm(first, regular);
  await expect(first).toHaveURL(`${baseURL}/?tab=one`);
  await expect(second).toHaveURL(`${baseURL}/?tab=two`);
  await expect(first.getByTestId('user-name')).toHaveText(regular.name);
});

test('a regular user gets "not allowed" on admin pages', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in with Peloton' }).click();
  await signInThroughForm(page, regular);
  const response = await page.goto('/admin/tokens');
  expect(response?.status()).toBe(403);
  await expect(page.getByText(/not allowed/i)).toBeVisible();
});
