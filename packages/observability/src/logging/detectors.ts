/**
 * A predicate that returns true when a string must be redacted. The
 * redactor calls it for string values and for object and Map keys. `path`
 * is the chain of keys (array indexes as strings) from the log record root
 * and, for a key, ends with that key.
 */
export type SecretDetector = (
  value: string,
  path: readonly string[],
) => boolean;

/**
 * Patterns of secrets and personal data that the default detector finds
 * inside a string: bearer tokens, `rfcc_` API keys, JWTs, PEM blocks,
 * email addresses and the password in URL userinfo
 * (`https://user:PASSWORD@host`). Each carries the `g` flag for
 * replacement. The userinfo pattern matches the password only, so free
 * text keeps `https://user:[REDACTED]@host`. It runs before the email
 * pattern, which would otherwise take `password@host` for an address.
 * A string field that contains such a URL is replaced whole, like any
 * flagged value.
 */
export const DEFAULT_SECRET_PATTERNS: readonly RegExp[] = [
  /\bbearer\s+[A-Za-z0-9\-._~+/]+=*/giu,
  /\brfcc_[a-z][a-z0-9]{0,15}_[A-Za-z0-9_-]{8,}/gu,
  /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/gu,
  /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?-----END [A-Z0-9 ]+-----/gu,
  /(?<=\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:)[^\s/?#]+(?=@)/giu,
  /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/gu,
];

/** Minimum length of a run of token characters to count as high entropy. */
const HIGH_ENTROPY_MIN_LENGTH = 32;

/**
 * Minimum Shannon entropy, in bits per character, of a high-entropy token.
 * Hexadecimal text never exceeds 4 bits per character, so trace ids and
 * hashes in hex stay readable while random base64 or mixed-case keys (about
 * 4.5 bits per character at 32 characters) are redacted.
 */
const HIGH_ENTROPY_MIN_BITS = 4.2;

const TOKEN_RUN = /[A-Za-z0-9+/=_-]{32,}/gu;

/** Computes the Shannon entropy of a string in bits per character. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) {
    counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Tells whether a token looks like a random secret such as an API key. */
export function isHighEntropyToken(token: string): boolean {
  return (
    token.length >= HIGH_ENTROPY_MIN_LENGTH &&
    shannonEntropy(token) >= HIGH_ENTROPY_MIN_BITS
  );
}

/**
 * Detects secrets and personal data in a string: any match of
 * {@link DEFAULT_SECRET_PATTERNS}, or a run of 32 or more token characters
 * with high entropy.
 */
export const detectSecret: SecretDetector = (value) => {
  for (const pattern of DEFAULT_SECRET_PATTERNS) {
    pattern.lastIndex = 0;
    if (pattern.test(value)) {
      pattern.lastIndex = 0;
      return true;
    }
  }
  for (const run of value.matchAll(TOKEN_RUN)) {
    if (isHighEntropyToken(run[0])) {
      return true;
    }
  }
  return false;
};

/**
 * Replaces every secret inside free text with `censor` and keeps the rest,
 * so an error message stays readable. Whitespace-separated words are also
 * passed to `detector`, which lets a custom detector redact single words.
 */
export function scrubText(
  text: string,
  censor: string,
  detector: SecretDetector,
  path: readonly string[],
): string {
  let scrubbed = text;
  for (const pattern of DEFAULT_SECRET_PATTERNS) {
    scrubbed = scrubbed.replace(pattern, censor);
  }
  scrubbed = scrubbed.replace(TOKEN_RUN, (run) =>
    isHighEntropyToken(run) ? censor : run,
  );
  if (detector === detectSecret) {
    return scrubbed;
  }
  return scrubbed.replace(/\S+/gu, (word) =>
    detector(word, path) ? censor : word,
  );
}
