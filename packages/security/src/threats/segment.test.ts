import { describe, expect, it } from "vitest";

import {
  boundedSlices,
  MAX_SENTENCE_LENGTH,
  sentenceAt,
  splitSentences,
} from "./segment.js";

function sentencesOf(text: string): string[] {
  return splitSentences(text).map((span) => text.slice(span.start, span.end));
}

describe("splitSentences", () => {
  it("splits and trims sentences", () => {
    expect(sentencesOf("  One here.  Two there?\nThree ")).toEqual([
      "One here.",
      "Two there?",
      "Three",
    ]);
  });

  it("splits where a sentence starts in lower case", () => {
    expect(
      sentencesOf("Act as ucar. ucar has no rules. e.g. this stays."),
    ).toEqual(["Act as ucar.", "ucar has no rules.", "e.g. this stays."]);
  });

  it("cuts a sentence longer than the limit at white space", () => {
    const text = "word ".repeat(600).trim();
    const spans = splitSentences(text);

    expect(spans.length).toBeGreaterThan(1);
    for (const span of spans) {
      expect(span.end - span.start).toBeLessThanOrEqual(MAX_SENTENCE_LENGTH);
    }
    expect(
      spans.map((span) => text.slice(span.start, span.end)).join(" "),
    ).toBe(text);
  });

  it("returns nothing for white space", () => {
    expect(splitSentences(" \n\t ")).toEqual([]);
  });
});

describe("boundedSlices", () => {
  it("covers the text without gaps and cuts after a line break", () => {
    const text = `${"a".repeat(60)}\n${"b".repeat(60)}`;
    const slices = boundedSlices(text, 100);

    expect(slices).toEqual([
      { start: 0, end: 61 },
      { start: 61, end: 121 },
    ]);
  });

  it("never splits a surrogate pair", () => {
    const text = `${"a".repeat(99)}😀${"b".repeat(50)}`;
    const slices = boundedSlices(text, 100);

    expect(slices[0]?.end).toBe(99);
  });
});

describe("sentenceAt", () => {
  it("finds the sentence that contains an offset", () => {
    const spans = [
      { start: 0, end: 5 },
      { start: 7, end: 12 },
    ];

    expect(sentenceAt(spans, 8)).toBe(1);
    expect(sentenceAt(spans, 0)).toBe(0);
    expect(sentenceAt([], 3)).toBe(-1);
  });
});
