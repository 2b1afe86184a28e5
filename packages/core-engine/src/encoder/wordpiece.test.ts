import { readFileSync } from "node:fs";
import { join } from "node:path";

import {
  ROBERTA_SPECIALS,
  tinyTokenizerJson,
} from "@retrieval-free/onnx-graph";
import { describe, expect, it } from "vitest";

import { BUILT_IN_MODEL_FOLDER } from "../node/built-in-model.js";
import { dataDir } from "../test-support/data.js";
import { createTextTokenizer } from "./text-tokenizer.js";
import { CachedWordPiece } from "./wordpiece.js";

/** Text that exercises every normalization rule the fast path copies. */
const HOSTILE = [
  "Café, naïve Ångström — résumé!",
  "Tabs\tand\nnew lines\r\nand\u00a0no-break spaces",
  "Nulls\0and replacement \ufffd characters and \u200bzero\u200dwidth marks",
  "中文句子。日本語のテキスト、한국어 문장.",
  "Emoji 😀👍🏽 and lone \ud800 surrogates \udc00 here",
  "[CLS] spelled out, [UNK] and <s> too",
  "ALL CAPS, MiXeD cAsE, don't, e.g., U.S.A., 3.14, $85.50, KX-4471-B",
  `${"a".repeat(150)} a very long word`,
  "",
  "   ",
];

function expectSameIds(json: object, texts: readonly string[]): void {
  const full = createTextTokenizer(json);
  const fast = CachedWordPiece.wrap(full, json, {});

  expect(fast).toBeInstanceOf(CachedWordPiece);
  for (const text of texts) {
    const expected = full.encode(text, { add_special_tokens: false }).ids;

    expect(fast.encode(text, { add_special_tokens: false }).ids).toEqual(
      expected,
    );
  }
}

describe("CachedWordPiece", () => {
  it("matches the full tokenizer on hostile text", () => {
    expectSameIds(tinyTokenizerJson(), HOSTILE);
    expectSameIds(tinyTokenizerJson(ROBERTA_SPECIALS), HOSTILE);
  });

  it("matches the built-in model's tokenizer on hostile text", () => {
    const json = JSON.parse(
      readFileSync(join(BUILT_IN_MODEL_FOLDER, "tokenizer.json"), "utf8"),
    ) as object;

    expectSameIds(json, HOSTILE);
  });

  it.skipIf(dataDir === undefined)(
    "matches the built-in model's tokenizer on whole books",
    () => {
      const json = JSON.parse(
        readFileSync(join(BUILT_IN_MODEL_FOLDER, "tokenizer.json"), "utf8"),
      ) as object;
      const texts = ["moby_dick_pg2701.txt", "rfc2616.txt"].flatMap((file) =>
        readFileSync(join(dataDir ?? "", "long-texts", file), "utf8")
          .split(/\n\s*\n/u)
          .slice(0, 3000),
      );

      expectSameIds(json, texts);
    },
  );

  it("leaves other tokenizer layouts to the full tokenizer", () => {
    const json = {
      ...tinyTokenizerJson(),
      pre_tokenizer: { type: "Whitespace" },
    };
    const full = createTextTokenizer(json);

    expect(CachedWordPiece.wrap(full, json, {})).toBe(full);
  });

  it("passes encodings with special tokens to the full tokenizer", () => {
    const json = tinyTokenizerJson();
    const full = createTextTokenizer(json);
    const fast = CachedWordPiece.wrap(full, json, {});

    expect(fast.encode("the cat").ids).toEqual(full.encode("the cat").ids);
    expect(fast.encode("the cat").ids[0]).toBe(2);
  });
});
