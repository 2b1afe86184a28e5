import { CoreEngineError, CoreEngineErrorCode } from "../errors.js";

/**
 * Self-information of words in running text, in bits: log2 of the total
 * word count over a word's count. Common words carry few bits and are
 * pruned first at `granularity: "token"`.
 */
export interface WordInformation {
  /** Bits of each listed word, keyed by its folded form. */
  readonly bits: ReadonlyMap<string, number>;
  /** Bits of a word that is not listed. */
  readonly unknownBits: number;
}

const HEADER = "retrieval-free word information v1";
const HEADER_LINE =
  /^retrieval-free word information v1\ttotal=([1-9]\d*)\tunknown=([^\t]*)$/u;
/** A number of bits: digits with an optional decimal part. */
const NUMBER = /^\d+(?:\.\d+)?$/u;
const COMBINING_MARK = /\p{M}/gu;
const WORD_PART = /[\p{L}\p{N}]+/gu;
/** A word as lookups see it: one run of letters and digits. */
const WHOLE_WORD = /^[\p{L}\p{N}]+$/u;

/**
 * Folds a word as the built-in model's tokenizer does: accents removed,
 * lower case.
 */
export function foldWord(word: string): string {
  return word.normalize("NFD").replace(COMBINING_MARK, "").toLowerCase();
}

/**
 * Returns the bits of a word. A word of several letter-and-digit runs,
 * such as `o'clock`, gets the bits of its rarest run.
 */
export function bitsOfWord(information: WordInformation, word: string): number {
  let bits = 0;
  let parts = 0;
  for (const [part] of foldWord(word).matchAll(WORD_PART)) {
    bits = Math.max(
      bits,
      information.bits.get(part) ?? information.unknownBits,
    );
    parts++;
  }
  return parts === 0 ? 0 : bits;
}

function invalidInformation(source: string, message: string): CoreEngineError {
  return new CoreEngineError(
    CoreEngineErrorCode.INVALID_MODEL,
    `${source} is not a word information file: ${message}. Use the word-information.tsv of the built-in model, or build one with "pnpm model:build".`,
  );
}

/**
 * Parses a `word-information.tsv` file: a header line
 * `retrieval-free word information v1<TAB>total=N<TAB>unknown=BITS`, then
 * one `word<TAB>bits` line per word.
 * @throws {CoreEngineError} `INVALID_MODEL` naming the first bad line.
 */
export function parseWordInformation(
  text: string,
  source = "the word information",
): WordInformation {
  // A byte order mark is not part of the format, but editors write one.
  const lines = text.replace(/^\uFEFF/u, "").split(/\r?\n/u);
  const header = HEADER_LINE.exec(lines[0] ?? "");
  if (
    header === null ||
    !NUMBER.test(header[2] ?? "") ||
    !Number.isFinite(Number(header[2]))
  ) {
    throw invalidInformation(
      source,
      `its first line must be "${HEADER}<TAB>total=N<TAB>unknown=BITS" with a whole number N above 0 and a number BITS`,
    );
  }
  const bits = new Map<string, number>();
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index] as string;
    if (line === "") {
      continue;
    }
    const tab = line.indexOf("\t");
    const word = line.slice(0, tab);
    const value = line.slice(tab + 1);
    if (tab <= 0 || !NUMBER.test(value)) {
      throw invalidInformation(
        source,
        `line ${index + 1} must be a word, a tab and a number of bits such as 12.5`,
      );
    }
    if (!Number.isFinite(Number(value))) {
      throw invalidInformation(
        source,
        `line ${index + 1} has a number of bits too large to use`,
      );
    }
    if (!WHOLE_WORD.test(word) || foldWord(word) !== word) {
      throw invalidInformation(
        source,
        `the word "${word}" on line ${index + 1} is not one folded run of letters and digits (lower case, accents removed), so no lookup would find it`,
      );
    }
    if (bits.has(word)) {
      throw invalidInformation(
        source,
        `the word "${word}" is listed again on line ${index + 1}`,
      );
    }
    bits.set(word, Number(value));
  }
  return { bits, unknownBits: Number(header[2]) };
}

/**
 * Derives word information from the texts themselves, for callers that
 * pass none: each folded word's bits are log2(total / count) over these
 * texts.
 */
export function wordInformationOf(texts: readonly string[]): WordInformation {
  const counts = new Map<string, number>();
  let total = 0;
  for (const text of texts) {
    for (const [part] of foldWord(text).matchAll(WORD_PART)) {
      counts.set(part, (counts.get(part) ?? 0) + 1);
      total++;
    }
  }
  const bits = new Map<string, number>();
  for (const [word, count] of counts) {
    bits.set(word, Math.log2(total / count));
  }
  return { bits, unknownBits: Math.log2(Math.max(1, total) / 0.5) };
}
