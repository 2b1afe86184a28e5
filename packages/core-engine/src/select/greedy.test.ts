import { describe, expect, it } from "vitest";

import { runEngineScript } from "../test-support/child-process.js";
import { segmentText } from "../test-support/segment.js";
import { indexCorpus } from "../text/index-corpus.js";
import { loadTokenizer } from "../tokenizer.js";
import { createMatrix } from "../vectors.js";
import { selectUnits } from "./greedy.js";
import type { GreedySettings } from "./greedy.js";

/**
 * Selects from three sentences with fixed priorities 3, 2 and 1.9 and a
 * budget for the first and one other. Vectors are zero, so only the
 * settings under test discount a gain.
 */
async function selectFromThree(
  text: string,
  settings: GreedySettings,
): Promise<number[]> {
  const { corpus } = segmentText(text, "text");
  const counter = await loadTokenizer("o200k_base");
  const { terms, unitTokens } = indexCorpus(corpus, counter, () => undefined);
  const units = corpus.units.length;
  const selection = selectUnits({
    corpus,
    terms,
    unitTokens,
    unitVectors: createMatrix(units, 4),
    priority: Float64Array.from([3, 2, 1.9]),
    mandatory: new Uint8Array(units),
    excluded: new Uint8Array(units),
    budget:
      (unitTokens[0] as number) +
      Math.max(unitTokens[1] as number, unitTokens[2] as number),
    separatorTokens: 0,
    documentSeparatorTokens: 0,
    settings,
  });
  return [...selection.selected.keys()].filter(
    (unit) => selection.selected[unit] === 1,
  );
}

describe("selectUnits", () => {
  const settings: GreedySettings = {
    coverage: 0,
    novelty: 0,
    redundancy: 0,
    redundancyThreshold: 1,
  };
  // The second sentence repeats the terms of the first; the third is new.
  const text =
    "Harbor cranes load grain ships daily. Grain ships load harbor cranes daily. Customs officers inspect fruit containers.";

  it("keeps the higher priority when novelty is off", async () => {
    expect(await selectFromThree(text, settings)).toEqual([0, 1]);
  });

  it("discounts a unit whose terms are already kept", async () => {
    expect(await selectFromThree(text, { ...settings, novelty: 1 })).toEqual([
      0, 2,
    ]);
  });

  it("selects from a long chat log quickly", async () => {
    // 64,000 short chat lines in one block, most of them repeats of a few
    // replies with fewer than three index terms. The other stages need
    // about a second. Lazy greedy selection that re-evaluates every waiting
    // unit after each keep grows with the square of the unit count
    // (measured: about a minute).
    const run = await runEngineScript(
      `const replies = ["ok.", "Yes.", "No.", "Sure, thanks!", "Got it.",
        "Retrying...", "Done.", "lol", "Agreed.", "Why?"];
      const speakers = ["Ann", "Bob", "Cy"];
      const lines = [];
      for (let index = 0; index < 64000; index++) {
        const reply = replies[(index * 7 + (index >> 3)) % replies.length];
        lines.push(speakers[index % 3] + ": " + reply);
      }
      await engine.compress(lines.join("\\n"), { ratio: 4, megaTokens: false });`,
      { timeoutMs: 15_000 },
    );

    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);
  });
});
