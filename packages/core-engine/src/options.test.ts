import { describe, expect, it } from "vitest";

import { compress } from "./compress.js";
import { CoreEngineErrorCode } from "./errors.js";
import { resolveOptions } from "./options.js";
import { catchCoreEngineError } from "./test-support/errors.js";

const INVALID = CoreEngineErrorCode.INVALID_OPTIONS;

const FOUR_INVALID_OPTIONS: Record<string, unknown> = {
  ratio: 0.5,
  tokenizer: "gpt2",
  preserve: [3],
  bogus: 1,
};

describe("resolveOptions", () => {
  it("reports every invalid option at once", async () => {
    const error = await catchCoreEngineError(() =>
      resolveOptions(FOUR_INVALID_OPTIONS),
    );
    const byPath = new Map(error.issues.map((issue) => [issue.path, issue]));

    expect(error.code).toBe(INVALID);
    expect(error.issues).toHaveLength(4);
    expect(byPath.get("ratio")?.message).toContain("0.5");
    expect(byPath.get("tokenizer")?.message).toContain('"gpt2"');
    expect(byPath.get("preserve.0")?.message).toContain("3");
    expect(byPath.get("bogus")?.message).toContain('"bogus"');
  });

  it("keeps each invalid value on its issue", async () => {
    const error = await catchCoreEngineError(() =>
      resolveOptions(FOUR_INVALID_OPTIONS),
    );
    const values = Object.fromEntries(
      error.issues.map((issue) => [issue.path, issue.value]),
    );

    expect(values).toEqual({
      ratio: 0.5,
      tokenizer: "gpt2",
      "preserve.0": 3,
      bogus: 1,
    });
  });

  it("names every issue in the message", async () => {
    const error = await catchCoreEngineError(() =>
      resolveOptions(FOUR_INVALID_OPTIONS),
    );

    expect(error.message).toMatch(/^4 invalid options/);
    for (const issue of error.issues) {
      expect(error.message).toContain(issue.message);
    }
  });

  it("rejects both ratio and targetTokens", async () => {
    const error = await catchCoreEngineError(() =>
      resolveOptions({ ratio: 4, targetTokens: 100 }),
    );

    expect(error.code).toBe(INVALID);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.message).toContain("ratio 4");
    expect(error.issues[0]?.message).toContain("targetTokens 100");
  });

  it("rejects a missing budget", async () => {
    const error = await catchCoreEngineError(() => resolveOptions({}));

    expect(error.code).toBe(INVALID);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.message).toContain("ratio");
  });

  it.each([
    ["ratio 1", { ratio: 1 }],
    ["ratio Infinity", { ratio: Number.POSITIVE_INFINITY }],
    ["ratio NaN", { ratio: Number.NaN }],
    ["ratio as text", { ratio: "4" }],
    ["targetTokens 0", { targetTokens: 0 }],
    ["fractional targetTokens", { targetTokens: 2.5 }],
    ["numeric query", { ratio: 2, query: 5 }],
    ["numeric separator", { ratio: 2, separator: 1 }],
    ["string megaTokens", { ratio: 2, megaTokens: "yes" }],
    ["plain object signal", { ratio: 2, signal: { aborted: false } }],
    [
      "encoder without encode",
      { ratio: 2, encoder: { id: "x", dimension: 4 } },
    ],
    ["string onProgress", { ratio: 2, onProgress: "log" }],
  ])("rejects %s", async (_name, options) => {
    const error = await catchCoreEngineError(() => resolveOptions(options));

    expect(error.code).toBe(INVALID);
    expect(error.issues.length).toBeGreaterThan(0);
  });

  it.each([null, 4, "ratio=4"])("rejects %j as options", async (options) => {
    const error = await catchCoreEngineError(() => resolveOptions(options));

    expect(error.code).toBe(INVALID);
    expect(error.issues).toHaveLength(1);
  });

  it("applies the defaults", () => {
    const resolved = resolveOptions({ ratio: 3 });

    expect(resolved.tokenizer).toBe("o200k_base");
    expect(resolved.preserve).toEqual([]);
    expect(resolved.documentSeparator).toBe("\n\n");
    expect(resolved.separator).toBeUndefined();
    expect(resolved.megaTokens).toBe(true);
  });

  it("treats a blank query as none", () => {
    expect(resolveOptions({ ratio: 3, query: "  \n " }).query).toBeUndefined();
    expect(resolveOptions({ ratio: 3, query: " why? " }).query).toBe("why?");
  });

  it("accepts a custom counter object", () => {
    const counter = { name: "words", count: (text: string) => text.length };

    expect(resolveOptions({ ratio: 3, tokenizer: counter }).tokenizer).toBe(
      counter,
    );
  });
});

describe("compress option checks", () => {
  it("rejects invalid options before any work", async () => {
    const error = await catchCoreEngineError(() =>
      compress("Some text.", FOUR_INVALID_OPTIONS),
    );

    expect(error.code).toBe(INVALID);
    expect(error.issues).toHaveLength(4);
  });
});

describe("resolveOptions on values of the wrong type", () => {
  it("explains an array of options", async () => {
    const error = await catchCoreEngineError(() => resolveOptions([4]));

    expect(error.code).toBe(INVALID);
    expect(error.message).not.toContain("Option undefined is invalid");
  });

  it("shows a bigint ratio as a bigint", async () => {
    const error = await catchCoreEngineError(() =>
      resolveOptions({ ratio: 4n }),
    );

    expect(error.issues[0]?.message).toContain("4n");
  });
});
