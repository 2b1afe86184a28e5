import { O200K_TOKEN_SPLIT_REGEX } from "gpt-tokenizer/encodingParams/constants";
import { stemmer } from "stemmer";

import { isDenseScriptCode } from "../segment/window.js";
import { ENGLISH_STOPWORDS } from "./stopwords.js";

const ACCENTED_LATIN = /[\u00C0-\u024F\u1E00-\u1EFF]/u;
const COMBINING_MARK = /\p{M}/gu;

/**
 * Removes accents from Latin letters (`Temür` matches `Temur`, `café`
 * matches `cafe`), as search engines fold them. Other scripts are left
 * unchanged.
 */
function foldLatinDiacritics(word: string): string {
  if (!ACCENTED_LATIN.test(word)) {
    return word;
  }
  return word.normalize("NFD").replace(COMBINING_MARK, "").normalize("NFC");
}

function hasDenseScript(word: string): boolean {
  for (let index = 0; index < word.length; index++) {
    if (isDenseScriptCode(word.charCodeAt(index))) {
      return true;
    }
  }
  return false;
}

/**
 * Turns one word into index terms: a lowercased Porter stem for
 * space-separated scripts (nothing for a stopword), and overlapping
 * character pairs for scripts written without spaces, where a word match
 * tells little.
 */
export function wordToTerms(word: string, out: string[]): void {
  if (hasDenseScript(word)) {
    const characters = Array.from(word);
    if (characters.length === 1) {
      out.push(characters[0] as string);
      return;
    }
    for (let index = 0; index + 1 < characters.length; index++) {
      out.push(`${characters[index] ?? ""}${characters[index + 1] ?? ""}`);
    }
    return;
  }
  const lower = foldLatinDiacritics(word.toLowerCase().replace("’", "'"));
  if (ENGLISH_STOPWORDS.has(lower)) {
    return;
  }
  const base = lower.endsWith("'s") ? lower.slice(0, -2) : lower;
  if (base.length === 0 || ENGLISH_STOPWORDS.has(base)) {
    return;
  }
  out.push(stemmer(base));
}

/**
 * The pattern that cuts text into words for indexing: the pre-tokenizer of
 * the o200k_base encoding, which keeps contractions with their word
 * (`Pierre's`), splits digits into groups of three and keeps runs of CJK
 * characters together. With o200k_base as the target tokenizer, one pass
 * over a document yields both token counts and index terms.
 */
export const WORD_PATTERN = new RegExp(O200K_TOKEN_SPLIT_REGEX.source, "gu");

const LEADING_NON_WORD = /^[^\p{L}\p{N}]+/u;
const DIGITS_ONLY = /^[0-9]+$/;
const HAS_WORD_CHARACTER = /[\p{L}\p{N}]/u;

/** How a chunk of {@link WORD_PATTERN} contributes to the index terms. */
export interface ChunkTerms {
  /** Terms of the chunk, or the empty list. */
  readonly terms: readonly string[];
  /** The chunk's digits when it is only ASCII digits, to join with neighbours. */
  readonly digits: string | undefined;
}

const NO_TERMS: ChunkTerms = { terms: [], digits: undefined };

/**
 * Returns the index terms of one chunk: its leading space or punctuation
 * is dropped and the rest goes through {@link wordToTerms}. Digit-only
 * chunks are returned as digits, because the pattern cuts numbers into
 * groups of three that callers join back together.
 */
export function chunkToTerms(chunk: string): ChunkTerms {
  if (!HAS_WORD_CHARACTER.test(chunk)) {
    return NO_TERMS;
  }
  const word = chunk.replace(LEADING_NON_WORD, "");
  if (DIGITS_ONLY.test(word)) {
    return { terms: [], digits: word };
  }
  const terms: string[] = [];
  wordToTerms(word, terms);
  return { terms, digits: undefined };
}

/**
 * Joins digit groups that touch into whole numbers while terms are
 * collected in text order: "1812" arrives as "181" and "2".
 */
export class DigitJoiner {
  private digits = "";
  private end = -1;

  /** Adds a digit chunk at `[start, end)`; returns a finished number or undefined. */
  add(digits: string, start: number, end: number): string | undefined {
    let finished: string | undefined;
    if (this.digits !== "" && start !== this.end) {
      finished = this.digits;
      this.digits = "";
    }
    this.digits += digits;
    this.end = end;
    return finished;
  }

  /** Returns the pending number, if any, and clears it. */
  flush(): string | undefined {
    const pending = this.digits;
    this.digits = "";
    return pending === "" ? undefined : pending;
  }
}

/** Returns the index terms of a text, in order, repeats included. */
export function textToTerms(text: string): string[] {
  const terms: string[] = [];
  const joiner = new DigitJoiner();
  const pattern = new RegExp(WORD_PATTERN.source, "gu");
  for (const match of text.matchAll(pattern)) {
    const chunk = chunkToTerms(match[0]);
    if (chunk.digits !== undefined) {
      const start = match.index + match[0].length - chunk.digits.length;
      const finished = joiner.add(
        chunk.digits,
        start,
        start + chunk.digits.length,
      );
      if (finished !== undefined) {
        terms.push(finished);
      }
      continue;
    }
    const pending = joiner.flush();
    if (pending !== undefined) {
      terms.push(pending);
    }
    terms.push(...chunk.terms);
  }
  const pending = joiner.flush();
  if (pending !== undefined) {
    terms.push(pending);
  }
  return terms;
}

/** Index terms of every unit of a corpus, interned as integer ids. */
export interface TermIndex {
  /** Term text by id. */
  readonly vocabulary: readonly string[];
  /** Term id by text. */
  readonly idByTerm: ReadonlyMap<string, number>;
  /** Term ids of all units, concatenated in unit order. */
  readonly termIds: Int32Array;
  /** `termIds` of unit `i` are at `[unitOffsets[i], unitOffsets[i + 1])`. */
  readonly unitOffsets: Int32Array;
}
