import { createHmac, timingSafeEqual } from "node:crypto";

import type { SecurityIssue } from "../errors.js";

/** Minimum length of a pepper, in bytes (a string counts its UTF-8 bytes). */
export const MIN_PEPPER_BYTES = 32;

/** Length of a stored key hash: HMAC-SHA-256 as hexadecimal. */
const HASH_HEX_LENGTH = 64;

/**
 * Checks a pepper and returns its bytes, or appends the problem to
 * `issues`. The appended message and value never contain the pepper.
 */
export function checkPepper(
  pepper: unknown,
  path: string,
  issues: SecurityIssue[],
): Buffer | undefined {
  const bytes =
    typeof pepper === "string"
      ? Buffer.from(pepper, "utf8")
      : pepper instanceof Uint8Array
        ? Buffer.from(pepper)
        : undefined;
  if (bytes === undefined) {
    issues.push({
      path,
      value: typeof pepper,
      message:
        `${path} must be a string or a Uint8Array of at least ` +
        `${MIN_PEPPER_BYTES} random bytes (received a ${typeof pepper}). ` +
        "Generate one with `openssl rand -base64 48`.",
    });
    return undefined;
  }
  if (bytes.length < MIN_PEPPER_BYTES) {
    issues.push({
      path,
      value: `${bytes.length} bytes`,
      message:
        `${path} is too short: it has ${bytes.length} bytes, and at least ` +
        `${MIN_PEPPER_BYTES} are needed. Generate one with ` +
        "`openssl rand -base64 48`.",
    });
    return undefined;
  }
  return bytes;
}

/** Computes the stored hash of a key: HMAC-SHA-256 under the pepper, as hex. */
export function hashApiKey(pepper: Buffer, key: string): string {
  return createHmac("sha256", pepper).update(key, "utf8").digest("hex");
}

/**
 * Tells whether `key` hashes to `storedHash` under any of the peppers.
 * Each comparison runs in constant time with `crypto.timingSafeEqual`,
 * and every pepper is tried, so the time does not show which one matched.
 */
export function verifyApiKeyHash(
  peppers: readonly Buffer[],
  key: string,
  storedHash: string,
): boolean {
  const stored = Buffer.alloc(HASH_HEX_LENGTH / 2);
  const valid =
    storedHash.length === HASH_HEX_LENGTH &&
    stored.write(storedHash, "hex") === stored.length;
  let matched = false;
  for (const pepper of peppers) {
    const computed = Buffer.from(hashApiKey(pepper, key), "hex");
    if (timingSafeEqual(computed, stored)) {
      matched = true;
    }
  }
  return valid && matched;
}
