import type { Corpus } from "../segment/index.js";
import { textToTerms } from "../text/terms.js";
import type { TermIndex } from "../text/terms.js";

const CAPITALIZED_WORD = /(?<![\p{L}\p{N}])\p{Lu}[\p{L}\p{M}\p{N}'’-]*/gu;
const LEADING_NAME =
  /^[\s"“'‘(]*((?:\p{Lu}[\p{L}\p{M}\p{N}.'’&-]*|of|the|de|von|van|and)(?:[ \t]+(?:\p{Lu}[\p{L}\p{M}\p{N}.'’&-]*|of|the|de|von|van|and|\d+)){0,7})/u;

/** Most terms taken from the anchor block to expand a query. */
const MAX_EXPANSION_TERMS = 24;

function blockText(corpus: Corpus, block: number): string {
  const entry = corpus.blocks[block];
  if (entry === undefined) {
    return "";
  }
  const document = corpus.documents[entry.document];
  return document === undefined
    ? ""
    : document.text.slice(entry.start, entry.end);
}

/**
 * Returns the index terms of the capitalized words of a block (names,
 * titles, places), the words through which a multi-hop question reaches
 * its second paragraph.
 */
export function capitalizedTerms(corpus: Corpus, block: number): string[] {
  const text = blockText(corpus, block);
  const words = text.match(CAPITALIZED_WORD) ?? [];
  return textToTerms(words.join(" "));
}

/**
 * Returns the index terms of the name a block opens with, such as
 * "Scott Derrickson" in "Scott Derrickson (born 1966) is…". Encyclopedic
 * paragraphs name their subject first, so this stands in for a title.
 */
export function subjectTerms(corpus: Corpus, block: number): string[] {
  const entry = corpus.blocks[block];
  if (entry === undefined || entry.kind === "code" || entry.kind === "table") {
    return [];
  }
  const text = blockText(corpus, block).slice(0, 200);
  const match = LEADING_NAME.exec(text);
  return match === null ? [] : textToTerms(match[1] ?? "");
}

/** Collects the term ids present in a block. */
export function blockTermSet(
  corpus: Corpus,
  terms: TermIndex,
  block: number,
): Set<number> {
  const entry = corpus.blocks[block];
  const set = new Set<number>();
  if (entry === undefined) {
    return set;
  }
  const start = terms.unitOffsets[entry.firstUnit] as number;
  const end = terms.unitOffsets[entry.endUnit] as number;
  for (let at = start; at < end; at++) {
    set.add(terms.termIds[at] as number);
  }
  return set;
}

/**
 * Builds query-expansion weights from the capitalized terms of an anchor
 * block that the query does not already contain, rarest first.
 */
export function expansionWeights(
  corpus: Corpus,
  terms: TermIndex,
  anchor: number,
  queryTerms: ReadonlyMap<number, number>,
  idf: Float64Array,
  weight: number,
): Map<number, number> {
  const candidates = new Set<number>();
  for (const term of capitalizedTerms(corpus, anchor)) {
    const id = terms.idByTerm.get(term);
    if (id !== undefined && !queryTerms.has(id)) {
      candidates.add(id);
    }
  }
  const ranked = [...candidates].sort((a, b) => (idf[b] ?? 0) - (idf[a] ?? 0));
  return new Map(
    ranked.slice(0, MAX_EXPANSION_TERMS).map((id) => [id, weight]),
  );
}
