import type { Encoder } from "./encoder/encoder.js";
import { encodeUnits, normalizeRows, sumRows } from "./encoder/encode-units.js";
import { buildBm25Index } from "./score/bm25.js";
import type { ScoringContext } from "./score/context.js";
import type { Corpus } from "./segment/index.js";
import { buildTermIndex } from "./text/terms.js";
import { isChunkingTokenCounter } from "./tokenizer.js";
import type { TokenCounter } from "./tokenizer.js";

/** Exact token counts of a corpus. */
export interface TokenCounts {
  /** Tokens of each unit: the BPE chunks that start inside it. */
  readonly units: Int32Array;
  /** Tokens of each document's full text. */
  readonly documents: Int32Array;
}

/**
 * Counts the tokens of every unit and every document. A built-in tokenizer
 * does both in one pass per document; a custom counter is called once per
 * unit and once per document.
 */
export function countTokens(
  corpus: Corpus,
  counter: TokenCounter,
  onDocument: (index: number) => void,
): TokenCounts {
  const units = new Int32Array(corpus.units.length);
  const documents = new Int32Array(corpus.documents.length);
  corpus.documents.forEach((document, index) => {
    const first = document.firstUnit;
    const slice = corpus.units.slice(first, document.endUnit);
    if (isChunkingTokenCounter(counter)) {
      const starts = Int32Array.from(slice, (unit) => unit.start);
      const ends = Int32Array.from(slice, (unit) => unit.end);
      documents[index] = counter.countPieces(
        document.text,
        starts,
        ends,
        units,
        first,
      );
    } else {
      slice.forEach((unit, offset) => {
        units[first + offset] = counter.count(
          document.text.slice(unit.start, unit.end),
        );
      });
      documents[index] = counter.count(document.text);
    }
    onDocument(index);
  });
  return { units, documents };
}

/**
 * Builds everything scoring reads: term index, unit vectors, pooled block
 * and document vectors, and BM25 statistics over units and blocks.
 */
export async function analyzeCorpus(
  corpus: Corpus,
  unitTokens: Int32Array,
  encoder: Encoder,
  signal: AbortSignal | undefined,
  onEncoded: (done: number, total: number) => void,
): Promise<ScoringContext> {
  const terms = buildTermIndex(corpus.documents, corpus.units);
  const unitVectors = await encodeUnits(
    corpus,
    terms,
    encoder,
    signal,
    onEncoded,
  );
  const blockOfUnit = Int32Array.from(corpus.units, (unit) => unit.block);
  const documentOfBlock = Int32Array.from(
    corpus.blocks,
    (block) => block.document,
  );
  const unitGroups = Int32Array.from(corpus.units, (_, index) => index);
  // Documents are pooled from the block sums before those are normalized,
  // which equals pooling their units directly, in a fraction of the work.
  const blockSums = sumRows(unitVectors, corpus.blocks.length, blockOfUnit);
  const documentVectors = normalizeRows(
    sumRows(blockSums, corpus.documents.length, documentOfBlock),
  );
  return {
    corpus,
    terms,
    unitTokens,
    unitVectors,
    blockVectors: normalizeRows(blockSums),
    documentVectors,
    unitStats: buildBm25Index(terms, unitGroups, corpus.units.length),
    blockStats: buildBm25Index(terms, blockOfUnit, corpus.blocks.length),
  };
}
