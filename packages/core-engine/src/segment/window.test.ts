import { describe, expect, it } from "vitest";

import { compress } from "../compress.js";
import { loadTokenizer } from "../tokenizer.js";
import {
  findProvenanceProblems,
  spansCutRange,
} from "../test-support/provenance.js";
import { runEngineScript } from "../test-support/child-process.js";
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

/** Builds Thai-looking text without spaces: consonant and vowel pairs. */
function thaiRun(seed: number, length: number): string {
  const random = createRandom(seed);
  const consonants = Array.from("กขคงจฉชซญดตถทนบปผพฟมยรลวสหอฮ");
  const vowels = Array.from("ะาิีึืุูเแโใไ");
  let text = "";
  while (text.length < length) {
    text += random.pick(consonants) + random.pick(vowels);
  }
  return text;
}

/** Returns English paragraphs that each fit well within a small budget. */
function harbourParagraphs(count: number): string[] {
  return Array.from(
    { length: count },
    (_, index) =>
      `Paragraph ${index} talks about the harbour, the ships and the weather in spring. The captain ordered fresh supplies for the long voyage north.`,
  );
}

/** Offsets inside `text` that are not between two grapheme clusters. */
function graphemeInteriors(text: string): Set<number> {
  const interiors = new Set<number>();
  const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });
  for (const { index, segment } of graphemes.segment(text)) {
    for (let offset = 1; offset < segment.length; offset++) {
      interiors.add(index + offset);
    }
  }
  return interiors;
}

describe("pushWindows on text without spaces", () => {
  it("never cuts a long Latin word", () => {
    const word = "abcdefgh".repeat(125);
    const text = `The key is ${word} and nothing else.`;
    const start = text.indexOf(word);
    const { corpus } = segmentText(text, "text");

    expect(cutsInside(corpus, start, start + word.length)).toEqual([]);
  });

  it("never splits an emoji sequence", () => {
    const text = `${"👨‍👩‍👧‍👦🇺🇸👍🏽❤️".repeat(400)}。`;
    const interiors = graphemeInteriors(text);
    const { units } = segmentText(text, "text");
    const split = units.filter(
      (unit) => interiors.has(unit.start) || interiors.has(unit.end),
    );

    expect(units.length).toBeGreaterThan(1);
    expect(split).toEqual([]);
  });

  it("never cuts a Japanese date", () => {
    const random = createRandom(2);
    const filler = "東京の会議では新しい計画について話し合いが行われ";
    let text = "";
    for (let index = 0; index < 60; index++) {
      const date = `2024年${1 + random.int(12)}月${1 + random.int(28)}日`;
      text += filler.slice(0, 5 + random.int(15)) + date;
    }
    text += "。";
    const { corpus } = segmentText(text, "text");
    const cuts = Array.from(text.matchAll(/2024年\d+月\d+日/gu), (match) =>
      cutsInside(corpus, match.index, match.index + match[0].length),
    ).flat();

    expect(corpus.units.length).toBeGreaterThan(1);
    expect(cuts).toEqual([]);
  });
});

describe("compress on text without spaces", () => {
  it("never splits a long Latin word", async () => {
    const paragraphs = harbourParagraphs(40);
    const word = "x".repeat(1000);
    paragraphs.splice(20, 0, word);
    const text = paragraphs.join("\n\n");
    const start = text.indexOf(word);
    const result = await compress([{ id: "log", text, format: "text" }], {
      ratio: 2,
    });

    expect(spansCutRange(result.spans, "log", start, start + word.length)).toBe(
      false,
    );
  });

  it("keeps text beside a Thai paragraph", async () => {
    const text = [thaiRun(1, 4000), ...harbourParagraphs(40)].join("\n\n");
    const result = await compress([{ id: "th", text, format: "text" }], {
      ratio: 2,
    });

    expect(result.spans.length).toBeGreaterThan(0);
    expect(result.compressedTokens).toBeGreaterThan(
      result.request.budgetTokens / 2,
    );
  });

  it("keeps part of a Thai-only document", async () => {
    const text = thaiRun(2, 2000);
    const result = await compress([{ id: "th", text, format: "text" }], {
      ratio: 2,
    });

    expect(result.spans.length).toBeGreaterThan(0);
  });
});

describe("pushWindows on a long log", () => {
  it("windows a 3.5 MB log quickly", async () => {
    // A log without full stops or blank lines is one sentence of 60,000
    // lines. Linear windowing needs about a second. Rescanning the rest of
    // the sentence for every window grows with the square of its length
    // (measured: most of a minute).
    const run = await runEngineScript(
      `const lines = [];
      for (let index = 0; index < 60000; index++) {
        lines.push(
          "2024-01-" + String(1 + (index % 28)).padStart(2, "0") +
            " INFO worker-" + (index % 17) + " finished job " + index +
            " in " + ((index * 37) % 900) + " ms",
        );
      }
      engine.segmentDocuments([
        { id: "log", text: lines.join("\\n"), format: "text" },
      ]);`,
      { timeoutMs: 15_000 },
    );

    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);
  });
});
