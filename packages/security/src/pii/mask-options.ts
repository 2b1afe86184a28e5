import { describeValue, SecurityError, SecurityErrorCode } from "../errors.js";
import type { SecurityIssue } from "../errors.js";
import { PII_TYPES } from "./types.js";
import type { PiiFinding } from "./types.js";
import { PiiVault } from "./vault.js";

/**
 * The replacement of a finding:
 * - `redact`: by a fixed marker, `[REDACTED]` unless set otherwise;
 * - `tag`: by its kind and a number, `<EMAIL_1>`, the same number for the
 *   same value within one call;
 * - `partial`: letters and digits become `*` except the last four, and
 *   separators stay, so `4111 1111 1111 1111` becomes `**** **** **** 1111`;
 * - `hash`: by an HMAC-SHA-256 of the kind and value under the caller's
 *   key, `<EMAIL:9f86d081884c7d65>`, equal for equal values under one key;
 * - `tokenize`: by a placeholder that the request's {@link PiiVault} maps
 *   back to the value.
 */
export type MaskStrategy = "redact" | "tag" | "partial" | "hash" | "tokenize";

export const STRATEGIES: readonly MaskStrategy[] = [
  "redact",
  "tag",
  "partial",
  "hash",
  "tokenize",
];

export function checkMaskOptions(
  options: Readonly<Record<string, unknown>>,
): void {
  const issues: SecurityIssue[] = [];
  const { strategy, redaction, keepLast, hashKey, vault, findings } = options;
  const strategies =
    strategy === undefined
      ? []
      : typeof strategy === "string"
        ? [strategy]
        : typeof strategy === "object" && strategy !== null
          ? Object.values(strategy)
          : [strategy];
  if (
    !strategies.every((entry) => STRATEGIES.includes(entry as MaskStrategy)) ||
    (typeof strategy === "object" &&
      strategy !== null &&
      !Object.keys(strategy).every((key) =>
        (PII_TYPES as readonly string[]).includes(key),
      ))
  ) {
    issues.push({
      path: "strategy",
      value: strategy,
      message: `strategy must be one of ${STRATEGIES.join(", ")}, or an object from kinds (${PII_TYPES.join(", ")}) to one of them (received ${describeValue(strategy)}).`,
    });
  }
  if (redaction !== undefined && typeof redaction !== "string") {
    issues.push({
      path: "redaction",
      value: redaction,
      message: `redaction must be a string such as "[REDACTED]" (received ${describeValue(redaction)}).`,
    });
  }
  if (
    keepLast !== undefined &&
    !(
      typeof keepLast === "number" &&
      Number.isInteger(keepLast) &&
      keepLast >= 0
    )
  ) {
    issues.push({
      path: "keepLast",
      value: keepLast,
      message: `keepLast must be a whole number of at least 0 (received ${describeValue(keepLast)}).`,
    });
  }
  const usesHash = strategies.includes("hash");
  const keyLength =
    typeof hashKey === "string"
      ? Buffer.byteLength(hashKey)
      : hashKey instanceof Uint8Array
        ? hashKey.length
        : -1;
  if ((usesHash || hashKey !== undefined) && keyLength < 16) {
    issues.push({
      path: "hashKey",
      value: hashKey === undefined ? undefined : "(hidden)",
      message:
        keyLength < 0
          ? "The hash strategy needs hashKey, a string or Uint8Array of at least 16 bytes, one per tenant; generate one with crypto.randomBytes(32)."
          : `hashKey has ${keyLength} bytes; it needs at least 16, one key per tenant; generate one with crypto.randomBytes(32).`,
    });
  }
  if (vault !== undefined && !(vault instanceof PiiVault)) {
    issues.push({
      path: "vault",
      value: vault,
      message: `vault must be a PiiVault, one per request (received ${describeValue(vault)}).`,
    });
  }
  if (findings !== undefined && !Array.isArray(findings)) {
    issues.push({
      path: "findings",
      value: findings,
      // Findings hold personal data, so the message names only the type.
      message: `findings must be a list from detectPii (received ${findings === null ? "null" : typeof findings}).`,
    });
  }
  if (issues.length > 0) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_OPTIONS,
      `${issues.length} invalid option${issues.length === 1 ? "" : "s"}: ${issues.map((issue) => issue.message).join(" ")}`,
      { issues },
    );
  }
}

/**
 * Checks findings given to {@link maskPii}: each must be a slice of the
 * text, of a known kind.
 * @throws {SecurityError} `INVALID_INPUT` naming the first bad finding.
 */
export function checkFindings(
  findings: readonly PiiFinding[],
  text: string,
): readonly PiiFinding[] {
  findings.forEach((finding: unknown, index) => {
    const entry = finding as Partial<PiiFinding> | null;
    const start = entry?.start;
    const end = entry?.end;
    if (
      entry === null ||
      typeof entry !== "object" ||
      !(PII_TYPES as readonly unknown[]).includes(entry.type) ||
      typeof start !== "number" ||
      typeof end !== "number" ||
      !Number.isInteger(start) ||
      !Number.isInteger(end) ||
      start < 0 ||
      end > text.length ||
      start >= end ||
      text.slice(start, end) !== entry.text
    ) {
      throw new SecurityError(
        SecurityErrorCode.INVALID_INPUT,
        `findings[${index}] is not a finding of this text: it needs a kind of ${PII_TYPES.join(", ")}, whole offsets with start < end inside the text, and text equal to that slice. Pass the findings that detectPii returned for this same text.`,
      );
    }
  });
  return findings;
}

export const MASK_OPTION_NAMES = new Set([
  "strategy",
  "redaction",
  "keepLast",
  "hashKey",
  "vault",
  "findings",
]);
