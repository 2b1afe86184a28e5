import { isDenseScriptCode } from "../segment/window.js";
import { ENGLISH_STOPWORDS } from "./stopwords.js";

/**
 * Reduces an English plural to its singular with the three rules of
 * Harman's S-stemmer (1991): -ies to -y, -es to -e, -s dropped, with the
 * usual exceptions for -aies, -eies, -oes, -us and -ss.
 */
export function stemPlural(word: string): string {
  const length = word.length;
  if (length < 4 || !word.endsWith("s")) {
    return word;
  }
  if (
    word.endsWith("ies") &&
    !word.endsWith("eies") &&
    !word.endsWith("aies")
  ) {
    return `${word.slice(0, -3)}y`;
  }
  if (
    word.endsWith("es") &&
    !word.endsWith("aes") &&
    !word.endsWith("ees") &&
    !word.endsWith("oes")
  ) {
    return word.slice(0, -1);
  }
  if (!word.endsWith("us") && !word.endsWith("ss")) {
    return word.slice(0, -1);
  }
  return word;
}

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
 * Turns one word into index terms: a lowercased, singular form for
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
  out.push(stemPlural(base));
}

const WORD_CHARACTER = /[\p{L}\p{M}\p{N}]/u;
const LETTER = /\p{L}/u;
// Word-character class of each UTF-16 code unit: 0 unknown, 1 word, 2 other.
const characterClass = new Uint8Array(65_536);

function isWordCode(code: number): boolean {
  if (code < 128) {
    return (
      (code >= 97 && code <= 122) ||
      (code >= 65 && code <= 90) ||
      (code >= 48 && code <= 57)
    );
  }
  let known = characterClass[code] as number;
  if (known === 0) {
    // Surrogates count as word characters: most astral characters in text
    // are CJK extension ideographs.
    const word =
      (code >= 0xd800 && code <= 0xdfff) ||
      WORD_CHARACTER.test(String.fromCharCode(code));
    known = word ? 1 : 2;
    characterClass[code] = known;
  }
  return known === 1;
}

function isApostrophe(code: number): boolean {
  return code === 39 || code === 0x2019;
}

/**
 * Calls `visit` with the `[start, end)` range of every word in
 * `text[start, end)`: a run of letters, marks and digits, with one
 * apostrophe allowed before trailing letters (`don't`, `Pierre's`).
 */
export function forEachWord(
  text: string,
  start: number,
  end: number,
  visit: (from: number, to: number) => void,
): void {
  let index = start;
  while (index < end) {
    if (!isWordCode(text.charCodeAt(index))) {
      index++;
      continue;
    }
    const from = index;
    index++;
    while (index < end) {
      const code = text.charCodeAt(index);
      if (isWordCode(code)) {
        index++;
      } else if (
        isApostrophe(code) &&
        index + 1 < end &&
        LETTER.test(text[index + 1] ?? "")
      ) {
        index += 2;
      } else {
        break;
      }
    }
    visit(from, index);
  }
}

/** Returns the index terms of a text, in order, repeats included. */
export function textToTerms(text: string): string[] {
  const terms: string[] = [];
  forEachWord(text, 0, text.length, (from, to) =>
    wordToTerms(text.slice(from, to), terms),
  );
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

/** Interns terms as ids and remembers the terms of each word seen. */
class TermTable {
  readonly vocabulary: string[] = [];
  readonly idByTerm = new Map<string, number>();
  private readonly idsByWord = new Map<string, Int32Array>();
  private readonly scratch: string[] = [];

  idsOf(word: string): Int32Array {
    let ids = this.idsByWord.get(word);
    if (ids === undefined) {
      const scratch = this.scratch;
      scratch.length = 0;
      wordToTerms(word, scratch);
      ids = Int32Array.from(scratch, (term) => this.intern(term));
      this.idsByWord.set(word, ids);
    }
    return ids;
  }

  private intern(term: string): number {
    let id = this.idByTerm.get(term);
    if (id === undefined) {
      id = this.vocabulary.length;
      this.vocabulary.push(term);
      this.idByTerm.set(term, id);
    }
    return id;
  }
}

/** A growable list of 32-bit integers. */
class IntList {
  values: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.values = new Int32Array(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Int32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
}

/**
 * Extracts the index terms of every range, in order. Each range names its
 * document and its `[start, end)` offsets in that document's text.
 */
export function buildTermIndex(
  documents: readonly { readonly text: string }[],
  ranges: readonly {
    readonly document: number;
    readonly start: number;
    readonly end: number;
  }[],
): TermIndex {
  const table = new TermTable();
  const termIds = new IntList(ranges.length * 8);
  const unitOffsets = new Int32Array(ranges.length + 1);
  ranges.forEach((range, index) => {
    unitOffsets[index] = termIds.length;
    const text = (documents[range.document] as { text: string }).text;
    forEachWord(text, range.start, range.end, (from, to) => {
      const ids = table.idsOf(text.slice(from, to));
      for (let at = 0; at < ids.length; at++) {
        termIds.push(ids[at] as number);
      }
    });
  });
  unitOffsets[ranges.length] = termIds.length;
  return {
    vocabulary: table.vocabulary,
    idByTerm: table.idByTerm,
    termIds: termIds.values.subarray(0, termIds.length),
    unitOffsets,
  };
}
