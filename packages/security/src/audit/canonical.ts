import { createHash } from "node:crypto";

import type { AuditEntry } from "./types.js";

/** The `prevHash` of the first entry: 64 zeros. */
export const GENESIS_HASH = "0".repeat(64);

/**
 * Maximum nesting of arrays and objects in `details` and in `personal`.
 * `{ "a": [1] }` nests 2 levels. The limit keeps the recursive
 * serialization of an entry far from the call stack limit.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Serializes a JSON value canonically: object keys sorted by UTF-16 code
 * units (the order of `Array.prototype.sort`), no whitespace, and strings
 * and numbers as `JSON.stringify` writes them. Object members whose value
 * is `undefined` are left out, as `JSON.stringify` does.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map((item) => canonicalJson(item)).join(",")}]`;
  }
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(",")}}`;
  }
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) {
    throw new TypeError(
      `JSON cannot represent a value of type ${typeof value}.`,
    );
  }
  return text;
}

/**
 * Computes an entry's hash: the SHA-256, in lowercase hexadecimal, of the
 * UTF-8 canonical JSON of every field except `hash`. `prevHash` is
 * included, and so is the encrypted personal data, never its plaintext.
 */
export function hashEntry(
  entry: Omit<AuditEntry, "hash"> & { readonly hash?: string },
): string {
  const fields: Record<string, unknown> = { ...entry };
  delete fields.hash;
  return createHash("sha256")
    .update(canonicalJson(fields), "utf8")
    .digest("hex");
}

/**
 * Copies a value the way a JSON round trip stores it, so the hash of an
 * appended entry equals the hash of the entry read back. Returns undefined
 * when JSON cannot represent the value (a cycle, a bigint, a function).
 */
export function normalizeJson(value: unknown): unknown {
  // JSON.stringify returns undefined for functions and symbols, although
  // its TypeScript signature declares a string.
  let text: unknown;
  try {
    text = JSON.stringify(value);
  } catch {
    return undefined;
  }
  return typeof text === "string" ? (JSON.parse(text) as unknown) : undefined;
}

/**
 * Tells whether a value nests arrays and objects more than `limit` levels
 * deep. A scalar nests 0 levels. The walk goes at most `limit + 1` levels
 * down, so a deeper value never exhausts the call stack. Call it only on
 * values without cycles, such as parsed JSON.
 */
export function exceedsJsonDepth(value: unknown, limit: number): boolean {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  if (limit <= 0) {
    return true;
  }
  const children: unknown[] = Array.isArray(value)
    ? value
    : Object.values(value);
  return children.some((child) => exceedsJsonDepth(child, limit - 1));
}

/** Tells whether a string is a SHA-256 hash in lowercase hexadecimal. */
export function isSha256Hex(value: unknown): value is string {
  return typeof value === "string" && /^[0-9a-f]{64}$/u.test(value);
}
