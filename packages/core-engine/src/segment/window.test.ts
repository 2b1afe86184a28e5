import { describe, expect, it } from "vitest";

import { compress } from "../compress.js";
import { loadTokenizer } from "../tokenizer.js";
import { findProvenanceProblems } from "../test-support/provenance.js";
import { createRandom } from "../test-support/random.js";
import { cutsInside, segmentText } from "../test-support/segment.js";
import { generateRunOnLine } from "../test-support/text.js";
import { MAX_UNIT_TOKENS } from "./limits.js";
import { estimateTokens, isDenseScriptCode } from "./window.js";

/** Builds a French run-on sentence of amounts, URLs and ids without commas. */
function frenchRunOn(seed: number): { text: string; atoms: string[] } {
  const random = createRandom(seed);
  const fillers = ["le", "montant", "du", "poste", "atteint", "selon", "et"];
  const words: string[] = [];
  const atoms: string[] = [];
  for (let index = 0; index < 400; index++) {
    const draw = random.next();
    let word = random.pick(fillers);
    if (draw < 0.15) {
      const thousands = 100 + random.int(900);
      const units = String(random.int(1000)).padStart(3, "0");
      const cents = String(random.int(100)).padStart(2, "0");
      word = `${thousands} ${units},${cents} €`;
    } else if (draw < 0.25) {
      word = `https://exemple.fr/rapports/${random.int(1e6)}/detail?annee=2024&page=${index}`;
    } else if (draw < 0.3) {
      word = "KX-4471-B";
    }
    if (draw < 0.3) {
      atoms.push(word);
    }
    words.push(word);
  }
  return { text: `${words.join(" ")}.`, atoms };
}

/** Builds a line of emoji, CJK extension B characters and CJK characters. */
function astralLine(seed: number, length: number): string {
  const random = createRandom(seed);
  const pieces = ["😀", "🎉", "𠀀", "𠀁", "𪚥", "中", "文", "👍🏽", "👨‍👩‍👧"];
  let text = "";
  for (let index = 0; index < length; index++) {
    text += random.pick(pieces);
  }
  return `${text}。`;
}

function splitsPair(text: string, position: number): boolean {
  const before = text.charCodeAt(position - 1);
  const after = text.charCodeAt(position);
  return (
    before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff
  );
}

describe("estimateTokens", () => {
  it("counts a dense-script character as one token", () => {
    expect(estimateTokens("中文字", 0, 3)).toBe(3);
  });

  it("counts four Latin characters as one token", () => {
    expect(estimateTokens("abcdefgh", 0, 8)).toBe(2);
  });

  it("classifies CJK and high surrogates as dense", () => {
    expect(isDenseScriptCode("中".charCodeAt(0))).toBe(true);
    expect(isDenseScriptCode("😀".charCodeAt(0))).toBe(true);
    expect(isDenseScriptCode("a".charCodeAt(0))).toBe(false);
  });
});

describe("pushWindows", () => {
  it("cuts a 1,500-word line into windows", () => {
    const line = generateRunOnLine(createRandom(3), 1500);
    const { units } = segmentText(line, "text");

    expect(line.split(" ")).toHaveLength(1500);
    expect(units.length).toBeGreaterThan(5);
    expect(units.map((unit) => unit.text).join(" ")).toBe(line);
  });

  it("keeps each window within the unit limit", () => {
    const line = generateRunOnLine(createRandom(4), 1500);
    const { units } = segmentText(line, "text");
    const oversized = units.filter(
      (unit) => estimateTokens(line, unit.start, unit.end) > MAX_UNIT_TOKENS,
    );

    expect(oversized).toEqual([]);
  });

  it("compresses a 1,500-word line within budget", async () => {
    const line = generateRunOnLine(createRandom(5), 1500);
    const counter = await loadTokenizer("o200k_base");
    const result = await compress(line, { ratio: 4 });

    expect(result.spans.length).toBeGreaterThan(0);
    expect(result.compressedTokens).toBe(counter.count(result.text));
    expect(result.compressedTokens).toBeLessThanOrEqual(
      result.request.budgetTokens,
    );
    expect(findProvenanceProblems(result, [{ id: "0", text: line }])).toEqual(
      [],
    );
  });

  it("never cuts French amounts, URLs or ids", () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const { text, atoms } = frenchRunOn(seed);
      const { corpus } = segmentText(text, "text");
      const cuts: number[] = [];
      let from = 0;
      for (const atom of atoms) {
        const start = text.indexOf(atom, from);
        from = start + atom.length;
        cuts.push(...cutsInside(corpus, start, from));
      }

      expect(corpus.units.length).toBeGreaterThan(3);
      expect(cuts).toEqual([]);
    }
  });

  it("never splits a surrogate pair", () => {
    for (const format of ["text", "markdown"] as const) {
      const text = astralLine(9, 3000);
      const { units } = segmentText(text, format);
      const split = units.filter(
        (unit) => splitsPair(text, unit.start) || splitsPair(text, unit.end),
      );

      expect(units.length).toBeGreaterThan(5);
      expect(split).toEqual([]);
    }
  });

  it("never splits a pair between spaced words", () => {
    const random = createRandom(10);
    const words = Array.from({ length: 2000 }, () =>
      random.pick(["😀", "word", "𠀀𠀁", "🎉🎉", "tiny"]),
    );
    const text = words.join(" ");
    const { units } = segmentText(text, "text");
    const split = units.filter(
      (unit) => splitsPair(text, unit.start) || splitsPair(text, unit.end),
    );

    expect(split).toEqual([]);
  });
});
