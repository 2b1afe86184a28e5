import type {
  NormalizerSettings,
  WordPieceSettings,
} from "./tokenizer-json.js";

/** One WordPiece token and the characters of the text it came from. */
export interface TokenPiece {
  readonly id: number;
  /** Start offset in the original text, in UTF-16 code units. */
  readonly start: number;
  /** End offset in the original text (exclusive). */
  readonly end: number;
  /** Index of the word, in {@link TokenizedText.words}, that contains it. */
  readonly word: number;
}

/** One word of the pre-tokenizer: letters and digits, or one punctuation mark. */
export interface TokenWord {
  readonly start: number;
  readonly end: number;
  /** Index of the word's first piece in {@link TokenizedText.pieces}. */
  readonly firstPiece: number;
  readonly pieceCount: number;
}

/** A text cut into words and WordPiece tokens, without special tokens. */
export interface TokenizedText {
  readonly pieces: readonly TokenPiece[];
  readonly words: readonly TokenWord[];
}

/** The normalized text, one code point per entry, with original offsets. */
interface NormalizedText {
  readonly characters: string[];
  readonly starts: number[];
  readonly ends: number[];
}

/** A piece of one word, as code point indices into the word. */
interface WordSlice {
  readonly id: number;
  readonly from: number;
  readonly to: number;
}

const CONTROL = /\p{C}/u;
const WHITESPACE = /\p{White_Space}/u;
const UNICODE_PUNCTUATION = /\p{P}/u;
const MARK = /\p{Mn}/gu;
/** Distinct words whose pieces stay cached before the cache starts afresh. */
const MAX_CACHED_WORDS = 50_000;

/**
 * Tells whether a code point is a CJK ideograph, by the ranges that BERT
 * tokenizers put spaces around (CJK Unified Ideographs, extensions A to
 * E, and the compatibility ideographs).
 */
function isCjk(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x20000 && code <= 0x2a6df) ||
    (code >= 0x2a700 && code <= 0x2b73f) ||
    (code >= 0x2b740 && code <= 0x2b81f) ||
    (code >= 0x2b820 && code <= 0x2ceaf) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x2f800 && code <= 0x2fa1f)
  );
}

/** Tells whether BertPreTokenizer splits a character off as punctuation. */
function isPunctuation(character: string): boolean {
  const code = character.codePointAt(0) ?? 0;
  return (
    (code >= 33 && code <= 47) ||
    (code >= 58 && code <= 64) ||
    (code >= 91 && code <= 96) ||
    (code >= 123 && code <= 126) ||
    UNICODE_PUNCTUATION.test(character)
  );
}

/**
 * Normalizes one code point as BertNormalizer does: cleaning, CJK
 * spacing, accent stripping (NFD without nonspacing marks), lower case.
 * The result may be empty or longer than the input.
 */
function normalizeCharacter(
  character: string,
  settings: NormalizerSettings,
): string {
  const code = character.codePointAt(0) ?? 0;
  if (settings.cleanText) {
    const isControl =
      CONTROL.test(character) &&
      character !== "\t" &&
      character !== "\n" &&
      character !== "\r";
    if (code === 0 || code === 0xfffd || isControl) {
      return "";
    }
    if (WHITESPACE.test(character)) {
      return " ";
    }
  }
  if (settings.chineseCharacters && isCjk(code)) {
    return ` ${character} `;
  }
  let result = character;
  if (settings.stripAccents && code >= 0x80) {
    result = result.normalize("NFD").replace(MARK, "");
  }
  return settings.lowercase ? result.toLowerCase() : result;
}

/**
 * Normalizes a text one code point at a time and records, for every
 * normalized code point, the original code point it came from. A removed
 * code point right after a kept one, such as a combining accent, joins
 * that one's span, so a word's span covers its accents.
 */
