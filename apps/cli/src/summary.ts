import type { CompressResult } from "@retrieval-free/core-engine";

import { formatCount } from "./numbers.js";

function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}x` : "nothing kept";
}

/**
 * Builds the summary line of a compression, such as
 * `310,790 → 38,838 tokens (8.00x, budget 38,848) in 0.69 s`.
 * The time is the engine's, without reading the input.
 */
export function formatSummary(result: CompressResult): string {
  const before = formatCount(result.originalTokens);
  const after = formatCount(result.compressedTokens);
  const budget = formatCount(result.request.budgetTokens);
  const seconds = (result.timings.totalMs / 1000).toFixed(2);
  return `${before} → ${after} tokens (${formatRatio(result.ratio)}, budget ${budget}) in ${seconds} s`;
}

/** Builds the line that lists the documents of which nothing was kept. */
export function formatDropped(result: CompressResult): string | undefined {
  const dropped = result.droppedDocuments;
  if (dropped.length === 0) {
    return undefined;
  }
  const noun = dropped.length === 1 ? "document" : "documents";
  return `nothing was kept of ${dropped.length} ${noun}: ${dropped.join(", ")}`;
}

/** Names the engine's budget options by their flags. */
function reasonInFlagTerms(reason: string): string {
  return reason.replace(
    "a higher targetTokens or a lower ratio",
    "a higher --target-tokens or a lower --ratio",
  );
}

/**
 * Returns the lines written to standard error after a compression. With
 * `quiet`, only the reason for an output over budget remains, because it
 * explains exit status 4.
 */
export function summaryLines(result: CompressResult, quiet: boolean): string[] {
  if (quiet) {
    return result.budgetMet || result.reason === undefined
      ? []
      : [reasonInFlagTerms(result.reason)];
  }
  const lines = [formatSummary(result)];
  if (result.reason !== undefined) {
    lines.push(reasonInFlagTerms(result.reason));
  }
  const dropped = formatDropped(result);
  if (dropped !== undefined) {
    lines.push(dropped);
  }
  return lines;
}
