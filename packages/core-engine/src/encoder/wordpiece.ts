import type { TextTokenizer } from "./text-tokenizer.js";

// The rules below follow @huggingface/tokenizers' BertNormalizer,
// BertPreTokenizer and WordPiece model, step for step, so ids are equal;
// a test compares both on whole books.
const REMOVED = /[\0\uFFFD]|(?![\t\n\r])[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/gu;
const WHITESPACE = /\s/gu;
// Only BMP ideographs: the library tests UTF-16 code units one at a time.
const CJK = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]/g;
const MARKS = /\p{Mn}/gu;
const PUNCTUATION =
  "\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E";
const PRE_TOKEN = new RegExp(`[^\\s${PUNCTUATION}]+|[${PUNCTUATION}]`, "gu");
/** Printable ASCII and the whitespace that the normalizer keeps. */
const PLAIN_ASCII = /^[\t\n\r\x20-\x7E]*$/;
/**
 * PRE_TOKEN restricted to plain ASCII, where every character that is not
 * a space, letter or digit is punctuation.
 */
const ASCII_PRE_TOKEN = /[A-Za-z0-9]+|[!-/:-@[-`{-~]/g;
/** Distinct words whose pieces stay cached before the cache starts afresh. */
const MAX_CACHED_WORDS = 200_000;

interface NormalizerSettings {
  readonly cleanText: boolean;
  readonly chineseCharacters: boolean;
  readonly lowercase: boolean;
  readonly stripAccents: boolean | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A faster tokenizer for the common BERT layout (BertNormalizer,
 * BertPreTokenizer, WordPiece), with the pieces of each distinct word
 * cached. It encodes without special tokens; texts that contain an added
 * token, and everything else, go to the full tokenizer.
 */
export class CachedWordPiece implements TextTokenizer {
  private readonly cache = new Map<string, readonly number[]>();

  private constructor(
    private readonly full: TextTokenizer,
    private readonly normalizer: NormalizerSettings,
    private readonly vocabulary: ReadonlyMap<string, number>,
    private readonly unknownId: number,
    private readonly prefix: string,
    private readonly maxCharacters: number,
    private readonly addedTokens: RegExp | undefined,
  ) {}

  /**
   * Returns a cached tokenizer when `json` uses the BERT layout and the
   * tokenizer config changes nothing it relies on, else `full` itself.
   */
  static wrap(
    full: TextTokenizer,
    json: unknown,
    config: unknown,
  ): TextTokenizer {
    if (!isRecord(json)) {
      return full;
    }
    const { normalizer, pre_tokenizer: preTokenizer, model } = json;
    const options = isRecord(config) ? config : {};
    if (
      !isRecord(normalizer) ||
      normalizer.type !== "BertNormalizer" ||
      !isRecord(preTokenizer) ||
      preTokenizer.type !== "BertPreTokenizer" ||
      !isRecord(model) ||
      model.type !== "WordPiece" ||
      !isRecord(model.vocab) ||
      typeof model.unk_token !== "string" ||
      model.fuse_unk === true ||
      options.remove_space === true ||
      options.do_lowercase_and_remove_accent === true
    ) {
      return full;
    }
    const vocabulary = new Map<string, number>();
    for (const [token, id] of Object.entries(model.vocab)) {
      if (typeof id !== "number") {
        return full;
      }
      vocabulary.set(token, id);
    }
    const unknownId = vocabulary.get(model.unk_token);
    if (unknownId === undefined) {
      return full;
    }
    const added = Array.isArray(json.added_tokens)
      ? json.added_tokens
          .map((token) => (isRecord(token) ? token.content : undefined))
          .filter((content): content is string => typeof content === "string")
      : [];
    const addedTokens =
      added.length === 0
        ? undefined
        : new RegExp(
            added
              .map((content) => content.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
              .join("|"),
          );
    return new CachedWordPiece(
      full,
      {
        cleanText: normalizer.clean_text === true,
        chineseCharacters: normalizer.handle_chinese_chars === true,
        lowercase: normalizer.lowercase === true,
        stripAccents:
          typeof normalizer.strip_accents === "boolean"
            ? normalizer.strip_accents
            : null,
      },
      vocabulary,
      unknownId,
      typeof model.continuing_subword_prefix === "string"
        ? model.continuing_subword_prefix
        : "##",
      typeof model.max_input_chars_per_word === "number"
        ? model.max_input_chars_per_word
        : 100,
      addedTokens,
    );
  }

  encode(
    text: string,
    options: { readonly add_special_tokens?: boolean } = {},
  ): { readonly ids: readonly number[] } {
    if (
      options.add_special_tokens !== false ||
      this.addedTokens?.test(text) === true
    ) {
      return this.full.encode(text, options);
    }
    const ids: number[] = [];
    // In plain ASCII, cleaning, CJK spacing and accent stripping change
    // nothing, so only lowercasing is left.
    const words = PLAIN_ASCII.test(text)
      ? (this.normalizer.lowercase ? text.toLowerCase() : text).match(
          ASCII_PRE_TOKEN,
        )
      : this.normalize(text).trim().match(PRE_TOKEN);
    for (const word of words ?? []) {
      for (const id of this.piecesOf(word)) {
        ids.push(id);
      }
    }
    return { ids };
  }

  token_to_id(token: string): number | undefined {
    return this.full.token_to_id(token);
  }

  private normalize(text: string): string {
    const { cleanText, chineseCharacters, lowercase, stripAccents } =
      this.normalizer;
    let result = text;
    if (cleanText) {
      result = result.replace(REMOVED, "").replace(WHITESPACE, " ");
    }
    if (chineseCharacters) {
      result = result.replace(CJK, " $& ");
    }
    if (lowercase) {
      result = result.toLowerCase();
    }
    if (lowercase ? stripAccents !== false : stripAccents === true) {
      result = result.normalize("NFD").replace(MARKS, "");
    }
    return result;
  }

  /** Splits one word greedily into the longest known pieces, as WordPiece does. */
  private piecesOf(word: string): readonly number[] {
    const cached = this.cache.get(word);
    if (cached !== undefined) {
      return cached;
    }
    const characters = Array.from(word);
    let ids: number[] = [];
    if (characters.length > this.maxCharacters) {
      ids = [this.unknownId];
    } else {
      let start = 0;
      while (start < characters.length) {
        let end = characters.length;
        let found: number | undefined;
        while (start < end) {
          const piece = characters.slice(start, end).join("");
          found = this.vocabulary.get(
            start > 0 ? `${this.prefix}${piece}` : piece,
          );
          if (found !== undefined) {
            break;
          }
          end--;
        }
        if (found === undefined) {
          ids = [this.unknownId];
          break;
        }
        ids.push(found);
        start = end;
      }
    }
    if (this.cache.size >= MAX_CACHED_WORDS) {
      this.cache.clear();
    }
    this.cache.set(word, ids);
    return ids;
  }
}
