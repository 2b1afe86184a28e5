import { compress } from "@retrieval-free/core-engine";
import type {
  CompressResult,
  Encoder,
  Granularity,
  TokenCounter,
} from "@retrieval-free/core-engine";

import { budgetFor } from "./prepared-item.js";
import type { PreparedItem } from "./prepared-item.js";

/** Share above the requested ratio beyond which an output is under-filled. */
const UNDER_FILL_TOLERANCE = 0.1;

/** Results of the independent checks run on one engine call. */
export interface EngineFindings {
  readonly timeMs: number;
  /** `compressedTokens` exceeds `request.budgetTokens`. */
  readonly budgetViolation: boolean;
  /**
   * A context sentence missing from the output that would still fit, set
   * only when the achieved ratio is more than 10% above the requested one.
   * Sentences come from `Intl.Segmenter`, so this can be a fragment such
   * as "3." that the engine's own units never isolate.
   */
  readonly underFilledBy: string | undefined;
  /** Spans whose text differs from the source slice or whose id is not "0". */
  readonly provenanceFailures: number;
  /** Differences between the engine's counts and budget and ours. */
  readonly countMismatches: readonly string[];
}

/** A successful engine call: the result and the checks run on it. */
export interface EngineRun {
  readonly result: CompressResult;
  readonly findings: EngineFindings;
}

function countProvenanceFailures(
  result: CompressResult,
  context: string,
): number {
  return result.spans.filter(
    (span) =>
      span.documentId !== "0" ||
      span.text !== context.slice(span.start, span.end),
  ).length;
}

function findFittingSentence(
  prepared: PreparedItem,
  result: CompressResult,
  ratio: number,
): string | undefined {
  if (result.ratio <= ratio * (1 + UNDER_FILL_TOLERANCE)) {
    return undefined;
  }
  const { sentences, tokens, separatorTokens } = prepared.sentences;
  const room =
    result.request.budgetTokens - result.compressedTokens - separatorTokens;
  return sentences.find(
    (sentence, index) =>
      (tokens[index] as number) <= room && !result.text.includes(sentence),
  );
}

function findCountMismatches(
  prepared: PreparedItem,
  result: CompressResult,
  ratio: number,
  counter: TokenCounter,
): string[] {
  const mismatches: string[] = [];
  if (result.originalTokens !== prepared.originalTokens) {
    mismatches.push(
      `originalTokens ${result.originalTokens}, counted ${prepared.originalTokens}`,
    );
  }
  const budget = budgetFor(prepared, ratio);
  if (result.request.budgetTokens !== budget) {
    mismatches.push(
      `budgetTokens ${result.request.budgetTokens}, expected ${budget}`,
    );
  }
  const outputTokens = counter.count(result.text);
  if (result.compressedTokens !== outputTokens) {
    mismatches.push(
      `compressedTokens ${result.compressedTokens}, counted ${outputTokens}`,
    );
  }
  return mismatches;
}

/**
 * Compresses an item's context with the engine, mega-tokens off, and checks
 * the result against the budget, the source text and our own counts.
 */
export async function runEngine(
  prepared: PreparedItem,
  ratio: number,
  query: string | undefined,
  counter: TokenCounter,
  encoder?: Encoder | "none" | "hashing",
  granularity: Granularity = "sentence",
): Promise<EngineRun> {
  const started = performance.now();
  const result = await compress(prepared.context, {
    ratio,
    megaTokens: false,
    ...(query === undefined ? {} : { query }),
    ...(encoder === undefined ? {} : { encoder }),
    granularity,
  });
  const timeMs = performance.now() - started;
  return {
    result,
    findings: {
      timeMs,
      budgetViolation: result.compressedTokens > result.request.budgetTokens,
      underFilledBy: findFittingSentence(prepared, result, ratio),
      provenanceFailures: countProvenanceFailures(result, prepared.context),
      countMismatches: findCountMismatches(prepared, result, ratio, counter),
    },
  };
}
