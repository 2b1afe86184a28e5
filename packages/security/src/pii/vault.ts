import { randomBytes } from "node:crypto";

import { describeValue, SecurityError, SecurityErrorCode } from "../errors.js";
import { PII_TYPES } from "./types.js";
import type { PiiType } from "./types.js";

/** Characters of a vault's nonce, which marks its placeholders. */
const NONCE_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
const NONCE_LENGTH = 6;
const PLACEHOLDER = new RegExp(
  `<(${PII_TYPES.join("|")})_(\\d+)_([${NONCE_ALPHABET}]{${NONCE_LENGTH}})>`,
  "gu",
);

/** Matches the placeholders of the vault whose nonce is `nonce`. */
export function vaultPlaceholderPattern(nonce: string): RegExp {
  return new RegExp(`<(${PII_TYPES.join("|")})_(\\d+)_${nonce}>`, "gu");
}

/** Options of {@link PiiVault.restore}. */
export interface RestoreOptions {
  /**
   * The masked text that was sent to the LLM. When set, only the
   * placeholders that occur in it are restored, so a placeholder of this
   * vault that reaches the answer by another way, such as an earlier
   * turn, stays as it is.
   */
  readonly maskedText?: string;
}

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
 *
 * Use one vault per request and never reuse it: anyone who learns a
 * placeholder of a reused vault, for example from an answer, could type
 * it into the next request and have its value restored there.
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
   * Placeholders of other vaults and unknown numbers stay as they are,
   * and so do placeholders missing from `options.maskedText` when it is
   * set.
   * @throws {SecurityError} `INVALID_INPUT` when `text` is not a string,
   * `INVALID_OPTIONS` when `options.maskedText` is set but not a string.
   */
  restore(text: string, options: RestoreOptions = {}): string {
    const given: unknown = text;
    if (typeof given !== "string") {
      throw new SecurityError(
        SecurityErrorCode.INVALID_INPUT,
        `PiiVault.restore takes the text as a string (received ${describeValue(given)}).`,
      );
    }
    const allowed = this.placeholdersIn(options);
    return text.replace(PLACEHOLDER, (placeholder) =>
      allowed === undefined || allowed.has(placeholder)
        ? (this.values.get(placeholder) ?? placeholder)
        : placeholder,
    );
  }

  /**
   * Returns the placeholders of this vault in `options.maskedText`, or
   * undefined when it is not set.
   */
  private placeholdersIn(options: RestoreOptions): Set<string> | undefined {
    const maskedText: unknown = (options as RestoreOptions | null)?.maskedText;
    if (maskedText === undefined) {
      return undefined;
    }
    if (typeof maskedText !== "string") {
      const message = `maskedText must be the masked text sent to the LLM, a string (received ${describeValue(maskedText)}).`;
      throw new SecurityError(
        SecurityErrorCode.INVALID_OPTIONS,
        `1 invalid option: ${message}`,
        { issues: [{ path: "maskedText", value: maskedText, message }] },
      );
    }
    const found = maskedText.matchAll(vaultPlaceholderPattern(this.nonce));
    return new Set(Array.from(found, (match) => match[0]));
  }
}
