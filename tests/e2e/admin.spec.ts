import { expect, test, type Page } from '@playwright/test';
import { DEMO_USERS, EVENTS_CLIENT, METI_CLIENT, PELOTON_CLIENT } from '../../sandbox/defaults';
import { DEMO_SESSION_PASSWORD } from '../../scripts/sandbox-env';
import AxeBuilder from '@axe-core/playwright';

const [admin] = DEMO_USERS as [(typeof DEMO_USERS)[number]];

/** Anything shaped like a JWT (access or ID token) or a Peloton refresh token. */
const TOKEN_PATTERNS = [/eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/, /\bv1\.[\w-]{40,}/];
const SECRETS = [
  PELOTON_CLIENT.clientSecret,
  EVENTS_CLIENT.clientSecret,
  METI_CLIENT.clientSecret,
  DEMO_SESSION_PASSWORD,
];

async function signInThroughForm(page: Page, user: { email: string; password: string }) {
  await page.getByLabel(/email/i).fill(user.email);
  await page.getByLabel(/password/i).fill(user.password);
  await page.getByRole('button', { name: /sign in|continue|log in/i }).click();
}

test('an admin sees every section, renews the METI token after confirming, and copies secret-free diagnostics', async ({
  page,
  context,
  baseURL,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL as string });
  await page.goto('/admin/tokens');
  await expect(page).toHaveURL(/\/login\?returnTo=%2Fadmin%2Ftokens/);
  await page.getByRole('link', { name: 'Sign in with Peloton' }).click();
  await signInThroughForm(page, admin);
  await expect(page).toHaveURL(`${baseURL}/admin/tokens`);

  await expect(page.getByRole('heading', { level: 1, name: 'Token status' })).toBeVisible();
  for (const name of ['Your session', 'Service tokens', 'Upstreams', 'Last hour']) {
    await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
  }
  const session = page.getByTestId('session-facts');
  await expect(session).toContainText(admin.email);
  await expect(session).toContainText(/Refresh token\s*yes/);
  await expect(session).toContainText(/Access token expires.*\(in \d+ min/);
  await expect(session).toContainText(/Access token fingerprint\s*[0-9a-f]{8}/);

  // The first live refresh has checked every upstream, which fetched both service tokens.
  const meti = page.getByTestId('service-meti');
  await expect(meti.getByTestId('meti-cached')).toHaveText('yes');
  await expect(page.getByTestId('service-events').getByTestId('events-cached')).toHaveText('yes');
  for (const name of ['wellview', 'events', 'meti'])
    await expect(page.getByTestId(`upstream-${name}`)).toContainText('healthy');
  await expect(meti).toContainText('https://api.meti.millpont.com');
  await expect(page.getByTestId('rate-limit')).toContainText(/of 18 calls in the last second/);
  await expect(page.getByRole('img', { name: /Token activity per minute over the last hour/ })).toBeVisible();

  // Live: the report refreshes by itself, without a reload.
  const updated = page.getByTestId('updated').locator('time');
  const firstUpdate = await updated.getAttribute('datetime');
  await expect.poll(() => updated.getAttribute('datetime'), { timeout: 8000 }).not.toBe(firstUpdate);

  const counter = meti.getByTestId('meti-token-requests');
  const before = Number(await counter.textContent());
  expect(before).toBeGreaterThanOrEqual(1);

  // Cancelling the confirmation does nothing.
  await meti.getByRole('button', { name: 'Renew now' }).click();
  const question = meti.getByRole('group', { name: 'Request a new METI token now?' });
  await expect(question).toBeVisible();
  await question.getByRole('button', { name: 'Cancel' }).click();
  await expect(question).toBeHidden();

  // Confirmed, it renews: the counter goes up by one.
  await meti.getByRole('button', { name: 'Renew now' }).click();
  await expect(question.getByRole('button', { name: 'Yes, renew' })).toBeFocused();
  await question.getByRole('button', { name: 'Yes, renew' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Renew the METI token: done.' })).toBeVisible();
  await expect(counter).toHaveText(String(before + 1));

  await page.getByRole('button', { name: 'Copy diagnostics' }).click();
  await expect(page.getByText('Diagnostics copied to the clipboard')).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const diagnostics = JSON.parse(copied) as {
    services: { meti: { tokenRequests: number; fingerprint: string } };
  };
  expect(diagnostics.services.meti.tokenRequests).toBe(before + 1);
  expect(diagnostics.services.meti.fingerprint).toMatch(/^[0-9a-f]{8}$/);
  await expect(meti).toContainText(diagnostics.services.meti.fingerprint);

  const html = await page.content();
  for (const text of [copied, html]) {
    for (const pattern of TOKEN_PATTERNS) expect(text).not.toMatch(pattern);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  }
});

test('an admin finds a user’s logins with the keyboard and ends one after confirming; that browser is signed out', async ({
  page,
  browser,
  baseURL,
}) => {
  // Mal (the unverified account) is used by no other spec: its logins are this test's own.
  const user = DEMO_USERS.find((candidate) => !candidate.emailVerified) as (typeof DEMO_USERS)[number];
  const userContext = await browser.newContext({ baseURL: baseURL as string });
  const userPage = await userContext.newPage();
  await userPage.goto('/login');
  await userPage.getByRole('link', { name: 'Sign in with Peloton' }).click();
  await signInThroughForm(userPage, user);
  await expect(userPage).not.toHaveURL(/\/login/);

  await page.goto('/login?returnTo=%2Fadmin%2Ftokens');
  await page.getByRole('link', { name: 'Sign in with Peloton' }).click();
  await signInThroughForm(page, admin);
  await expect(page).toHaveURL(`${baseURL}/admin/tokens`);
  const logins = page.getByRole('region', { name: 'Logins' });
  await expect(logins.getByText('Look up a user by subject id or verified email')).toBeVisible();

  // Keyboard only: type the subject id and press Enter.
  await logins.getByRole('searchbox', { name: 'User', exact: true }).focus();
  await page.keyboard.type(user.sub);
  await page.keyboard.press('Enter');
  const table = logins.getByRole('table', { name: `Active logins of ${user.sub}` });
  await expect(table).toBeVisible();
  await expect(table).toContainText(user.name);
  await expect(table).not.toContainText('this login');
  const rows = await table.getByRole('row').count();
  expect(rows).toBeGreaterThanOrEqual(2);
  // axe on this section, light and dark (the rest of the page is checked elsewhere).
  await logins.evaluate((element) => element.setAttribute('data-axe', 'logins'));
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const results = await new AxeBuilder({ page }).include('[data-axe="logins"]').analyze();
    const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(' | ')}`), colorScheme).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: null });

  // The newest activity comes first: login 1 is the one just signed in. Cancel once, then end it.
  const end = logins.getByRole('button', { name: 'End login 1' });
  await end.focus();
  await page.keyboard.press('Enter');
  const question = logins.getByRole('group', { name: 'End this login on every instance?' });
  const confirm = question.getByRole('button', { name: 'Yes, end it' });
  await expect(confirm).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(question).toBeHidden();
  await expect(end).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(confirm).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(logins.getByRole('status').filter({ hasText: 'End the login: 1 login ended.' })).toBeVisible();
  if (rows === 2) await expect(logins.getByText(`No active logins for ${user.sub}`)).toBeVisible();
  else await expect(table.getByRole('row')).toHaveCount(rows - 1);

  // That browser is signed out: its next page goes to /login.
  await userPage.goto('/wells');
  await expect(userPage).toHaveURL(/\/login/);
  await userContext.close();

  // The admin's own login is marked.
  await logins.getByRole('searchbox', { name: 'User', exact: true }).fill(admin.email);
  await logins.getByRole('button', { name: 'Show logins' }).click();
  await expect(logins.getByRole('table')).toContainText('this login');
});
