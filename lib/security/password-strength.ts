/**
 * Is a `SESSION_PASSWORD` strong enough to seal sessions in a deployment? Whoever guesses it can
 * seal any session, an admin's included, so the published values and guessable ones are refused.
 */

/**
 * Values published in this repository: `.env.local.example`'s placeholder and the demo's
 * password (scripts/sandbox-env.ts). tests/unit/lib/config.test.ts keeps this list in step
 * with both files.
 */
export const PUBLISHED_SESSION_PASSWORDS: readonly string[] = [
  'replace-with-at-least-32-random-characters',
  'sandbox-only-session-password-change-me-0001',
];

/** The estimate a deployment's password must reach (bits). */
export const MIN_PASSWORD_BITS = 128;
/** Fewer distinct characters than this is never random, whatever the length. */
const MIN_DISTINCT_CHARACTERS = 8;

/** Words people put in passwords and placeholders; a character inside one adds no entropy. */
const COMMON_WORDS = [
  'password',
  'passwd',
  'secret',
  'session',
  'changeme',
  'change',
  'replace',
  'example',
  'placeholder',
  'sandbox',
  'default',
  'qwerty',
  'letmein',
  'admin',
  'welcome',
  'dashboard',
  'wellview',
  'peloton',
  'test',
  'demo',
];

export type PasswordWeakness = 'published' | 'low_entropy';

/**
 * A rough entropy estimate in bits: each character that is not predictable from what came before
 * counts `log2` of the pool of its character classes (lower, upper, digits, others). Predictable
 * characters count nothing: the next step of a run (`aaa`, `abc`, `987`), the continuation of a
 * chunk seen earlier (`…abc…abc`) and any letter of a common word; a doubled character counts half.
 * Random base64 or hex of 32+ characters scores well above {@link MIN_PASSWORD_BITS};
 * `aaaa…`, `password1234…` and `0123456789abcdef0123…` score far below it.
 */
export function estimatePasswordBits(password: string): number {
  // UTF-16 code units throughout: an estimate, and secrets are ASCII in practice.
  // Weight of each character: 1 when unpredictable, 0.5 for a doubled one, 0 when predictable.
  const weight = new Array<number>(password.length).fill(1);
  const code = (index: number) => password.charCodeAt(index);

  const lower = password.toLowerCase();
  for (const word of COMMON_WORDS) {
    for (let at = lower.indexOf(word); at !== -1; at = lower.indexOf(word, at + 1)) {
      weight.fill(0, at, at + word.length);
    }
  }
  for (let index = 1; index < password.length; index += 1) {
    const step = code(index) - code(index - 1);
    const previousStep = index >= 2 ? code(index - 1) - code(index - 2) : Number.NaN;
    // A run: `aaa`, `abc`, `987` (a doubled character alone is common in random text: half).
    const continuesRun = Math.abs(step) <= 1 && previousStep === step;
    // The three characters ending here appeared together before: a repeated chunk.
    const continuesChunk = index >= 2 && password.slice(0, index - 1).includes(password.slice(index - 2, index + 1));
    if (continuesRun || continuesChunk) weight[index] = 0;
    else if (step === 0) weight[index] = Math.min(weight[index] ?? 0, 0.5);
  }

  let pool = 0;
  if (/[a-z]/.test(password)) pool += 26;
  if (/[A-Z]/.test(password)) pool += 26;
  if (/[0-9]/.test(password)) pool += 10;
  if (/[^a-zA-Z0-9]/.test(password)) pool += 33;
  const free = weight.reduce((sum, value) => sum + value, 0);
  return pool > 0 ? free * Math.log2(pool) : 0;
}

/** Why this password must not seal sessions in a deployment, or null when it may. */
export function passwordWeakness(password: string): PasswordWeakness | null {
  if (PUBLISHED_SESSION_PASSWORDS.includes(password)) return 'published';
  if (new Set(password).size < MIN_DISTINCT_CHARACTERS) return 'low_entropy';
  if (estimatePasswordBits(password) < MIN_PASSWORD_BITS) return 'low_entropy';
  return null;
}
