import { createHmac, randomBytes } from "node:crypto";

import { describeValue, SecurityError, SecurityErrorCode } from "../errors.js";
import type { SecurityIssue } from "../errors.js";
import { checkDetectOptions, detectWithOptions } from "./detect.js";
import type { DetectPiiOptions } from "./detect.js";
import { PII_TYPES } from "./types.js";
import type { PiiFinding, PiiType } from "./types.js";

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

const STRATEGIES: readonly MaskStrategy[] = [
  "redact",
  "tag",
  "partial",
  "hash",
  "tokenize",
];

/** Options of {@link maskPii}. */
export interface MaskPiiOptions extends DetectPiiOptions {
  /**
   * One strategy for every kind, or one per kind; kinds left out of a
   * per-kind map use `tag`.
   * @default "tag"
   */
  readonly strategy?:
    MaskStrategy | Readonly<Partial<Record<PiiType, MaskStrategy>>>;
  /** Marker of the `redact` strategy. @default "[REDACTED]" */
  readonly redaction?: string;
  /** Characters the `partial` strategy keeps at the end. @default 4 */
  readonly keepLast?: number;
  /**
   * Key of the `hash` strategy, at least 16 bytes; use one key per tenant
   * so hashes cannot be compared across tenants.
   */
  readonly hashKey?: string | Uint8Array;
  /** Vault of the `tokenize` strategy, one per request. */
  readonly vault?: PiiVault;
  /** Findings to mask instead of running {@link detectPii}. */
  readonly findings?: readonly PiiFinding[];
}

/** One replaced finding. */
export interface MaskedSpan {
  readonly finding: PiiFinding;
  readonly strategy: MaskStrategy;
  readonly replacement: string;
  /** Offsets of the replacement in the masked text. */
  readonly start: number;
  readonly end: number;
}

/** The result of {@link maskPii}. */
export interface MaskResult {
  readonly text: string;
  /** Replaced findings in text order. */
  readonly masked: readonly MaskedSpan[];
}

/** Characters of a vault's nonce, which marks its placeholders. */
const NONCE_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
const NONCE_LENGTH = 6;
const PLACEHOLDER = new RegExp(
  `<(${PII_TYPES.join("|")})_(\\d+)_([${NONCE_ALPHABET}]{${NONCE_LENGTH}})>`,
  "gu",
);

function newNonce(): string {
  const bytes = randomBytes(NONCE_LENGTH);
  return Array.from(
    bytes,
    (byte) => NONCE_ALPHABET[byte % NONCE_ALPHABET.length] as string,
  ).join("");
}

/**
 * Holds the values that one request's `tokenize` masking replaced, so
 * the placeholders an LLM echoes can be turned back into them. Each vault
 * marks its placeholders with a random nonce, so a vault restores only
 * its own placeholders: values of one request never appear in another's
 * restore, even when both use the same kinds and numbers.
 */
export class PiiVault {
  /** Random marker of this vault's placeholders, such as `k3f9qa`. */
  readonly nonce = newNonce();
  private readonly values = new Map<string, string>();
  private readonly placeholders = new Map<string, string>();
  private readonly counts = new Map<PiiType, number>();

  /** Returns the placeholder of a value, the same one each time. */
  placeholderFor(type: PiiType, value: string): string {
    const key = `${type}\u0000${value}`;
    const known = this.placeholders.get(key);
    if (known !== undefined) {
      return known;
    }
    const number = (this.counts.get(type) ?? 0) + 1;
    this.counts.set(type, number);
    const placeholder = `<${type}_${number}_${this.nonce}>`;
    this.placeholders.set(key, placeholder);
    this.values.set(placeholder, value);
    return placeholder;
  }

  /** Number of distinct values held. */
  get size(): number {
    return this.values.size;
  }

  /**
   * Replaces every placeholder of this vault in `text` by its value, in
   * one pass, so a restored value is never read as a placeholder again.
   * Placeholders of other vaults and unknown numbers stay as they are.
   */
  restore(text: string): string {
    const given: unknown = text;
    if (typeof given !== "string") {
      throw new SecurityError(
        SecurityErrorCode.INVALID_INPUT,
        `PiiVault.restore takes the text as a string (received ${describeValue(given)}).`,
      );
    }
    return text.replace(
      PLACEHOLDER,
      (placeholder) => this.values.get(placeholder) ?? placeholder,
    );
  }
}

function strategyOf(
  strategy: MaskPiiOptions["strategy"],
  type: PiiType,
): MaskStrategy {
  if (strategy === undefined) {
    return "tag";
  }
  if (typeof strategy === "string") {
    return strategy;
  }
  return strategy[type] ?? "tag";
}

