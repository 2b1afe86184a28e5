import { describe, expect, it } from "vitest";

import { assemble, automaticSeparator } from "./assemble.js";
import { compress } from "./compress.js";
import { segmentDocuments } from "./segment/index.js";
import { CHINESE_PARAGRAPHS } from "./test-support/documents.js";
import { findProvenanceProblems } from "./test-support/provenance.js";
import { createRandom } from "./test-support/random.js";

const CHINESE_TEXT = CHINESE_PARAGRAPHS.join("\n\n");

function toUtf8AndBack(text: string): string {
  return new TextDecoder().decode(new TextEncoder().encode(text));
}

function astralText(seed: number): string {
  const random = createRandom(seed);
  const pieces = ["😀", "🎉", "𠀀", "𠀁", "𪚥", "中", "文", "👍🏽", "，"];
  const sentences: string[] = [];
  for (let index = 0; index < 60; index++) {
    let sentence = "";
    const length = 10 + random.int(30);
    for (let at = 0; at < length; at++) {
      sentence += random.pick(pieces);
    }
    sentences.push(`${sentence}。`);
  }
  return sentences.join("");
}

describe("automaticSeparator", () => {
  it("spaces the marker in running text", () => {
    const text = "First sentence. Second sentence. Third sentence.";

    expect(automaticSeparator(text, 15, 33)).toBe(" … ");
  });

  it("puts the marker on its own line", () => {
    const text = "First line.\nSecond line.\nThird line.";

    expect(automaticSeparator(text, 11, 25)).toBe("\n…\n");
  });

  it("keeps a blank line around the marker", () => {
    const text = "First.\n\nSecond.\n\nThird.";

    expect(automaticSeparator(text, 6, 17)).toBe("\n\n…\n\n");
  });

  it("adds no spaces between CJK characters", () => {
    const text = "今天天气很好。我们去公园。然后回家了。";

    expect(automaticSeparator(text, 7, 13)).toBe("…");
  });
});

describe("assemble", () => {
  const text = "One here. Two here. Three here. Four here.";
  const corpus = segmentDocuments([{ id: "doc", text, format: "text" }]);

  it("merges adjacent kept units into one span", () => {
    const assembled = assemble(corpus, Uint8Array.from([1, 1, 0, 0]), {
      separator: undefined,
      documentSeparator: "\n\n",
    });

    expect(assembled.spans.map((span) => span.text)).toEqual([
      "One here. Two here.",
    ]);
  });

  it("marks the gap between kept units", () => {
    const assembled = assemble(corpus, Uint8Array.from([1, 0, 0, 1]), {
      separator: undefined,
      documentSeparator: "\n\n",
    });

    expect(assembled.text).toBe("One here. … Four here.");
  });

  it("writes a literal separator", () => {
    const assembled = assemble(corpus, Uint8Array.from([0, 1, 0, 1]), {
      separator: " [gap] ",
      documentSeparator: "\n\n",
    });

    expect(assembled.text).toBe("Two here. [gap] Four here.");
  });

  it("returns nothing for no kept unit", () => {
    const assembled = assemble(corpus, new Uint8Array(4), {
      separator: undefined,
      documentSeparator: "\n\n",
    });

    expect(assembled.text).toBe("");
    expect(assembled.spans).toEqual([]);
  });
});

describe("compress on CJK text", () => {
  it("writes no replacement characters", async () => {
    for (const ratio of [2, 3, 5]) {
      const result = await compress(CHINESE_TEXT, { ratio });

      expect(result.text.length).toBeGreaterThan(0);
      expect(toUtf8AndBack(result.text)).toBe(result.text);
      expect(result.text).not.toContain("\uFFFD");
    }
  });

  it("adds no spaces", async () => {
    for (const ratio of [2, 3, 5]) {
      for (const query of [undefined, "图书馆几点开门？"]) {
        const result = await compress(
          CHINESE_TEXT,
          query === undefined ? { ratio } : { ratio, query },
        );

        expect(result.text).not.toMatch(/[ \u3000]/u);
      }
    }
  });

  it("keeps spans as source slices", async () => {
    const result = await compress(CHINESE_TEXT, {
      ratio: 3,
      query: "春节的时候人们做什么？",
    });

    expect(
      findProvenanceProblems(result, [{ id: "0", text: CHINESE_TEXT }]),
    ).toEqual([]);
  });

  it("never splits emoji or rare characters", async () => {
    for (const seed of [1, 2, 3]) {
      const text = astralText(seed);
      const result = await compress(text, { ratio: 3 });

      expect(result.text.length).toBeGreaterThan(0);
      expect(toUtf8AndBack(result.text)).toBe(result.text);
      expect(findProvenanceProblems(result, [{ id: "0", text }])).toEqual([]);
    }
  });
});
