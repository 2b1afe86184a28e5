import type { Encoder } from "./encoder/encoder.js";
import type { MegaTokenSet } from "./mega-tokens/types.js";
import type { ProtectedClass } from "./segment/protected.js";
import type { WordInformation } from "./text/word-information.js";
import type { BuiltInTokenizerName, CustomTokenCounter } from "./tokenizer.js";

/**
 * Smallest piece that compression may leave out: whole sentences (and
 * other units), or also single words inside kept sentences.
 */
export type Granularity = "sentence" | "token";

/** How a document's text is structured. */
export type DocumentFormat = "text" | "markdown";

/** One document given to {@link compress}. */
export interface InputDocument {
  /** Caller's identifier, repeated on every span taken from the document. */
  readonly id: string;
  /** The full text. Offsets in the result index into this string. */
  readonly text: string;
  /** Structure of `text`; detected from the text when absent. */
  readonly format?: DocumentFormat;
}

/** A string (one document with the id `"0"`) or a list of documents. */
export type CompressInput = string | readonly InputDocument[];

/** Stages reported through {@link CompressOptions.onProgress}, in order. */
export type CompressStage =
  | "segment"
  | "tokenize"
  | "encode"
  | "score"
  | "select"
  | "assemble"
  | "mega-tokens";

/**
 * Progress of one stage of a compression. Stages count their work in
 * documents (segment), characters (tokenize), units (encode), or report
 * 1 of 1 when they end (score, select, assemble, mega-tokens).
 */
export interface ProgressEvent {
  readonly stage: CompressStage;
  /** Work done in this stage, in the stage's own unit. */
  readonly completed: number;
  /** Work in this stage; `completed === total` when it ends. */
  readonly total: number;
}

/** Options of {@link compress}. Pass exactly one of `ratio` and `targetTokens`. */
export interface CompressOptions {
  /** Compression factor: 4 keeps at most a quarter of the tokens. Above 1. */
  readonly ratio?: number;
  /** Token budget of the whole output, separators included. Above 0. */
  readonly targetTokens?: number;
  /** Question the output must serve; without one, selection is generic. */
  readonly query?: string;
  /**
   * Tokenizer of the target LLM, used for every count.
   * @default "o200k_base"
   */
  readonly tokenizer?: BuiltInTokenizerName | CustomTokenCounter;
  /**
   * Text that must appear in the output: regular expressions and built-in
   * classes. Units containing a match are kept before any other.
   * @default []
   */
  readonly preserve?: readonly (RegExp | ProtectedClass)[];
  /**
   * Marker written where source text was left out between two kept spans
   * of a document. When absent, `…` is written with the spacing of its
   * context: spaces in running text, none between CJK characters, line
   * breaks where the gap spans lines.
   */
  readonly separator?: string;
  /**
   * Text written between documents.
   * @default "\n\n"
   */
  readonly documentSeparator?: string;
  /**
   * Encoder of the unit vectors used for scoring and mega-tokens;
   * `"hashing"` for the {@link HashingEncoder} with 256 dimensions; or
   * `"none"` for lexical scoring only: no vectors are computed, scores
   * use term statistics alone, and no mega-tokens are built.
   * @default in Node.js, the built-in model, which the package's main entry
   * loads, or `"hashing"` where ONNX Runtime cannot load. The browser entry
   * and other runtimes use `"hashing"`.
   */
  readonly encoder?: Encoder | "none" | "hashing";
  /**
   * Whether to build the mega-token hierarchy.
   * @default true
   */
  readonly megaTokens?: boolean;
  /**
   * `"token"` adds a second stage: sentences are selected for a budget a
   * third larger, then low-information words inside them are removed
   * until the output fits. Numbers, ids, negations, names, quoted text,
   * preserved matches and the query's words are never removed, and every
   * kept piece is a span of its source. When removing words cannot meet
   * the budget, the sentence selection for the budget is returned.
   * @default "sentence"
   */
  readonly granularity?: Granularity;
  /**
   * Self-information of words for `granularity: "token"`, as from
   * `parseWordInformation`. In Node.js the main entry loads the built-in
   * model's `word-information.tsv` when this is left out; elsewhere the
   * statistics of the input itself are used.
   */
  readonly wordInformation?: WordInformation;
  /** Aborts the compression with an `ABORTED` error. */
  readonly signal?: AbortSignal;
  /** Called as each stage advances. Must not throw. */
  readonly onProgress?: (event: ProgressEvent) => void;
}

