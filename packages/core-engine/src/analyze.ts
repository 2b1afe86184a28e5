import type { Encoder } from "./encoder/encoder.js";
import { encodeUnits, normalizeRows, sumRows } from "./encoder/encode-units.js";
import { buildBm25Index } from "./score/bm25.js";
import type { ScoringContext } from "./score/context.js";
import type { Corpus } from "./segment/index.js";
import type { CorpusIndex } from "./text/index-corpus.js";

/**
 * Builds everything scoring reads: term index, unit vectors, pooled block
 * and document vectors, and BM25 statistics over units and blocks.
 */
export async function analyzeCorpus(
  corpus: Corpus,
  index: CorpusIndex,
  encoder: Encoder,
  signal: AbortSignal | undefined,
  onEncoded: (done: number, total: number) => void,
): Promise<ScoringContext> {
  const { terms, unitTokens } = index;
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
