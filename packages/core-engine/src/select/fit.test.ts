import { describe, expect, it } from "vitest";

import { segmentText } from "../test-support/segment.js";
import { indexCorpus } from "../text/index-corpus.js";
import { loadTokenizer } from "../tokenizer.js";
import { createMatrix } from "../vectors.js";
import { fitToBudget } from "./fit.js";
import type { FittedSelection } from "./fit.js";

const SEPARATOR = " … ";
const SENTENCES = [
  "The night shift restocked every aisle of the warehouse before the trucks arrived at dawn.",
  "Two forklifts were sent for repair on Monday.",
  "A new scanner at the loading dock reads pallet labels twice as fast as the old handheld units did.",
];

/**
 * Fits the three sentences, each with its own priority per token, into a
 * budget with room for the first and third but not for all three.
 */
async function fitThree(
  priorities: readonly number[],
): Promise<{ fitted: FittedSelection; budget: number }> {
  const text = SENTENCES.join(" ");
  const { corpus } = segmentText(text, "text");
  const counter = await loadTokenizer("o200k_base");
  const { terms, unitTokens } = indexCorpus(corpus, counter, () => undefined);
  const units = corpus.units.length;
  const budget = counter.count([SENTENCES[0], SENTENCES[2]].join(SEPARATOR));
  const fitted = fitToBudget(
    {
      corpus,
      terms,
      unitTokens,
      unitVectors: createMatrix(units, 4),
      priority: Float64Array.from(priorities),
      mandatory: new Uint8Array(units),
      excluded: new Uint8Array(units),
      separatorTokens: counter.count(SEPARATOR),
      documentSeparatorTokens: 0,
      settings: {
        coverage: 0,
        novelty: 0,
        redundancy: 0,
        redundancyThreshold: 1,
      },
    },
    budget,
    counter,
    { separator: SEPARATOR, documentSeparator: "\n\n" },
  );
  return { fitted, budget };
}

function keptUnits(fitted: FittedSelection): number[] {
  return [...fitted.selected.keys()].filter(
    (unit) => fitted.selected[unit] === 1,
  );
}

describe("fitToBudget", () => {
  it("swaps a kept sentence for a longer one of equal worth", async () => {
    // Greedy order keeps the first two sentences and leaves a quarter of
    // the budget that the third does not fit into.
    const { fitted, budget } = await fitThree([3, 2, 1.5]);

    expect(keptUnits(fitted)).toEqual([0, 2]);
    expect(fitted.shortened.size).toBe(0);
    expect(fitted.tokens).toBe(budget);
  });

  it("keeps a sentence of higher worth and fills the rest with a prefix", async () => {
    const { fitted, budget } = await fitThree([3, 2, 0.5]);

    expect(keptUnits(fitted)).toEqual([0, 1, 2]);
    expect([...fitted.shortened.keys()]).toEqual([2]);
    expect(fitted.tokens).toBeLessThanOrEqual(budget);
  });
});
