import {
  isRecord,
  modelFolderError,
  TOKEN_CLASSIFICATION,
} from "./model-error.js";
import type { ModelTask } from "./model-error.js";

/** Text normalization of a BERT tokenizer (its `BertNormalizer`). */
export interface NormalizerSettings {
  /** Removes control characters and turns whitespace into spaces. */
  readonly cleanText: boolean;
  /** Puts spaces around CJK ideographs, so each one is a word. */
  readonly chineseCharacters: boolean;
  readonly lowercase: boolean;
  readonly stripAccents: boolean;
}

/** Everything needed to cut a text into WordPiece token ids. */
export interface WordPieceSettings {
  readonly normalizer: NormalizerSettings;
  readonly vocabulary: ReadonlyMap<string, number>;
  readonly unknownId: number;
  /** Prefix of pieces that continue a word, `##` in BERT. */
  readonly continuationPrefix: string;
  /** Maximum characters in a word. Longer words become one unknown token. */
  readonly maxCharactersPerWord: number;
  /** Ids the post-processor puts before the text of each window. */
  readonly prefixIds: readonly number[];
  /** Ids the post-processor puts after the text of each window. */
  readonly suffixIds: readonly number[];
  /** Id of padded positions, which the attention mask hides. */
  readonly padId: number;
}

const NO_NORMALIZATION: NormalizerSettings = {
  cleanText: false,
  chineseCharacters: false,
  lowercase: false,
  stripAccents: false,
};

/**
 * Reads BertNormalizer's flags. Missing flags take the defaults of the
 * Hugging Face tokenizers library, and a null `strip_accents` follows
 * `lowercase` as it does there.
 */
function readNormalizer(
  value: unknown,
  source: string,
  loader: string,
): NormalizerSettings {
  if (value === null || value === undefined) {
    return NO_NORMALIZATION;
  }
  if (!isRecord(value) || value.type !== "BertNormalizer") {
    const type = isRecord(value) ? String(value.type) : typeof value;
    throw modelFolderError(
      `${source} uses the normalizer ${type}; ${loader} supports BertNormalizer or none. Use a BERT-style WordPiece tokenizer.json saved with the model.`,
    );
  }
  const flag = (key: string, fallback: boolean): boolean =>
    typeof value[key] === "boolean" ? value[key] : fallback;
  const lowercase = flag("lowercase", true);
  return {
    cleanText: flag("clean_text", true),
    chineseCharacters: flag("handle_chinese_chars", true),
    lowercase,
    stripAccents: flag("strip_accents", lowercase),
  };
}

function readVocabulary(
  model: Record<string, unknown>,
  source: string,
): Map<string, number> {
  if (!isRecord(model.vocab)) {
    throw modelFolderError(
      `${source} has no "model.vocab" object; restore the tokenizer.json saved with the model.`,
    );
  }
  const vocabulary = new Map<string, number>();
  for (const [token, id] of Object.entries(model.vocab)) {
    if (typeof id !== "number" || !Number.isInteger(id) || id < 0) {
      throw modelFolderError(
        `${source} maps the token ${JSON.stringify(token)} to ${JSON.stringify(id)}; token ids must be whole numbers of 0 or more.`,
      );
    }
    vocabulary.set(token, id);
  }
  return vocabulary;
}

/** Returns the ids of the special tokens of a template or processor. */
function specialIds(
  processor: Record<string, unknown>,
  key: "cls" | "sep",
): number[] {
  const entry = processor[key];
  return Array.isArray(entry) && typeof entry[1] === "number" ? [entry[1]] : [];
}

/** Ids of one `SpecialToken` item of a TemplateProcessing template. */
function templateTokenIds(
  item: Record<string, unknown>,
  specials: Record<string, unknown>,
  source: string,
): number[] {
  const token = isRecord(item.SpecialToken) ? item.SpecialToken.id : undefined;
  const entry = typeof token === "string" ? specials[token] : undefined;
  const ids = isRecord(entry) ? entry.ids : undefined;
  if (!Array.isArray(ids) || !ids.every((id) => Number.isInteger(id))) {
    throw modelFolderError(
      `${source} has a post_processor template item ${JSON.stringify(item)} whose token ids are not in "special_tokens"; restore the tokenizer.json saved with the model.`,
    );
  }
  return ids as number[];
}

/**
 * Reads the tokens that the post-processor puts around a single text:
 * TemplateProcessing, BertProcessing, or either one inside a Sequence.
 */