/** A kept span of source text. */
export interface Span {
  /** Id of the document the span comes from. */
  readonly documentId: string;
  /** Start offset in the document's text, in UTF-16 code units. */
  readonly start: number;
  /** End offset (exclusive) in the document's text. */
  readonly end: number;
  /** The kept text, equal to `text.slice(start, end)` of the document. */
  readonly text: string;
}

/** Counts for one input document, in input order. */
export interface DocumentStats {
  readonly id: string;
  readonly format: DocumentFormat;
  /** Tokens of the document's full text. */
  readonly originalTokens: number;
  /** Tokens of the document's kept spans and the separators between them. */
  readonly compressedTokens: number;
  /** Number of selectable units the document was cut into. */
  readonly units: number;
  /** Number of those units kept. */
  readonly keptUnits: number;
  /** Whether nothing of the document was kept. */
  readonly dropped: boolean;
}

/** What the caller asked for, after defaults. */
export interface CompressRequest {
  readonly ratio: number | undefined;
  readonly targetTokens: number | undefined;
  /** Token budget derived from `ratio` or `targetTokens`. */
  readonly budgetTokens: number;
  readonly query: string | undefined;
  readonly tokenizer: string;
  readonly granularity: Granularity;
}

/** Milliseconds spent in each stage. */
export interface CompressTimings {
  readonly segmentMs: number;
  readonly tokenizeMs: number;
  readonly encodeMs: number;
  readonly scoreMs: number;
  readonly selectMs: number;
  readonly assembleMs: number;
  readonly megaTokensMs: number;
  readonly totalMs: number;
}

/** Identity of the encoder that a compression ran with. */
export interface EncoderInfo {
  /** The encoder's id, as stored with mega-tokens. */
  readonly id: string;
  /** Model name, or the id when the encoder gives none. */
  readonly name: string;
  /** Model version, when the encoder gives one. */
  readonly version: string | undefined;
  readonly dimension: number;
}

/** Result of {@link compress}. */
export interface CompressResult {
  /** The compressed prompt. */
  readonly text: string;
  /** Kept spans in output order: documents in input order, then offset. */
  readonly spans: readonly Span[];
  /** Ids of documents of which nothing was kept, in input order. */
  readonly droppedDocuments: readonly string[];
  /** Tokens of the input: each document counted alone, then summed. */
  readonly originalTokens: number;
  /** Tokens of `text`, counted as one string. */
  readonly compressedTokens: number;
  /**
   * Achieved ratio, `originalTokens / compressedTokens`: 1 for empty input
   * or input of 0 tokens, and `Infinity` when an input of tokens kept
   * nothing.
   */
  readonly ratio: number;
  readonly request: CompressRequest;
  /** Whether `compressedTokens` is within the budget. */
  readonly budgetMet: boolean;
  /** Why the output differs from what was requested, when it does. */
  readonly reason: string | undefined;
  /** Per-document counts, aligned with the input. */
  readonly documents: readonly DocumentStats[];
  /** The mega-token hierarchy; absent when `megaTokens` is false or `encoder` is `"none"`. */
  readonly megaTokens: MegaTokenSet | undefined;
  /** The encoder that produced the vectors used for scoring and mega-tokens. */
  readonly encoder: EncoderInfo;
  readonly timings: CompressTimings;
}
