/**
 * The exact shape of the seals this dashboard makes (iron-session 8 over iron-webcrypto):
 *
 * `Fe26.2*<password id>*<salt>*<iv>*<ciphertext>*<expiry>*<hmac salt>*<hmac>~2`
 *
 * iron-session reads the `~2` suffix with `parseInt`, so `~2AAAA` or `~2 ` passes as version 2,
 * and iron-webcrypto ignores what it does not check. We refuse anything that is not exactly a
 * seal we could have made, before any key derivation or HMAC runs.
 */

/** The password id we seal with (see `seal` in lib/session.ts); nothing else is ever valid. */
export const SEAL_PASSWORD_ID = '1';
/** iron-session's seal format version, appended as `~2`. */
const VERSION_SUFFIX = '~2';

const HEX_256 = /^[0-9a-f]{64}$/;
const EXPIRY = /^[1-9][0-9]{0,15}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** True when `value` is canonical unpadded base64url of a whole number of `blockBytes` blocks. */
function isBase64urlBlocks(value: string, blockBytes: number, exactBytes?: number): boolean {
  if (!BASE64URL.test(value) || value.length % 4 === 1) return false;
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.length === 0 || bytes.length % blockBytes !== 0) return false;
  if (exactBytes !== undefined && bytes.length !== exactBytes) return false;
  // Canonical only: unused trailing bits must be zero, so one seal has exactly one spelling.
  return bytes.toString('base64url') === value;
}

/**
 * True only for a well-formed seal as `lib/session.ts` writes it: the `Fe26.2` prefix, our
 * password id, exactly eight `*`-separated fields of the right alphabet and size, and the `~2`
 * suffix with nothing before or after. Anything else (bytes appended or prepended, another
 * version, an extra field, whitespace) is refused without being opened.
 */
export function isWellFormedSeal(value: string): boolean {
  if (!value.endsWith(VERSION_SUFFIX)) return false;
  const parts = value.slice(0, -VERSION_SUFFIX.length).split('*');
  if (parts.length !== 8) return false;
  const [prefix, passwordId, salt, iv, ciphertext, expiry, hmacSalt, hmac] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return (
    prefix === 'Fe26.2' &&
    passwordId === SEAL_PASSWORD_ID &&
    HEX_256.test(salt) &&
    isBase64urlBlocks(iv, 16, 16) &&
    isBase64urlBlocks(ciphertext, 16) &&
    EXPIRY.test(expiry) &&
    HEX_256.test(hmacSalt) &&
    isBase64urlBlocks(hmac, 32, 32)
  );
}
