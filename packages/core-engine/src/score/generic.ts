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
} as const;

/**
 * Sums the capped idf of the distinct terms of each unit: how much
 * specific content (names, numbers, rare words) it carries.
 */
function informationContent(context: ScoringContext): Float64Array {
  const { terms, unitStats } = context;
  const units = context.corpus.units.length;
  const lastUnit = new Int32Array(terms.vocabulary.length).fill(-1);
  const information = new Float64Array(units);
  for (let unit = 0; unit < units; unit++) {
    const end = terms.unitOffsets[unit + 1] as number;
    let sum = 0;
    for (let at = terms.unitOffsets[unit] as number; at < end; at++) {
      const term = terms.termIds[at] as number;
      if (lastUnit[term] !== unit) {
        lastUnit[term] = unit;
        sum += Math.min(GENERIC_WEIGHTS.maxIdf, unitStats.idf[term] ?? 0);
      }
    }
    information[unit] = sum;
  }
  return information;
}

/**
 * Scores every unit without a query: information per token, centrality
 * (cosine to the document's mean vector) and structure and position
 * priors. Scores are per token, so selection by score favours dense text.
 */
export function scoreGeneric(context: ScoringContext): Float64Array {
  const { corpus, unitTokens, unitVectors, documentVectors } = context;
  const units = corpus.units;
  const information = informationContent(context);
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
    scores[index] = content * (1 + position);
  });
  return scores;
}
