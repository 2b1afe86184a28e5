import { dotRows } from "../vectors.js";
import type { ScoringContext } from "./context.js";
import { normalizeByMax } from "./context.js";

/** Weights of the query-agnostic score. */
export const GENERIC_WEIGHTS = {
  /** Share of the score from centrality; the rest comes from information density. */
  centrality: 0.2,
  /**
   * Position prior inside a block: a unit's score is multiplied by
   * 1 + leadBoost / (1 + its index in the block), because the first
   * sentences of a paragraph usually state its topic and main facts.
   */
  leadBoost: 3,
  /**
   * Share of the lead bonus given to headings, which give kept text its
   * context for few tokens, and to the last unit of a document, where
   * instructions and conclusions sit; both also count as full content.
   */
  structure: 1,
  /**
   * Share of the score that depends on content (density and centrality);
   * the rest depends on position alone.
   */
  contentShare: 0.5,
  /** Idf above which a term counts as no more informative. */
  maxIdf: 8,
  /**
   * Exponent of the block-size prior. A paragraph tends to make its point
   * whatever its length, so a sentence of a short paragraph carries more of
   * the document's facts per token than one of a long paragraph: scores are
   * multiplied by (mean paragraph tokens of the document / tokens of the
   * unit's block) to this power, bounded by {@link BLOCK_SIZE_BOUND}.
   * Headings, which are blocks of their own, are left out of this prior
   * and of the two below.
   */
  blockSize: 1,
  /**
   * Exponent of the length prior. A longer sentence contains more facts, but
   * fewer per token: scores are multiplied by (tokens / 25) to minus this
   * power.
   */
  lengthExponent: 0.4,
  /**
   * Extra weight of units dense in numbers (dates, amounts, counts), which
   * carry facts a reader asks about: up to this share more when one token
   * in ten or more is a number.
   */
  numberBoost: 0.3,
} as const;

/** The block-size prior never scales a score by more than this factor either way. */
const BLOCK_SIZE_BOUND = 4;
/** Unit length, in tokens, at which the length prior is 1. */
const TYPICAL_UNIT_TOKENS = 25;
/** Shorter units count as this long for the length prior. */
const MIN_PRIOR_TOKENS = 4;
/** Share of number tokens at which the number bonus is full. */
const FULL_NUMBER_SHARE = 0.1;
const NUMBER_TERM = /^[0-9]/;

interface UnitContent {
  /** Capped idf summed over the distinct terms of each unit. */
  readonly information: Float64Array;
  /** Number terms of each unit, repeats included. */
  readonly numbers: Int32Array;
}

/**
 * Measures how much specific content (names, numbers, rare words) each
 * unit carries: the capped idf of its distinct terms, and its numbers.
 */
function unitContent(context: ScoringContext): UnitContent {
  const { terms, unitStats } = context;
  const units = context.corpus.units.length;
  const isNumber = Uint8Array.from(terms.vocabulary, (term) =>
    NUMBER_TERM.test(term) ? 1 : 0,
  );
  const lastUnit = new Int32Array(terms.vocabulary.length).fill(-1);
  const information = new Float64Array(units);
  const numbers = new Int32Array(units);
  for (let unit = 0; unit < units; unit++) {
    const end = terms.unitOffsets[unit + 1] as number;
    let sum = 0;
    let count = 0;
    for (let at = terms.unitOffsets[unit] as number; at < end; at++) {
      const term = terms.termIds[at] as number;
      count += isNumber[term] as number;
      if (lastUnit[term] !== unit) {
        lastUnit[term] = unit;
        sum += Math.min(GENERIC_WEIGHTS.maxIdf, unitStats.idf[term] ?? 0);
      }
    }
    information[unit] = sum;
    numbers[unit] = count;
  }
  return { information, numbers };
}

/**
 * Returns, for each unit, the block-size prior: the mean tokens of the
 * paragraphs of its document over the tokens of its block, to the power
 * {@link GENERIC_WEIGHTS.blockSize}, within {@link BLOCK_SIZE_BOUND}.
 */
function blockSizePrior(context: ScoringContext): Float64Array {
  const { corpus, unitTokens } = context;
  const blockTokens = new Float64Array(corpus.blocks.length);
  corpus.units.forEach((unit, index) => {
    blockTokens[unit.block] =
      (blockTokens[unit.block] as number) + (unitTokens[index] as number);
  });
  const meanParagraphTokens = corpus.documents.map((document) => {
    let sum = 0;
    let count = 0;
    for (let block = document.firstBlock; block < document.endBlock; block++) {
      if (corpus.blocks[block]?.kind === "paragraph") {
        sum += blockTokens[block] as number;
        count++;
      }
    }
    return count > 0 ? sum / count : 0;
  });
  return Float64Array.from(corpus.units, (unit) => {
    const mean = meanParagraphTokens[unit.document] ?? 0;
    if (mean === 0) {
      return 1;
    }
    const size = mean / Math.max(1, blockTokens[unit.block] as number);
    const bounded = Math.min(
      BLOCK_SIZE_BOUND,
      Math.max(1 / BLOCK_SIZE_BOUND, size),
    );
    return Math.pow(bounded, GENERIC_WEIGHTS.blockSize);
  });
}

/**
 * Scores every unit without a query: information per token, centrality
 * (cosine to the document's mean vector), numbers, and structure,
 * position, block-size and length priors. Scores are per token, so
 * selection by score favours dense text.
 */
export function scoreGeneric(context: ScoringContext): Float64Array {
  const { corpus, unitTokens, unitVectors, documentVectors } = context;
  const units = corpus.units;
  const { information, numbers } = unitContent(context);
  const blockPrior = blockSizePrior(context);
  const density = new Float64Array(units.length);
  const centrality = new Float64Array(units.length);
  units.forEach((unit, index) => {
    density[index] =
      (information[index] as number) / Math.max(1, unitTokens[index] as number);
    centrality[index] = Math.max(
      0,
      dotRows(unitVectors, index, documentVectors, unit.document),
    );
  });
  normalizeByMax(density);
  normalizeByMax(centrality);
  const scores = new Float64Array(units.length);
  const lastUnitOfDocument = new Map(
    corpus.documents.map((document) => [document.endUnit - 1, true]),
  );
  units.forEach((unit, index) => {
    const mix =
      (1 - GENERIC_WEIGHTS.centrality) * (density[index] as number) +
      GENERIC_WEIGHTS.centrality * (centrality[index] as number);
    const structural = unit.kind === "heading" || lastUnitOfDocument.has(index);
    const content = structural
      ? 1
      : 1 - GENERIC_WEIGHTS.contentShare + GENERIC_WEIGHTS.contentShare * mix;
    const position = structural
      ? GENERIC_WEIGHTS.structure * GENERIC_WEIGHTS.leadBoost
      : GENERIC_WEIGHTS.leadBoost / (1 + unit.positionInBlock);
    if (unit.kind === "heading") {
      scores[index] = content * (1 + position);
      return;
    }
    const tokens = Math.max(MIN_PRIOR_TOKENS, unitTokens[index] as number);
    const numberShare = Math.min(
      1,
      (numbers[index] as number) / tokens / FULL_NUMBER_SHARE,
    );
    scores[index] =
      content *
      (1 + position) *
      (blockPrior[index] as number) *
      Math.pow(tokens / TYPICAL_UNIT_TOKENS, -GENERIC_WEIGHTS.lengthExponent) *
      (1 + GENERIC_WEIGHTS.numberBoost * numberShare);
  });
  return scores;
}
