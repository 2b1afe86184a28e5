import { describe, expect, it } from "vitest";

import { runEngineScript } from "../test-support/child-process.js";

describe("selectUnits", () => {
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
