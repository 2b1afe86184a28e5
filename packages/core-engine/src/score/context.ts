import type { Corpus } from "../segment/index.js";
import type { TermIndex } from "../text/terms.js";
import type { VectorMatrix } from "../vectors.js";
import type { Bm25Index } from "./bm25.js";

/** Everything the scorers read about a segmented, encoded corpus. */
export interface ScoringContext {
  readonly corpus: Corpus;
  readonly terms: TermIndex;
  /** Exact tokens of each unit with the target tokenizer. */
  readonly unitTokens: Int32Array;
  readonly unitVectors: VectorMatrix;
  readonly blockVectors: VectorMatrix;
  readonly documentVectors: VectorMatrix;
  /** BM25 statistics with each unit as a document. */
  readonly unitStats: Bm25Index;
  /** BM25 statistics with each block as a document. */
  readonly blockStats: Bm25Index;
}

/** Divides every value by the largest one, so the maximum becomes 1. */
export function normalizeByMax(values: Float64Array): Float64Array {
  let max = 0;
  for (const value of values) {
    if (value > max) {
      max = value;
    }
  }
  if (max > 0) {
    for (let index = 0; index < values.length; index++) {
      values[index] = (values[index] as number) / max;
    }
  }
  return values;
}
