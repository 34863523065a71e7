/**
 * A small browser stand-in for integration tests: a cookie jar, manual redirects, and a sign-in
 * through the sandbox's real HTML form.
 */
import { request as httpRequest } from 'node:http';

export interface JarCookie {
  name: string;
  value: string;
  httpOnly: boolean;
  sameSite: string | null;
  secure: boolean;
  path: string | null;
  maxAge: number | null;
}

export function parseSetCookie(header: string): JarCookie {
  const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
  const at = pair.indexOf('=');
  const cookie: JarCookie = {
    name: pair.slice(0, at),
    value: pair.slice(at + 1),
    httpOnly: false,
    sameSite: null,
    secure: false,
    path: null,
    maxAge: null,
  };
  for (const attribute of attributes) {
    const [key = '', value = ''] = attribute.split('=');
    const lower = key.toLowerCase();
    if (lower === 'httponly') cookie.httpOnly = true;
    else if (lower === 'secure') cookie.secure = true;
    else if (lower === 'samesite') cookie.sameSite = value.toLowerCase();
    else if (lower === 'path') cookie.path = value;
    else if (lower === 'max-age') cookie.maxAge = Number(value);
    else if (lower === 'expires' && Date.parse(value) < Date.now()) cookie.maxAge = 0;
  }
  return cookie;
}

export class CookieJar {
  readonly cookies = new Map<string, JarCookie>();

  store(response: Response): JarCookie[] {
    const set = response.headers.getSetCookie().map(parseSetCookie);
    this.apply(set);
    return set;
  }

  /** Applies cookies as a browser would: a zero max-age deletes. */
  apply(set: JarCookie[]): void {
    for (const cookie of set) {
      if (cookie.maxAge !== null && cookie.maxAge <= 0) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie);
    }
  }

  header(): string {
    return [...this.cookies.values()].map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
  }

  get(name: string): string | undefined {
    return this.cookies.get(name)?.value;
  }

  clone(): CookieJar {
    const copy = new CookieJar();
    for (const [name, cookie] of this.cookies) copy.cookies.set(name, { ...cookie });
    return copy;
  }
}

export interface BrowserResponse {
  status: number;
  headers: Headers;
  text: string;
  json<T = unknown>(): T;
  url: string;
  setCookies: JarCookie[];
}

/** A client bound to one jar; it never follows redirects by itself. */
export class TestBrowser {
  constructor(
    readonly jar = new CookieJar(),
    readonly origin?: string,
  ) {}

  async request(url: string, init: RequestInit & { csrf?: boolean } = {}): Promise<BrowserResponse> {
    const headers = new Headers(init.headers);
    const cookie = this.jar.header();
    if (cookie && !headers.has('cookie')) headers.set('cookie', cookie);
    if (init.csrf) headers.set('x-csrf', '1');
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    const setCookies = this.jar.store(response);
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      json: <T,>() => JSON.parse(text) as T,
      url,
      setCookies,
    };
  }

  /**
   * Sends a GET whose path goes on the wire exactly as given: `fetch` would normalise dot
   * segments and backslashes first, which is what an attacker's raw client does not do.
   */
  rawGet(origin: string, rawPath: string): Promise<{ status: number; text: string; location?: string }> {
    const target = new URL(origin);
    return new Promise((resolve, reject) => {
      const request = httpRequest(
        { host: target.hostname, port: target.port, method: 'GET', path: rawPath, headers: { cookie: this.jar.header(), 'x-csrf': '1' } },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text, location: response.headers.location }));
        },
      );
      request.on('error', reject);
      request.end();
    });
  }

  /** Calls a gateway route as a dashboard page does (with `X-CSRF: 1`). */
  api(url: string, init: RequestInit = {}): Promise<BrowserResponse> {
    return this.request(url, { ...init, csrf: true });
  }
}

/** Reads the first form of an HTML page: its action, method and every named input's value. */
export function parseForm(html: string, pageUrl: string): { action: string; fields: Record<string, string> } {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error(`no form on ${pageUrl}:\n${html.slice(0, 500)}`);
  const attr = (source: string, name: string) =>
    new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i').exec(source)?.slice(2).find((v) => v !== undefined);
  const decode = (value: string) =>
    value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  const action = new URL(decode(attr(form[1] ?? '', 'action') ?? pageUrl), pageUrl).toString();
  const fields: Record<string, string> = {};
  for (const input of (form[2] ?? '').matchAll(/<input\b([^>]*)>/gi)) {
    const name = attr(input[1] ?? '', 'name');
    if (name) fields[name] = decode(attr(input[1] ?? '', 'value') ?? '');
  }
  return { action, fields };
}

/** Fills the login form's email and password fields, whatever the provider calls them. */
export function fillCredentials(fields: Record<string, string>, email: string, password: string): Record<string, string> {
  const names = Object.keys(fields);
  const emailField = names.find((name) => /email|user|login/i.test(name)) ?? 'email';
  const passwordField = names.find((name) => /pass/i.test(name)) ?? 'password';
  return { ...fields, [emailField]: email, [passwordField]: password };
}

export interface SignInResult {
  browser: TestBrowser;
  /** Where the callback sent the browser. */
  landedOn: string;
}

/**
 * Signs in through the dashboard exactly as a browser does: /api/auth/login → the provider's
 * HTML form → the callback → the page asked for.
 */
export async function signIn(
  appUrl: string,
  user: { email: string; password: string },
  options: { returnTo?: string; browser?: TestBrowser } = {},
): Promise<SignInResult> {
  const browser = options.browser ?? new TestBrowser();
  const login = await browser.request(
    `${appUrl}/api/auth/login${options.returnTo ? `?returnTo=${encodeURIComponent(options.returnTo)}` : ''}`,
  );
  if (login.status !== 302) throw new Error(`login answered ${login.status}: ${login.text}`);
  const authorizeUrl = login.headers.get('location') as string;
  const callbackUrl = await authorizeAtProvider(browser, authorizeUrl, user);
  const callback = await browser.request(callbackUrl);
  if (callback.status !== 302) throw new Error(`callback answered ${callback.status}: ${callback.text}`);
  return { browser, landedOn: new URL(callback.headers.get('location') as string, appUrl).toString() };
}

/** At the provider: opens the authorize page, submits the form, returns the redirect to the app. */
export async function authorizeAtProvider(
  browser: TestBrowser,
  authorizeUrl: string,
  user: { email: string; password: string },
): Promise<string> {
  const page = await browser.request(authorizeUrl);
  if (page.status !== 200) throw new Error(`authorize page answered ${page.status}: ${page.text.slice(0, 300)}`);
  const form = parseForm(page.text, authorizeUrl);
  const submitted = await browser.request(form.action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fillCredentials(form.fields, user.email, user.password)).toString(),
  });
  if (submitted.status !== 302 && submitted.status !== 303) {
    throw new Error(`login form answered ${submitted.status}: ${submitted.text.slice(0, 300)}`);
  }
  return new URL(submitted.headers.get('location') as string, form.action).toString();
}
