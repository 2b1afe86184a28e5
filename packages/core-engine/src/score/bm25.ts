import type { TermIndex } from "../text/terms.js";

/** Term statistics of a collection of groups of units (units, blocks). */
export interface Bm25Index {
  readonly groups: number;
  /** Inverse document frequency by term id. */
  readonly idf: Float64Array;
  /** Number of terms in each group. */
  readonly lengths: Float64Array;
  readonly averageLength: number;
  /** Group of each unit; groups are contiguous runs of units. */
  readonly groupOfUnit: Int32Array;
}

/** BM25 term-frequency saturation. */
const K1 = 1.2;
/** BM25 length normalization. */
const B = 0.75;

/**
 * Counts in how many groups each term occurs and derives BM25 statistics.
 * `groupOfUnit` must not decrease from one unit to the next.
 */
export function buildBm25Index(
  index: TermIndex,
  groupOfUnit: Int32Array,
  groups: number,
): Bm25Index {
  const vocabularySize = index.vocabulary.length;
  const documentFrequency = new Int32Array(vocabularySize);
  const lastGroup = new Int32Array(vocabularySize).fill(-1);
  const lengths = new Float64Array(groups);
  const { termIds, unitOffsets } = index;
  for (let unit = 0; unit < groupOfUnit.length; unit++) {
    const group = groupOfUnit[unit] as number;
    const end = unitOffsets[unit + 1] as number;
    const start = unitOffsets[unit] as number;
    lengths[group] = (lengths[group] as number) + (end - start);
    for (let at = start; at < end; at++) {
      const term = termIds[at] as number;
      if (lastGroup[term] !== group) {
        lastGroup[term] = group;
        documentFrequency[term] = (documentFrequency[term] as number) + 1;
      }
    }
  }
  const idf = new Float64Array(vocabularySize);
  for (let term = 0; term < vocabularySize; term++) {
    const frequency = documentFrequency[term] as number;
    idf[term] = Math.log(1 + (groups - frequency + 0.5) / (frequency + 0.5));
  }
  let total = 0;
  for (let group = 0; group < groups; group++) {
    total += lengths[group] as number;
  }
  return {
    groups,
    idf,
    lengths,
    averageLength: groups > 0 ? Math.max(1, total / groups) : 1,
    groupOfUnit,
  };
}

/**
 * Scores every group against weighted query terms with Okapi BM25.
 * `queryWeights` maps term ids to their weight in the query.
 */
export function bm25Scores(
  bm25: Bm25Index,
  index: TermIndex,
  queryWeights: ReadonlyMap<number, number>,
): Float64Array {
  const scores = new Float64Array(bm25.groups);
  if (queryWeights.size === 0 || bm25.groups === 0) {
    return scores;
  }
  const slotOfTerm = new Map<number, number>();
  const weights: number[] = [];
  const idfs: number[] = [];
  for (const [term, weight] of queryWeights) {
    slotOfTerm.set(term, weights.length);
    weights.push(weight);
    idfs.push(bm25.idf[term] ?? 0);
  }
  const slots = weights.length;
  const isQueryTerm = new Uint8Array(index.vocabulary.length);
  for (const term of queryWeights.keys()) {
    isQueryTerm[term] = 1;
  }
  const frequencies = new Float64Array(slots);
  const { termIds, unitOffsets } = index;
  const { groupOfUnit, lengths, averageLength } = bm25;
  let group = -1;
  const flush = (): void => {
    if (group < 0) {
      return;
    }
    const norm =
      K1 * (1 - B + (B * (lengths[group] as number)) / averageLength);
    let score = 0;
    for (let slot = 0; slot < slots; slot++) {
      const frequency = frequencies[slot] as number;
      if (frequency > 0) {
        score +=
          (weights[slot] as number) *
          (idfs[slot] as number) *
          ((frequency * (K1 + 1)) / (frequency + norm));
        frequencies[slot] = 0;
      }
    }
    scores[group] = score;
  };
  for (let unit = 0; unit < groupOfUnit.length; unit++) {
    const unitGroup = groupOfUnit[unit] as number;
    if (unitGroup !== group) {
      flush();
      group = unitGroup;
    }
    const end = unitOffsets[unit + 1] as number;
    for (let at = unitOffsets[unit] as number; at < end; at++) {
      const term = termIds[at] as number;
      if (isQueryTerm[term] === 1) {
        const slot = slotOfTerm.get(term) as number;
        frequencies[slot] = (frequencies[slot] as number) + 1;
      }
    }
  }
  flush();
  return scores;
}

/** Looks up the ids of query terms in the index; unknown terms are skipped. */
export function queryTermWeights(
  index: TermIndex,
  terms: readonly string[],
  weight = 1,
): Map<number, number> {
  const weights = new Map<number, number>();
  for (const term of terms) {
    const id = index.idByTerm.get(term);
    if (id !== undefined) {
      weights.set(id, (weights.get(id) ?? 0) + weight);
    }
  }
  return weights;
}