function readSpecialTokens(
  value: unknown,
  source: string,
  loader: string,
): { prefixIds: number[]; suffixIds: number[] } {
  if (value === null || value === undefined) {
    return { prefixIds: [], suffixIds: [] };
  }
  if (isRecord(value) && value.type === "Sequence") {
    const inner: unknown[] = Array.isArray(value.processors)
      ? value.processors
      : [];
    const found = inner.find(
      (processor) =>
        isRecord(processor) &&
        ["TemplateProcessing", "BertProcessing"].includes(
          String(processor.type),
        ),
    );
    return readSpecialTokens(found ?? null, source, loader);
  }
  if (isRecord(value) && value.type === "BertProcessing") {
    return {
      prefixIds: specialIds(value, "cls"),
      suffixIds: specialIds(value, "sep"),
    };
  }
  if (
    !isRecord(value) ||
    value.type !== "TemplateProcessing" ||
    !Array.isArray(value.single)
  ) {
    const type = isRecord(value) ? String(value.type) : typeof value;
    throw modelFolderError(
      `${source} uses the post_processor ${type}; ${loader} supports TemplateProcessing, BertProcessing or none.`,
    );
  }
  return readTemplate(value.single as unknown[], value.special_tokens, source);
}

/** Reads the special tokens before and after the text in a template. */
function readTemplate(
  single: readonly unknown[],
  specialTokens: unknown,
  source: string,
): { prefixIds: number[]; suffixIds: number[] } {
  const specials = isRecord(specialTokens) ? specialTokens : {};
  const prefixIds: number[] = [];
  const suffixIds: number[] = [];
  let seenText = false;
  for (const item of single) {
    if (isRecord(item) && isRecord(item.Sequence)) {
      seenText = true;
    } else if (isRecord(item)) {
      const ids = templateTokenIds(item, specials, source);
      (seenText ? suffixIds : prefixIds).push(...ids);
    }
  }
  return { prefixIds, suffixIds };
}

function readPadId(
  json: Record<string, unknown>,
  vocabulary: ReadonlyMap<string, number>,
): number {
  const padding = json.padding;
  if (isRecord(padding) && Number.isInteger(padding.pad_id)) {
    return padding.pad_id as number;
  }
  return vocabulary.get("[PAD]") ?? 0;
}

/**
 * Reads a Hugging Face tokenizer.json with a WordPiece model, a
 * BertPreTokenizer and an optional BertNormalizer: the layout of BERT,
 * DistilBERT and ELECTRA exports.
 * @param task Names the loader in error messages.
 * @throws {SecurityError} `MODEL_INTEGRITY_FAILED` naming `source` and
 * the part that is missing or unsupported.
 */
export function readWordPieceSettings(
  json: unknown,
  source: string,
  task: ModelTask = TOKEN_CLASSIFICATION,
): WordPieceSettings {
  if (!isRecord(json) || !isRecord(json.model)) {
    throw modelFolderError(
      `${source} has no "model" object, so it is not a Hugging Face tokenizer.json; save the tokenizer with the model (tokenizer.save_pretrained) and use that file.`,
    );
  }
  const model = json.model;
  if (model.type !== "WordPiece") {
    throw modelFolderError(
      `${source} uses a ${String(model.type)} tokenizer model; ${task.loader} supports WordPiece tokenizers such as those of BERT, DistilBERT and ELECTRA.`,
    );
  }
  const preTokenizer = json.pre_tokenizer;
  if (!isRecord(preTokenizer) || preTokenizer.type !== "BertPreTokenizer") {
    const type = isRecord(preTokenizer) ? String(preTokenizer.type) : "none";
    throw modelFolderError(
      `${source} uses the pre_tokenizer ${type}; ${task.loader} supports BertPreTokenizer.`,
    );
  }
  const vocabulary = readVocabulary(model, source);
  const unknownToken = model.unk_token;
  const unknownId =
    typeof unknownToken === "string" ? vocabulary.get(unknownToken) : undefined;
  if (unknownId === undefined) {
    throw modelFolderError(
      `${source} sets unk_token to ${JSON.stringify(unknownToken)}, which is not in its vocabulary; restore the tokenizer.json saved with the model.`,
    );
  }
  const maxCharacters = model.max_input_chars_per_word;
  return {
    normalizer: readNormalizer(json.normalizer, source, task.loader),
    vocabulary,
    unknownId,
    continuationPrefix:
      typeof model.continuing_subword_prefix === "string"
        ? model.continuing_subword_prefix
        : "##",
    maxCharactersPerWord:
      typeof maxCharacters === "number" && maxCharacters > 0
        ? maxCharacters
        : 100,
    ...readSpecialTokens(json.post_processor, source, task.loader),
    padId: readPadId(json, vocabulary),
  };
}
