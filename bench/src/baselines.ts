import type { TokenCounter } from "@retrieval-free/core-engine";

import { scoreBm25 } from "./bm25.js";
import { createMulberry32, shuffledIndices } from "./prng.js";

/** Text written between two kept sentences by the sentence baselines. */
export const SENTENCE_SEPARATOR = " … ";

/** Output of a baseline: the text and its exact token count. */
export interface BaselineOutput {
  readonly text: string;
  readonly tokens: number;
}

/** The sentences of one context with their token counts, computed once. */
export interface SentencePool {
  readonly sentences: readonly string[];
  readonly tokens: Int32Array;
  /** Tokens of {@link SENTENCE_SEPARATOR} alone. */
  readonly separatorTokens: number;
}

/** Counts the tokens of each sentence and of the separator. */
export function createSentencePool(
  sentences: readonly string[],
  counter: TokenCounter,
): SentencePool {
  return {
    sentences,
    tokens: Int32Array.from(sentences, (sentence) => counter.count(sentence)),
    separatorTokens: counter.count(SENTENCE_SEPARATOR),
  };
}

function wordEnds(context: string): number[] {
  const ends: number[] = [];
  for (const match of context.matchAll(/\S(?=\s)/gu)) {
    ends.push(match.index + match[0].length);
  }
  ends.push(context.length);
  return ends;
}

/**
 * Returns the longest prefix of `context` that ends at a word end and has
 * at most `budget` tokens, found by binary search over the word ends.
 */
export function truncateHead(
  context: string,
  budget: number,
  counter: TokenCounter,
): BaselineOutput {
  const ends = wordEnds(context);
  let low = 0;
  let high = ends.length - 1;
  let best: BaselineOutput = { text: "", tokens: 0 };
  // NOTE: BPE counts are monotone in the prefix length up to a token or two
  // at the cut, so the search can miss a slightly longer fitting prefix.
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const text = context.slice(0, ends[middle]);
    const tokens = counter.count(text);
    if (tokens <= budget) {
      best = { text, tokens };
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return best;
}

/**
 * Adds sentences in the given order, skipping any whose estimated tokens
 * (sum of sentence counts plus separators) would exceed the budget, and
 * joins the kept ones in source order. The exact count of the joined text
 * is then checked, and the last added sentence dropped while it exceeds
 * the budget.
 */
export function fitSentences(
  pool: SentencePool,
  order: readonly number[],
  budget: number,
  counter: TokenCounter,
): BaselineOutput {
  const added: number[] = [];
  let estimate = 0;
  for (const index of order) {
    const cost =
      (pool.tokens[index] as number) +
      (added.length > 0 ? pool.separatorTokens : 0);
    if (estimate + cost <= budget) {
      added.push(index);
      estimate += cost;
    }
  }
  for (;;) {
    const text = [...added]
      .sort((left, right) => left - right)
      .map((index) => pool.sentences[index])
      .join(SENTENCE_SEPARATOR);
    const tokens = counter.count(text);
    if (tokens <= budget || added.length === 0) {
      return { text, tokens };
    }
    added.pop();
  }
}

/** Returns the sentence indices in a random order drawn from `seed`. */
export function randomOrder(pool: SentencePool, seed: number): number[] {
  return shuffledIndices(pool.sentences.length, createMulberry32(seed));
}

/**
 * Returns the sentence indices by descending BM25 score against the query.
 * Ties keep source order.
 */
export function bm25Order(pool: SentencePool, query: string): number[] {
  const scores = scoreBm25(pool.sentences, query);
  return Array.from(scores, (_, index) => index).sort(
    (left, right) =>
      (scores[right] as number) - (scores[left] as number) || left - right,
  );
}
