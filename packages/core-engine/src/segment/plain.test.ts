import { describe, expect, it } from "vitest";

import { CHINESE_PARAGRAPHS } from "../test-support/documents.js";
import { dataDir, readLongText } from "../test-support/data.js";
import { createRandom } from "../test-support/random.js";
import { segmentText, unitTexts } from "../test-support/segment.js";
import { generateParagraph, wrapText } from "../test-support/text.js";
import { segmentDocuments } from "./index.js";
import { plainHeadingLevel } from "./plain.js";

function wrappedProse(
  seed: number,
  newline: string,
): {
  text: string;
  sentences: number;
} {
  const random = createRandom(seed);
  const paragraphs = [5, 7, 4, 6].map((count) =>
    generateParagraph(random, count),
  );
  const text = wrapText(paragraphs.join("\n\n"), 72, newline);
  return { text, sentences: 5 + 7 + 4 + 6 };
}

describe("plainHeadingLevel", () => {
  it("ranks book titles above chapters", () => {
    expect(plainHeadingLevel("BOOK ONE: 1805")).toBe(1);
    expect(plainHeadingLevel("CHAPTER XII")).toBe(2);
  });

  it("derives depth from section numbers", () => {
    expect(plainHeadingLevel("3 Protocol Parameters")).toBe(2);
    expect(plainHeadingLevel("3.2 Caching in HTTP")).toBe(3);
  });

  it("rejects ordinary sentences", () => {
    expect(plainHeadingLevel("The ship sailed at dawn.")).toBe(0);
    expect(plainHeadingLevel("3. Then the ship sailed at dawn.")).toBe(0);
  });
});

describe("segmentPlainText", () => {
  it("joins sentences across wrapped lines", () => {
    const { text, sentences } = wrappedProse(7, "\n");
    const units = unitTexts(text, "text");

    expect(text.split("\n").length).toBeGreaterThan(sentences);
    expect(units).toHaveLength(sentences);
    expect(units.every((unit) => unit.endsWith("."))).toBe(true);
  });

  it("treats CRLF like LF", () => {
    const lf = wrappedProse(11, "\n");
    const crlf = wrappedProse(11, "\r\n");
    const lfUnits = unitTexts(lf.text, "text");
    const crlfUnits = unitTexts(crlf.text, "text");

    expect(crlfUnits).toHaveLength(lfUnits.length);
    expect(crlfUnits.map((unit) => unit.replaceAll("\r\n", "\n"))).toEqual(
      lfUnits,
    );
  });

  it("separates blocks at CRLF blank lines", () => {
    const text = "First block here.\r\n\r\nSecond block here.\r\n";
    const { corpus } = segmentText(text, "text");

    expect(corpus.blocks).toHaveLength(2);
  });

  it("skips a byte-order mark", () => {
    const text = "\uFEFFHello world. Second sentence.";
    const { units } = segmentText(text, "text");

    expect(units.map((unit) => unit.text)).toEqual([
      "Hello world.",
      "Second sentence.",
    ]);
    expect(units[0]?.start).toBe(1);
  });

  it("starts a sentence at a numbered line", () => {
    const text = "Steps:\n1. Open the valve slowly. Wait.\n2. Close the valve.";

    expect(unitTexts(text, "text")).toEqual([
      "Steps:",
      "1. Open the valve slowly.",
      "Wait.",
      "2. Close the valve.",
    ]);
  });

  it("starts a sentence at a speaker label", () => {
    const text =
      "The meeting opened late.\nChair: We begin with the budget.\nSmith: I object.";

    expect(unitTexts(text, "text")).toEqual([
      "The meeting opened late.",
      "Chair: We begin with the budget.",
      "Smith: I object.",
    ]);
  });

  it("joins a wrapped line that merely contains a colon", () => {
    const text = [
      "At the far end of the hall stood the",
      "English ambassador and his wife: both of them smiled at",
      "the guests as they arrived.",
    ].join("\n");

    expect(unitTexts(text, "text")).toEqual([text]);
  });

  it("splits a one-line Chinese paragraph into sentences", () => {
    const text = "今天天气很好。我们去公园散步吧。然后我们一起回家了。";

    expect(unitTexts(text, "text")).toEqual([
      "今天天气很好。",
      "我们去公园散步吧。",
      "然后我们一起回家了。",
    ]);
  });

  it("does not read Chinese prose as headings", () => {
    const text = CHINESE_PARAGRAPHS.map((paragraph) =>
      paragraph.slice(0, paragraph.indexOf("。", 40) + 1),
    ).join("\n\n");
    const { units } = segmentText(text, "text");

    expect(units.filter((unit) => unit.kind === "heading")).toEqual([]);
  });
});

describe.skipIf(dataDir === undefined)(
  "segmentPlainText on the long texts (needs the shared data directory)",
  () => {
    it("finds about 34k sentences in War and Peace", () => {
      const text = readLongText("war_and_peace_pg2600.txt");
      const corpus = segmentDocuments([{ id: "wp", text, format: "text" }]);
      const sentences = corpus.units.filter(
        (unit) => unit.kind === "sentence",
      ).length;
      const lines = text.split("\n").length;

      expect(lines).toBeGreaterThan(60_000);
      expect(sentences).toBeGreaterThan(25_000);
      expect(sentences).toBeLessThan(45_000);
    });

    it("recognises the chapters of Moby Dick", () => {
      const text = readLongText("moby_dick_pg2701.txt");
      const corpus = segmentDocuments([{ id: "md", text, format: "text" }]);
      const headings = corpus.units
        .filter((unit) => unit.kind === "heading")
        .map((unit) => text.slice(unit.start, unit.end));

      expect(headings).toContain("CHAPTER 1. Loomings.");
      expect(headings).toContain("CHAPTER 135. The Chase.—Third Day.");
    });
  },
);
