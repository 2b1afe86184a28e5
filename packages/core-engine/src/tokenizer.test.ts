import { describe, expect, it } from "vitest";

import { compress } from "./compress.js";
import { CoreEngineErrorCode } from "./errors.js";
import { runEngineScript } from "./test-support/child-process.js";
import { catchCoreEngineError } from "./test-support/errors.js";
import { createRandom } from "./test-support/random.js";
import { generateProse } from "./test-support/text.js";
import { loadTokenizer, toCheckedTokenCounter } from "./tokenizer.js";

const FAILED = CoreEngineErrorCode.TOKENIZER_FAILED;

describe("loadTokenizer", () => {
  it("shares one counter per name", async () => {
    const first = await loadTokenizer("o200k_base");
    const second = await loadTokenizer("o200k_base");

    expect(second).toBe(first);
  });

  it("counts the empty string as zero", async () => {
    const counter = await loadTokenizer("cl100k_base");

    expect(counter.count("")).toBe(0);
  });

  it("counts special-token text as plain text", async () => {
    const counter = await loadTokenizer("o200k_base");

    expect(counter.count("before <|endoftext|> after")).toBeGreaterThan(3);
  });

  it.each(["o200k_base", "cl100k_base"] as const)(
    "counts %s chunks that sum to the whole",
    async (name) => {
      const counter = await loadTokenizer(name);
      const text = generateProse(createRandom(2), 3000);
      const pattern = new RegExp(counter.splitPattern.source, "gu");
      let total = 0;
      for (const match of text.matchAll(pattern)) {
        total += counter.countChunk(match[0]);
      }

      expect(total).toBe(counter.count(text));
    },
  );
});

describe("toCheckedTokenCounter", () => {
  it("names a counter after its function", () => {
    function words(text: string): number {
      return text.split(" ").length;
    }

    expect(toCheckedTokenCounter(words).name).toBe("words");
    expect(toCheckedTokenCounter({ name: "", count: words }).name).toBe(
      "custom",
    );
  });

  it.each([
    [
      "throws",
      (): number => {
        throw new Error("broken counter");
      },
    ],
    ["returns -1", (): number => -1],
    ["returns 1.5", (): number => 1.5],
    ["returns NaN", (): number => Number.NaN],
    ["returns a string", (): number => "3" as unknown as number],
  ])("fails when the counter %s", async (_name, count) => {
    const counter = toCheckedTokenCounter(count);
    const error = await catchCoreEngineError(() => counter.count("text"));

    expect(error.code).toBe(FAILED);
  });

  it("keeps the thrown error as cause", async () => {
    const cause = new Error("broken counter");
    const counter = toCheckedTokenCounter(() => {
      throw cause;
    });
    const error = await catchCoreEngineError(() => counter.count("text"));

    expect(error.cause).toBe(cause);
  });
});

describe("compress with a failing counter", () => {
  it("fails when the counter throws", async () => {
    const error = await catchCoreEngineError(() =>
      compress("One sentence. Two sentences.", {
        ratio: 2,
        tokenizer: () => {
          throw new Error("broken counter");
        },
      }),
    );

    expect(error.code).toBe(FAILED);
  });

  it("fails when the counter returns -1", async () => {
    const error = await catchCoreEngineError(() =>
      compress("One sentence. Two sentences.", {
        ratio: 2,
        tokenizer: { name: "negative", count: () => -1 },
      }),
    );

    expect(error.code).toBe(FAILED);
    expect(error.message).toContain("negative");
  });
});

describe("compress with one long tokenizer chunk", () => {
  it("counts 200,000 equal letters quickly", async () => {
    // The letters form one pre-tokenization chunk. Linear counting needs
    // well under a second. Byte-pair merging the whole chunk at once grows
    // with its square (measured: about a minute).
    const run = await runEngineScript(
      `await engine.compress("a".repeat(200000), { ratio: 4, megaTokens: false });`,
      { timeoutMs: 15_000 },
    );

    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);
  });
});

describe("compress with very large custom counts", () => {
  it("never wraps a huge count", async () => {
    // 2^31 tokens does not fit in a signed 32-bit integer. Either the exact
    // count or a TOKENIZER_FAILED error is correct.
    const outcome = await compress("One sentence. Another sentence.", {
      ratio: 4,
      tokenizer: (text) => (text.length === 0 ? 0 : 2 ** 31),
      megaTokens: false,
    }).then(
      (result) => result.originalTokens,
      (error: unknown) => (error as { code?: unknown }).code,
    );

    expect(outcome).toBeOneOf([2 ** 31, FAILED]);
  });
});
