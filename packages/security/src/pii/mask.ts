import { createHmac } from "node:crypto";

import { describeValue, SecurityError, SecurityErrorCode } from "../errors.js";
import { checkDetectOptions, detectWithOptions } from "./detect.js";
import type { DetectPiiOptions } from "./detect.js";
import {
  checkFindings,
  checkMaskOptions,
  MASK_OPTION_NAMES,
} from "./mask-options.js";
import type { MaskStrategy } from "./mask-options.js";
import type { PiiFinding, PiiType } from "./types.js";
import { vaultPlaceholderPattern } from "./vault.js";
import type { PiiVault } from "./vault.js";

export type { MaskStrategy } from "./mask-options.js";
export { PiiVault } from "./vault.js";
export type { RestoreOptions } from "./vault.js";

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

/**
 * Replaces each placeholder of `vault` in a masked text that masking did
 * not put there, such as one the user typed, by a new placeholder whose
 * value is that literal text. Restoring then gives the literal text back
 * instead of the value of the placeholder it copies, so masking and
 * restoring return the input exactly. Offsets of the masked spans move
 * with the length of the new placeholders.
 */
function reencodeVaultPlaceholders(
  result: MaskResult,
  vault: PiiVault,
): MaskResult {
  const issued = new Map(
    result.masked
      .filter((span) => span.strategy === "tokenize")
      .map((span) => [span.start, span.replacement]),
  );
  const parts: string[] = [];
  // Each re-encoded placeholder: where it was and how its length changed.
  const shifts: { readonly at: number; readonly delta: number }[] = [];
  let cursor = 0;
  for (const match of result.text.matchAll(
    vaultPlaceholderPattern(vault.nonce),
  )) {
    const literal = match[0];
    if (issued.get(match.index) === literal) {
      continue;
    }
    const replacement = vault.placeholderFor(match[1] as PiiType, literal);
    parts.push(result.text.slice(cursor, match.index), replacement);
    shifts.push({
      at: match.index,
      delta: replacement.length - literal.length,
    });
    cursor = match.index + literal.length;
  }
  if (shifts.length === 0) {
    return result;
  }
  parts.push(result.text.slice(cursor));

  let next = 0;
  let offset = 0;
  const masked = result.masked.map((span) => {
    let shift = shifts[next];
    while (shift !== undefined && shift.at < span.start) {
      offset += shift.delta;
      next++;
      shift = shifts[next];
    }
    return { ...span, start: span.start + offset, end: span.end + offset };
  });
  return { text: parts.join(""), masked };
}

/**
 * Replaces the personal data in a text. Findings come from
 * {@link detectPii} with the same options, or from `options.findings`.
 * With the `tokenize` strategy, pass a new {@link PiiVault} for each
 * request and restore the LLM's answer with `vault.restore(answer)`;
 * without one, masking with `tokenize` raises an error, because the
 * values could never be restored. When a vault is given, a placeholder
 * of that vault already in the text is replaced too, by a new placeholder
 * that restores to it, so restoring the masked text returns the input
 * exactly. `masked` does not list these, because they are no findings.
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
  const result = { text: parts.join(""), masked };
  return options.vault === undefined
    ? result
    : reencodeVaultPlaceholders(result, options.vault);
}
