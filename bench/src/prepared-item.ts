import type { TokenCounter } from "@retrieval-free/core-engine";

import { createSentencePool } from "./baselines.js";
import type { SentencePool } from "./baselines.js";
import { isYesNoQuestion, normalizeAnswer } from "./normalize.js";
import { contextOf } from "./qa-items.js";
import type { QaItem } from "./qa-items.js";
import { splitSentences } from "./sentences.js";

/** An item with everything every method and metric reuses, computed once. */
export interface PreparedItem {
  readonly item: QaItem;
  /** The paragraphs joined by a blank line. */
  readonly context: string;
  /** o200k_base tokens of `context`. */
  readonly originalTokens: number;
  readonly sentences: SentencePool;
  /**
   * Gold answers scored for answer retention; undefined for yes/no
   * questions and items without answers, which are not scored.
   */
  readonly scoredAnswers: readonly string[] | undefined;
  /** Supporting-fact sentences, normalised; empty when the set has none. */
  readonly normalizedEvidence: readonly string[];
}

/** Prepares an item: context, token count, sentences and normalised gold data. */
export function prepareItem(item: QaItem, counter: TokenCounter): PreparedItem {
  const context = contextOf(item);
  const scored = item.answers.length > 0 && !isYesNoQuestion(item.answers);
  return {
    item,
    context,
    originalTokens: counter.count(context),
    sentences: createSentencePool(splitSentences(item.paragraphs), counter),
    scoredAnswers: scored ? item.answers : undefined,
    normalizedEvidence: item.evidenceSentences
      .map(normalizeAnswer)
      .filter((sentence) => sentence !== ""),
  };
}

/** Returns the token budget of a ratio: floor(original tokens / ratio). */
export function budgetFor(prepared: PreparedItem, ratio: number): number {
  return Math.floor(prepared.originalTokens / ratio);
}
