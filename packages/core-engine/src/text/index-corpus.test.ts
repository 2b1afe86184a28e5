import { describe, expect, it } from "vitest";

import { runEngineScript } from "../test-support/child-process.js";
import { createRandom } from "../test-support/random.js";
import { segmentText } from "../test-support/segment.js";
import { loadTokenizer } from "../tokenizer.js";
import { indexCorpus } from "./index-corpus.js";

/** Builds a run of Thai letters without spaces, one tokenizer chunk long. */
function thaiRun(seed: number, length: number): string {
  const random = createRandom(seed);
  const consonants = Array.from("กขคงจฉชซญดตถทนบปผพฟมยรลวสหอฮ");
  const vowels = Array.from("ะาเแโใไ");
  let text = "";
  while (text.length < length) {
    text += random.pick(consonants) + random.pick(vowels);
  }
  return text;
}

describe("indexCorpus", () => {
  it("counts tokens in every window", async () => {
    const text = thaiRun(1, 2000);
    const { corpus } = segmentText(text, "text");
    const counter = await loadTokenizer("o200k_base");
    const { unitTokens } = indexCorpus(corpus, counter, () => undefined);
    const empty = corpus.units.filter((_, unit) => unitTokens[unit] === 0);

    expect(corpus.units.length).toBeGreaterThan(1);
    expect(empty).toEqual([]);
  });

  it("bounds the shared table across requests", async () => {
    // Each request brings 20,000 new ten-letter words. Alone, one request
    // needs well under 100 MiB (measured), so the shared term table must not
    // keep every earlier request's words until the heap runs out.
    const run = await runEngineScript(
      `
      let state = 42;
      const next = () => (state = (state * 48271) % 2147483647) / 2147483647;
      for (let request = 0; request < 12; request++) {
        const words = [];
        for (let index = 0; index < 20000; index++) {
          let word = "";
          for (let letter = 0; letter < 10; letter++) {
            word += String.fromCharCode(97 + Math.floor(next() * 26));
          }
          words.push(index % 15 === 14 ? word + ".\\n\\n" : word);
        }
        await engine.compress(words.join(" "), { ratio: 4, megaTokens: false });
      }
      `,
      { timeoutMs: 60_000, maxOldSpaceMiB: 160 },
    );

    expect(run.stderr).not.toMatch(/heap out of memory/u);
    expect(run.code).toBe(0);
  });
});
