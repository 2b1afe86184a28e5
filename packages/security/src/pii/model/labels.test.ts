import { describe, expect, it } from "vitest";

import { decodeEntities, labelWord, parseLabel } from "./labels.js";
import type { WordLabel } from "./labels.js";

const LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "E-PER", "S-LOC"];
const PARSED = LABELS.map(parseLabel);

/** Returns words labelled by name, each with the given score. */
function words(...entries: [string, number][]): WordLabel[] {
  return entries.map(([label, score]) => ({
    label: LABELS.indexOf(label),
    score,
  }));
}

describe("parseLabel", () => {
  it.each([
    ["O", { prefix: "O", entity: "" }],
    ["B-PER", { prefix: "B", entity: "PER" }],
    ["I-loc", { prefix: "I", entity: "LOC" }],
    ["B_GPE", { prefix: "B", entity: "GPE" }],
    ["E-PERSON", { prefix: "E", entity: "PERSON" }],
    ["S-LOC", { prefix: "S", entity: "LOC" }],
    ["L-PER", { prefix: "E", entity: "PER" }],
    ["U-PER", { prefix: "S", entity: "PER" }],
    ["PER", { prefix: "I", entity: "PER" }],
    ["B-WORK-OF-ART", { prefix: "B", entity: "WORK-OF-ART" }],
  ])("reads %s", (label, expected) => {
    expect(parseLabel(label)).toEqual(expected);
  });
});

describe("decodeEntities", () => {
  it("merges B and I of one type into one span", () => {
    const spans = decodeEntities(
      words(["O", 0.9], ["B-PER", 0.8], ["I-PER", 0.6], ["O", 0.9]),
      PARSED,
    );
    expect(spans).toHaveLength(1);
    expect(spans[0]?.firstWord).toBe(1);
    expect(spans[0]?.lastWord).toBe(2);
    expect(spans[0]?.entity).toBe("PER");
    expect(spans[0]?.score).toBeCloseTo(0.7, 6);
  });

  it("starts a new span at each B", () => {
    const spans = decodeEntities(
      words(["B-PER", 0.9], ["B-PER", 0.9], ["I-PER", 0.9]),
      PARSED,
    );
    expect(spans.map((span) => [span.firstWord, span.lastWord])).toEqual([
      [0, 0],
      [1, 2],
    ]);
  });

  it("starts a span at an I without a B before it", () => {
    const spans = decodeEntities(
      words(["O", 0.9], ["I-PER", 0.7], ["I-PER", 0.9]),
      PARSED,
    );
    expect(spans.map((span) => [span.firstWord, span.lastWord])).toEqual([
      [1, 2],
    ]);
  });

  it("splits where the type changes", () => {
    const spans = decodeEntities(
      words(["B-PER", 0.9], ["I-LOC", 0.9], ["I-LOC", 0.9]),
      PARSED,
    );
    expect(spans.map((span) => span.entity)).toEqual(["PER", "LOC"]);
    expect(spans[1]?.firstWord).toBe(1);
  });

  it("closes spans at E and S tags", () => {
    const spans = decodeEntities(
      words(
        ["B-PER", 0.9],
        ["E-PER", 0.9],
        ["I-PER", 0.9],
        ["S-LOC", 0.9],
        ["S-LOC", 0.9],
      ),
      PARSED,
    );
    expect(spans.map((span) => [span.firstWord, span.lastWord])).toEqual([
      [0, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ]);
  });

  it("returns nothing for words outside entities", () => {
    expect(decodeEntities(words(["O", 0.9], ["O", 0.8]), PARSED)).toEqual([]);
  });
});

describe("labelWord", () => {
  // Three pieces over three labels: O, B-PER, I-PER.
  const probabilities = Float32Array.from([
    0.1, 0.6, 0.3, 0.1, 0.1, 0.8, 0.05, 0.05, 0.9,
  ]);
  const word = { start: 0, end: 7, firstPiece: 0, pieceCount: 3 };

  it("takes the first piece's label under first", () => {
    const label = labelWord(word, probabilities, 3, "first");
    expect(label.label).toBe(1);
    expect(label.score).toBeCloseTo(0.6, 6);
  });

  it("averages the pieces under average", () => {
    const label = labelWord(word, probabilities, 3, "average");
    expect(label.label).toBe(2);
    expect(label.score).toBeCloseTo(2 / 3, 6);
  });

  it("takes the most confident piece under max", () => {
    const label = labelWord(word, probabilities, 3, "max");
    expect(label.label).toBe(2);
    expect(label.score).toBeCloseTo(0.9, 6);
  });

  it("reads the word's own rows", () => {
    const second = { start: 8, end: 9, firstPiece: 2, pieceCount: 1 };
    expect(labelWord(second, probabilities, 3, "average").label).toBe(2);
  });
});
