import { textToTerms } from "../text/terms.js";
import { dotRowVector } from "../vectors.js";
import { bm25Scores, queryTermWeights } from "./bm25.js";
import { blockTermSet, expansionWeights, subjectTerms } from "./bridge.js";
import type { ScoringContext } from "./context.js";
import { normalizeByMax } from "./context.js";

/** Weights of the query-aware score; the signals are each scaled to [0, 1]. */
export const QUERY_WEIGHTS = {
  /** BM25 of the unit itself. */
  unitLexical: 1,
  /** Cosine between the unit vector and the query vector. */
  unitVector: 0.3,
  /** Relevance of the unit's block (coarse ranking). */
  block: 0.6,
  /** Bonus for the first unit of the best blocks, which names their subject. */
  lead: 0.35,
  /** Share of a neighbour's lexical score passed to a unit. */
  neighbour: 0.15,
  /** Weight of a query-expansion term relative to a query term. */
  expansionTerm: 0.4,
  /** Relevance added to a block linked from the best block. */
  bridge: 1.2,
  /** Number of best blocks whose lead unit gets the bonus. */
  leadBlocks: 3,
} as const;

/** Per-unit, per-block and per-document relevance to a query. */
export interface QueryScores {
  readonly unit: Float64Array;
  readonly block: Float64Array;
  readonly document: Float64Array;
  /** Whether any unit shares a term with the query. */
  readonly matched: boolean;
}

function cosines(
  context: ScoringContext,
  vector: Float32Array,
  rows: "unit" | "block",
): Float64Array {
  const matrix = rows === "unit" ? context.unitVectors : context.blockVectors;
  const values = new Float64Array(matrix.rows);
  for (let row = 0; row < matrix.rows; row++) {
    values[row] = Math.max(0, dotRowVector(matrix, row, vector));
  }
  return values;
}

function argMax(values: Float64Array): number {
  let best = -1;
  let bestValue = 0;
  values.forEach((value, index) => {
    if (value > bestValue) {
      best = index;
      bestValue = value;
    }
  });
  return best;
}

/**
 * Scores blocks reached through the best block: blocks whose opening name
 * the best block mentions, and blocks that share its capitalized terms.
 * This is how a question about "the director of Doctor Strange" reaches
 * the paragraph about the director, which shares no word with it.
 */
function bridgeScores(
  context: ScoringContext,
  anchor: number,
  queryWeights: ReadonlyMap<number, number>,
): Float64Array {
  const { corpus, terms, blockStats } = context;
  const blocks = corpus.blocks.length;
  const bridge = new Float64Array(blocks);
  if (anchor < 0) {
    return bridge;
  }
  const expansion = expansionWeights(
    corpus,
    terms,
    anchor,
    queryWeights,
    blockStats.idf,
    1,
  );
  const expanded = normalizeByMax(bm25Scores(blockStats, terms, expansion));
  const anchorTerms = blockTermSet(corpus, terms, anchor);
  const anchorDocument = corpus.blocks[anchor]?.document;
  for (let block = 0; block < blocks; block++) {
    if (block === anchor || corpus.blocks[block]?.document !== anchorDocument) {
      continue;
    }
    const linked =
      opensWithKnownTerm(context, block, anchorTerms) &&
      isSubjectMentioned(context, block, anchorTerms, queryWeights);
    bridge[block] = 0.5 * (expanded[block] as number) + (linked ? 0.5 : 0);
  }
  return bridge;
}

/**
 * Tells cheaply whether a block's first term occurs in the anchor block,
 * which any block whose opening name the anchor mentions must satisfy.
 */
function opensWithKnownTerm(
  context: ScoringContext,
  block: number,
  anchorTerms: ReadonlySet<number>,
): boolean {
  const { terms, corpus } = context;
  const firstUnit = corpus.blocks[block]?.firstUnit ?? 0;
  const at = terms.unitOffsets[firstUnit] as number;
  return (
    at < (terms.unitOffsets[firstUnit + 1] as number) &&
    anchorTerms.has(terms.termIds[at] as number)
  );
}

/** Tells whether every term of a block's opening name occurs in the anchor block. */
function isSubjectMentioned(
  context: ScoringContext,
  block: number,
  anchorTerms: ReadonlySet<number>,
  queryWeights: ReadonlyMap<number, number>,
): boolean {
  const subject = subjectTerms(context.corpus, block)
    .map((term) => context.terms.idByTerm.get(term))
    .filter((id): id is number => id !== undefined && !queryWeights.has(id));
  return subject.length > 0 && subject.every((id) => anchorTerms.has(id));
}

function topBlocks(values: Float64Array, count: number): Set<number> {
  const order = [...values.keys()].sort(
    (a, b) => (values[b] as number) - (values[a] as number),
  );
  return new Set(
    order.slice(0, count).filter((block) => (values[block] as number) > 0),
  );
}

/**
 * Scores every unit for a query: BM25 of the unit, cosine to the query
 * vector, the relevance of its block (BM25 and cosine of the whole
 * paragraph, plus bridge links from the best paragraph), and a bonus for
 * the opening unit of the best paragraphs.
 */
export function scoreForQuery(
  context: ScoringContext,
  query: string,
  queryVector: Float32Array,
): QueryScores {
  const { corpus, terms } = context;
  const weights = queryTermWeights(terms, textToTerms(query));
  const unitLexical = normalizeByMax(
    bm25Scores(context.unitStats, terms, weights),
  );
  const unitVector = normalizeByMax(cosines(context, queryVector, "unit"));
  const blockLexical = normalizeByMax(
    bm25Scores(context.blockStats, terms, weights),
  );
  const blockVector = normalizeByMax(cosines(context, queryVector, "block"));
  const block = new Float64Array(corpus.blocks.length);
  for (let index = 0; index < block.length; index++) {
    block[index] =
      0.75 * (blockLexical[index] as number) +
      0.25 * (blockVector[index] as number);
  }
  const bridge = bridgeScores(context, argMax(block), weights);
  for (let index = 0; index < block.length; index++) {
    block[index] =
      (block[index] as number) +
      QUERY_WEIGHTS.bridge * (bridge[index] as number);
  }
  normalizeByMax(block);
  const leads = topBlocks(block, QUERY_WEIGHTS.leadBlocks);
  const units = corpus.units;
  const unit = new Float64Array(units.length);
  for (let index = 0; index < units.length; index++) {
    const entry = units[index];
    if (entry === undefined) {
      continue;
    }
    const sameBlock = (other: number): boolean =>
      units[other]?.block === entry.block;
    const previous =
      index > 0 && sameBlock(index - 1)
        ? (unitLexical[index - 1] as number)
        : 0;
    const next =
      index + 1 < units.length && sameBlock(index + 1)
        ? (unitLexical[index + 1] as number)
        : 0;
    unit[index] =
      QUERY_WEIGHTS.unitLexical * (unitLexical[index] as number) +
      QUERY_WEIGHTS.unitVector * (unitVector[index] as number) +
      QUERY_WEIGHTS.block * (block[entry.block] as number) +
      QUERY_WEIGHTS.neighbour * Math.max(previous, next) +
      (entry.positionInBlock === 0 && leads.has(entry.block)
        ? QUERY_WEIGHTS.lead
        : 0);
  }
  const document = new Float64Array(corpus.documents.length);
  corpus.blocks.forEach((entry, index) => {
    document[entry.document] = Math.max(
      document[entry.document] as number,
      block[index] as number,
    );
  });
  return { unit, block, document, matched: weights.size > 0 };
}
