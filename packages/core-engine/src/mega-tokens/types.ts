/** Levels of the mega-token hierarchy, from finest to coarsest. */
export const MEGA_TOKEN_LEVELS = [
  "unit",
  "segment",
  "section",
  "document",
] as const;

/** One level of the mega-token hierarchy. */
export type MegaTokenLevel = (typeof MEGA_TOKEN_LEVELS)[number];

/** A `[start, end)` range of a document's text, in UTF-16 code units. */
export interface SourceSpan {
  readonly start: number;
  readonly end: number;
}

/**
 * A dense vector standing for a stretch of source text: a unit (sentence,
 * heading, table row, code block), a contiguous topic segment, a section
 * or a whole document.
 */
export interface MegaToken {
  /** Position of the token in {@link MegaTokenSet.tokens}. */
  readonly index: number;
  readonly level: MegaTokenLevel;
  readonly documentId: string;
  /** Source ranges the token covers, in order. */
  readonly spans: readonly SourceSpan[];
  /** Unit-length vector from the set's encoder. */
  readonly vector: Float32Array;
  /** Tokens of the covered text with the set's tokenizer. */
  readonly tokens: number;
  /**
   * How well the vector represents the text, from 0 to 1: for a unit, how
   * many index terms it has; above, the mean cosine of the parts to the whole.
   */
  readonly confidence: number;
  /** Query-independent importance from 0 to 1 within its level. */
  readonly salience: number;
  /** Index of the token one level up, or -1 for a document. */
  readonly parent: number;
  /** Indices of the tokens one level down. */
  readonly children: readonly number[];
}

/** A self-contained mega-token hierarchy with the texts it points into. */
export interface MegaTokenSet {
  /** Version of the serialization format that produced the set. */
  readonly formatVersion: 1;
  /** Encoder that produced the vectors; routing must use the same one. */
  readonly encoder: { readonly id: string; readonly dimension: number };
  /** Tokenizer of the `tokens` counts. */
  readonly tokenizer: string;
  readonly documents: readonly { readonly id: string; readonly text: string }[];
  /** Tokens ordered by level, coarsest first: documents, sections, segments, units. */
  readonly tokens: readonly MegaToken[];
}