function normalizeText(
  text: string,
  settings: NormalizerSettings,
): NormalizedText {
  const characters: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let offset = 0;
  for (const character of text) {
    const end = offset + character.length;
    const normalized = normalizeCharacter(character, settings);
    const last = characters.length - 1;
    if (
      normalized === "" &&
      last >= 0 &&
      ends[last] === offset &&
      characters[last] !== " "
    ) {
      ends[last] = end;
    }
    for (const output of normalized) {
      characters.push(output);
      starts.push(offset);
      ends.push(end);
    }
    offset = end;
  }
  return { characters, starts, ends };
}

/**
 * Splits normalized code points into words as BertPreTokenizer does:
 * whitespace separates words and each punctuation mark is a word.
 * Returns `[from, to)` index pairs.
 */
function splitWords(characters: readonly string[]): [number, number][] {
  const words: [number, number][] = [];
  let from = -1;
  characters.forEach((character, index) => {
    const space = WHITESPACE.test(character);
    const punctuation = !space && isPunctuation(character);
    if (from >= 0 && (space || punctuation)) {
      words.push([from, index]);
      from = -1;
    }
    if (punctuation) {
      words.push([index, index + 1]);
    } else if (!space && from < 0) {
      from = index;
    }
  });
  if (from >= 0) {
    words.push([from, characters.length]);
  }
  return words;
}

/** Cuts texts into WordPiece tokens that keep their offsets in the text. */
export class WordPieceTokenizer {
  private readonly cache = new Map<string, readonly WordSlice[]>();

  constructor(readonly settings: WordPieceSettings) {}

  /**
   * Tokenizes a text without special tokens. Special tokens written in
   * the text, such as "[SEP]", are tokenized as plain words, so a text
   * cannot insert control tokens into the model's input.
   */
  tokenize(text: string): TokenizedText {
    const normalized = normalizeText(text, this.settings.normalizer);
    const pieces: TokenPiece[] = [];
    const words: TokenWord[] = [];
    for (const [from, to] of splitWords(normalized.characters)) {
      const wordIndex = words.length;
      const slices = this.piecesOf(normalized.characters.slice(from, to));
      for (const slice of slices) {
        pieces.push({
          id: slice.id,
          start: normalized.starts[from + slice.from] as number,
          end: normalized.ends[from + slice.to - 1] as number,
          word: wordIndex,
        });
      }
      words.push({
        start: normalized.starts[from] as number,
        end: normalized.ends[to - 1] as number,
        firstPiece: pieces.length - slices.length,
        pieceCount: slices.length,
      });
    }
    return { pieces, words };
  }

  /**
   * Splits one word greedily into the longest pieces in the vocabulary,
   * as the WordPiece model does. A word with a part that no piece
   * matches, or longer than the limit, is one unknown token.
   */
  private piecesOf(characters: readonly string[]): readonly WordSlice[] {
    const key = characters.join("");
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      return cached;
    }
    let slices: WordSlice[] = [];
    let from = 0;
    while (from < characters.length) {
      const slice =
        characters.length > this.settings.maxCharactersPerWord
          ? undefined
          : this.longestPiece(characters, from);
      if (slice === undefined) {
        slices = [
          { id: this.settings.unknownId, from: 0, to: characters.length },
        ];
        break;
      }
      slices.push(slice);
      from = slice.to;
    }
    if (this.cache.size >= MAX_CACHED_WORDS) {
      this.cache.clear();
    }
    this.cache.set(key, slices);
    return slices;
  }

  /** Finds the longest vocabulary piece that starts at `from`. */
  private longestPiece(
    characters: readonly string[],
    from: number,
  ): WordSlice | undefined {
    const { vocabulary, continuationPrefix } = this.settings;
    for (let to = characters.length; to > from; to--) {
      const piece = characters.slice(from, to).join("");
      const id = vocabulary.get(from > 0 ? continuationPrefix + piece : piece);
      if (id !== undefined) {
        return { id, from, to };
      }
    }
    return undefined;
  }
}
