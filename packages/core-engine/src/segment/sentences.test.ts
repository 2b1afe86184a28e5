import { describe, expect, it } from "vitest";

import { runEngineScript } from "../test-support/child-process.js";
import { CHINESE_PARAGRAPHS } from "../test-support/documents.js";
import { unitTexts } from "../test-support/segment.js";
import { isFalseSentenceBreak, trimRange } from "./sentences.js";

describe("isFalseSentenceBreak", () => {
  it("rejects breaks after titles", () => {
    expect(isFalseSentenceBreak("I met Mr.", " Smith")).toBe(true);
    expect(isFalseSentenceBreak("They called Dr.", " Jones")).toBe(true);
  });

  it("rejects breaks after dotted acronyms", () => {
    expect(isFalseSentenceBreak("He moved to the U.S.", " Army")).toBe(true);
    expect(isFalseSentenceBreak("Use a solvent, e.g.", " Acetone")).toBe(true);
  });

  it("rejects breaks after an initial", () => {
    expect(isFalseSentenceBreak("written by J.", " Tolkien")).toBe(true);
  });

  it("rejects breaks before a lowercase word", () => {
    expect(isFalseSentenceBreak("It weighs 5 kg.", " more or less")).toBe(true);
  });

  it("accepts a break after an ordinary word", () => {
    expect(isFalseSentenceBreak("The ship sailed.", " Then")).toBe(false);
  });

  it("accepts a break after an id ending in a capital", () => {
    expect(isFalseSentenceBreak("The plate was KX-4471-B.", " Then")).toBe(
      false,
    );
  });

  it("accepts a break after a number", () => {
    expect(isFalseSentenceBreak("The value rose to 3.", " Then")).toBe(false);
  });
});

describe("trimRange", () => {
  it("trims spaces, line breaks and a BOM", () => {
    const text = "\uFEFF \r\n text \u3000\n";

    expect(trimRange(text, 0, text.length)).toEqual({ start: 5, end: 9 });
  });

  it("returns undefined for white space only", () => {
    expect(trimRange(" \t\n ", 0, 4)).toBeUndefined();
  });
});

describe("splitSentences", () => {
  const cases: readonly (readonly [string, readonly string[]])[] = [
    [
      "Mr. Smith met Dr. Jones in the U.S. capital. They left.",
      ["Mr. Smith met Dr. Jones in the U.S. capital.", "They left."],
    ],
    [
      "They talked e.g. about books by J. R. R. Tolkien. Then they left.",
      ["They talked e.g. about books by J. R. R. Tolkien.", "Then they left."],
    ],
    [
      "Mrs. Brown saw Fig. 3 on p. 12 of Vol. 2 in St. Louis. She left.",
      ["Mrs. Brown saw Fig. 3 on p. 12 of Vol. 2 in St. Louis.", "She left."],
    ],
    [
      "I met John F. Kennedy there. He was tall.",
      ["I met John F. Kennedy there.", "He was tall."],
    ],
    [
      "Use a solvent, e.g. Acetone, to clean it. Or use water.",
      ["Use a solvent, e.g. Acetone, to clean it.", "Or use water."],
    ],
    [
      "Is it late? Yes! We should go.",
      ["Is it late?", "Yes!", "We should go."],
    ],
  ];

  it.each(cases)("splits %j at true sentence ends", (text, expected) => {
    expect(unitTexts(text, "text")).toEqual(expected);
  });

  it("ends Chinese sentences only at 。", () => {
    const paragraph = CHINESE_PARAGRAPHS[0];
    const units = unitTexts(paragraph, "text");

    expect(units).toHaveLength(paragraph.split("。").length - 1);
    expect(units.every((unit) => unit.endsWith("。"))).toBe(true);
    expect(units.join("")).toBe(paragraph);
  });

  it("splits Chinese paragraphs in Markdown", () => {
    const text = CHINESE_PARAGRAPHS.join("\n\n");
    const units = unitTexts(text, "markdown");
    const expected = CHINESE_PARAGRAPHS.flatMap((paragraph) =>
      paragraph
        .split("。")
        .filter((part) => part.length > 0)
        .map((part) => `${part}。`),
    );

    expect(units).toEqual(expected);
  });
});

describe("splitSentences on German dates", () => {
  it("keeps an ordinal date whole", () => {
    const text =
      "Die Lieferung kam am 5. März 2024 im Lager an. Danach wurde sie geprüft.";

    expect(unitTexts(text, "text")).toEqual([
      "Die Lieferung kam am 5. März 2024 im Lager an.",
      "Danach wurde sie geprüft.",
    ]);
  });

  it("keeps a contract start date whole", () => {
    const text =
      "Der Vertrag gilt ab dem 1. Januar 2025 für alle Kunden. Er endet 2030.";

    expect(unitTexts(text, "text")).toEqual([
      "Der Vertrag gilt ab dem 1. Januar 2025 für alle Kunden.",
      "Er endet 2030.",
    ]);
  });
});

describe("splitSentences on one long paragraph", () => {
  it("segments a 1 MB paragraph quickly", async () => {
    // 64,000 sentences in one block, without blank lines. Linear
    // segmentation needs well under a second. One Intl.Segmenter pass over
    // the whole block grows with its square (measured: over a minute).
    const run = await runEngineScript(
      `engine.segmentDocuments([
        { id: "p", text: "The fox ran home. ".repeat(64000), format: "text" },
      ]);`,
      { timeoutMs: 15_000 },
    );

    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);
  });
});