function partial(value: string, keepLast: number): string {
  const characters = Array.from(value);
  const letters = characters.filter((character) =>
    /[\p{L}\p{N}]/u.test(character),
  ).length;
  // A short value keeps at most half of its letters and digits, so some
  // of it is always hidden.
  const keep = Math.min(keepLast, Math.floor(letters / 2));
  let kept = 0;
  for (let index = characters.length - 1; index >= 0; index--) {
    if (!/[\p{L}\p{N}]/u.test(characters[index] as string)) {
      continue;
    }
    if (kept < keep) {
      kept++;
    } else {
      characters[index] = "*";
    }
  }
  return characters.join("");
}

function checkMaskOptions(options: Readonly<Record<string, unknown>>): void {
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
function checkFindings(
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

const MASK_OPTION_NAMES = new Set([
  "strategy",
  "redaction",
  "keepLast",
  "hashKey",
  "vault",
  "findings",
]);

/**
 * Replaces the personal data in a text. Findings come from
 * {@link detectPii} with the same options, or from `options.findings`.
 * With the `tokenize` strategy, pass a new {@link PiiVault} for each
 * request and restore the LLM's answer with `vault.restore(answer)`;
 * without one, masking with `tokenize` raises an error, because the
 * values could never be restored.
 * @throws {SecurityError} `INVALID_OPTIONS` listing every invalid option.
 */
export function maskPii(
  text: string,
  options: MaskPiiOptions = {},
): MaskResult {
  const givenText: unknown = text;
  if (typeof givenText !== "string") {
    throw new SecurityError(
      SecurityErrorCode.INVALID_INPUT,
      `maskPii takes the text as a string (received ${describeValue(givenText)}).`,
    );
  }
  const given: unknown = options;
  if (typeof given !== "object" || given === null) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_OPTIONS,
      `Options must be an object such as { strategy: "tag" } (received ${describeValue(given)}).`,
    );
  }
  checkMaskOptions(options as Readonly<Record<string, unknown>>);
  const detectOptions = checkDetectOptions(
    Object.fromEntries(
      Object.entries(options).filter(([key]) => !MASK_OPTION_NAMES.has(key)),
    ),
    [...MASK_OPTION_NAMES],
  );
  const strategy = options.strategy;
  const mayTokenize =
    strategy === "tokenize" ||
    (typeof strategy === "object" &&
      Object.values(strategy).includes("tokenize"));
  if (mayTokenize && options.vault === undefined) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_OPTIONS,
      "The tokenize strategy needs a vault: pass vault: new PiiVault() for this request and keep it to restore the answer.",
      {
        issues: [
          {
            path: "vault",
            value: undefined,
            message: "The tokenize strategy needs vault: new PiiVault().",
          },
        ],
      },
    );
  }
  const findings =
    options.findings === undefined
      ? detectWithOptions(text, detectOptions)
      : checkFindings(options.findings, text);
  const tags = new Map<string, string>();
  const tagCounts = new Map<PiiType, number>();
  const parts: string[] = [];
  const masked: MaskedSpan[] = [];
  let cursor = 0;
  let length = 0;
  const ordered = [...findings].sort((left, right) => left.start - right.start);
  for (const finding of ordered) {
    if (finding.start < cursor) {
      throw new SecurityError(
        SecurityErrorCode.INVALID_INPUT,
        `Findings overlap at ${finding.start}; pass the findings of detectPii, which never overlap.`,
      );
    }
    const strategy = strategyOf(options.strategy, finding.type);
    const value = text.slice(finding.start, finding.end);
    let replacement: string;
    switch (strategy) {
      case "redact":
        replacement = options.redaction ?? "[REDACTED]";
        break;
      case "partial":
        replacement = partial(value, options.keepLast ?? 4);
        break;
      case "hash":
        replacement = `<${finding.type}:${createHmac(
          "sha256",
          options.hashKey as string | Uint8Array,
        )
          .update(`${finding.type}\u0000${value}`)
          .digest("hex")
          .slice(0, 16)}>`;
        break;
      case "tokenize":
        replacement = (options.vault as PiiVault).placeholderFor(
          finding.type,
          value,
        );
        break;
      case "tag": {
        const key = `${finding.type}\u0000${value}`;
        let tag = tags.get(key);
        if (tag === undefined) {
          const number = (tagCounts.get(finding.type) ?? 0) + 1;
          tagCounts.set(finding.type, number);
          tag = `<${finding.type}_${number}>`;
          tags.set(key, tag);
        }
        replacement = tag;
        break;
      }
    }
    const between = text.slice(cursor, finding.start);
    parts.push(between, replacement);
    length += between.length;
    masked.push({
      finding,
      strategy,
      replacement,
      start: length,
      end: length + replacement.length,
    });
    length += replacement.length;
    cursor = finding.end;
  }
  parts.push(text.slice(cursor));
  return { text: parts.join(""), masked };
}
