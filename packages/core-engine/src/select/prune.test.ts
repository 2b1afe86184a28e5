import { describe, expect, it } from "vitest";

import { compress } from "../compress.js";
import { CoreEngineErrorCode } from "../errors.js";
import { dataDir, readLongText } from "../test-support/data.js";
import { CHINESE_PARAGRAPHS } from "../test-support/documents.js";
import { catchCoreEngineError } from "../test-support/errors.js";
import { findProvenanceProblems } from "../test-support/provenance.js";
import {
  bitsOfWord,
  parseWordInformation,
  wordInformationOf,
} from "../text/word-information.js";
import type { CompressResult } from "../types.js";

/** The text left between spans: joiners and gap markers only. */
const ALLOWED_GAPS = new Set(["", " ", " … ", "…", "\n…\n", "\n\n…\n\n"]);

function gapsBetweenSpans(result: CompressResult): string[] {
  const gaps: string[] = [];
  let cursor = 0;
  for (const span of result.spans) {
    const found = result.text.indexOf(span.text, cursor);
    gaps.push(result.text.slice(cursor, found));
    cursor = found + span.text.length;
  }
  gaps.push(result.text.slice(cursor));
  return gaps;
}

/** Offsets of the source covered by the spans, as a set of positions. */
function covered(result: CompressResult): Set<number> {
  const positions = new Set<number>();
  for (const span of result.spans) {
    for (let at = span.start; at < span.end; at++) {
      positions.add(at);
    }
  }
  return positions;
}

const WORD = /[\p{L}\p{N}]/u;

const REPORT = [
  "The committee met on a rainy morning in the old town hall to discuss the budget.",
  "Members said that the new bridge would not open before the spring of next year.",
  "Dr. Helena Marsh presented the survey of 1,240 households across the district.",
  'The mayor replied "we will never raise the water tax" and then left the room.',
  "Several residents asked whether the bus routes would change after the works.",
  "The engineers explained that the old piers were cracked and had to be replaced.",
  "Funding comes from the Bank of England and a regional grant of 4.5 million pounds.",
  "A long discussion followed about parking, noise and the hours of the building site.",
  "Nobody could say when the temporary footbridge at ticket REQ-20931 would be removed.",
  "The meeting ended late in the evening after a vote that passed by a narrow margin.",
].join(" ");

describe("compress with granularity token", () => {
  describe.skipIf(dataDir === undefined)(
    "on Moby Dick (needs the shared data directory)",
    () => {
      it("meets the budget with spans that are slices of the source", async () => {
        const text = readLongText("moby_dick_pg2701.txt").slice(0, 60_000);
        for (const query of [undefined, "What did Ishmael think of the inn?"]) {
          const result = await compress(text, {
            ratio: 8,
            granularity: "token",
            ...(query === undefined ? {} : { query }),
          });

          expect(result.budgetMet).toBe(true);
          expect(result.request.granularity).toBe("token");
          expect(findProvenanceProblems(result, [{ id: "0", text }])).toEqual(
            [],
          );
          expect(
            gapsBetweenSpans(result).filter((gap) => !ALLOWED_GAPS.has(gap)),
          ).toEqual([]);
        }
      });

      it("keeps more sentences than the sentence granularity at the same budget", async () => {
        const text = readLongText("moby_dick_pg2701.txt").slice(0, 60_000);
        const sentences = await compress(text, { ratio: 8 });
        const words = await compress(text, { ratio: 8, granularity: "token" });

        const keptUnits = (result: CompressResult): number =>
          result.documents.reduce((sum, entry) => sum + entry.keptUnits, 0);
        expect(keptUnits(words)).toBeGreaterThan(keptUnits(sentences));
        expect(words.compressedTokens).toBeLessThanOrEqual(
          words.request.budgetTokens,
        );
      });

      it("never cuts a word or glues two words together", async () => {
        const text = readLongText("moby_dick_pg2701.txt").slice(0, 40_000);
        const result = await compress(text, { ratio: 6, granularity: "token" });

        for (const span of result.spans) {
          // A span that starts or ends with a letter or digit does so at a
          // word boundary of the source.
          if (WORD.test(span.text.charAt(0))) {
            expect(WORD.test(text.charAt(span.start - 1))).toBe(false);
          }
          if (WORD.test(span.text.slice(-1))) {
            expect(WORD.test(text.charAt(span.end))).toBe(false);
          }
        }
        const gaps = gapsBetweenSpans(result);
        result.spans.forEach((span, index) => {
          const next = result.spans[index + 1];
          if (next !== undefined && gaps[index + 1] === "") {
            // Pieces joined with nothing never put two word characters
            // together.
            expect(
              WORD.test(span.text.slice(-1)) && WORD.test(next.text.charAt(0)),
            ).toBe(false);
          }
        });
      });
    },
  );

  it("keeps numbers, ids, negations, names, quotes, preserved matches and query words", async () => {
    const result = await compress(REPORT, {
      ratio: 1.6,
      granularity: "token",
      query: "Which households were surveyed?",
      preserve: [/narrow margin/u],
    });
    const kept = covered(result);
    const mustStay = [
      "1,240",
      "4.5",
      "REQ-20931",
      "not",
      "never",
      "Nobody",
      "Helena Marsh",
      "Bank of England",
      '"we will never raise the water tax"',
      "narrow margin",
      "households",
      "surveyed",
    ];

    expect(result.budgetMet).toBe(true);
    for (const phrase of mustStay) {
      const start = REPORT.indexOf(phrase);
      if (start < 0) {
        continue;
      }
      const sentenceKept = result.spans.some(
        (span) =>
          span.start <= start + phrase.length &&
          span.end >= start &&
          REPORT.slice(span.start, span.end).length > 0,
      );
      if (!sentenceKept) {
        continue;
      }
      for (let at = start; at < start + phrase.length; at++) {
        if (WORD.test(REPORT.charAt(at))) {
          expect(kept.has(at), `${phrase} at ${at}`).toBe(true);
        }
      }
    }
    expect(result.text).toContain("Helena Marsh");
    expect(result.text).toContain("1,240 households");
    expect(result.text).toContain("4.5 million");
    // Words were removed, so kept sentences come in several pieces.
    expect(result.spans.length).toBeGreaterThan(6);
  });

  it("prunes Chinese by whole words and joins the pieces without spaces", async () => {
    const text = CHINESE_PARAGRAPHS.join("\n\n");
    const result = await compress(text, { ratio: 3, granularity: "token" });
    const segmenter = new Intl.Segmenter("zh", { granularity: "word" });
    const boundaries = new Set<number>([0, text.length]);
    for (const segment of segmenter.segment(text)) {
      boundaries.add(segment.index);
      boundaries.add(segment.index + segment.segment.length);
    }

    expect(result.budgetMet).toBe(true);
    expect(findProvenanceProblems(result, [{ id: "0", text }])).toEqual([]);
    for (const span of result.spans) {
      expect(boundaries.has(span.start)).toBe(true);
      expect(boundaries.has(span.end)).toBe(true);
    }
    expect(result.text).not.toMatch(/[\u4e00-\u9fff] [\u4e00-\u9fff]/u);
  });

  it("keeps the space between a Latin word and a CJK word", async () => {
    const text = [
      "The committee met in the spring to plan the trip.",
      "Then we took the bus to 京都 and the old temple was closed for the day.",
      "Everyone agreed that the food in 大阪 was the best part of the journey.",
    ].join(" ");
    const result = await compress(text, {
      ratio: 1.4,
      granularity: "token",
    });

    expect(result.text).not.toMatch(
      /[a-z][\u4e00-\u9fff]|[\u4e00-\u9fff][a-z]/u,
    );
    expect(findProvenanceProblems(result, [{ id: "0", text }])).toEqual([]);
  });

  it("removes the query's function words but keeps its content words", async () => {
    const result = await compress(REPORT, {
      ratio: 1.6,
      granularity: "token",
      query: "What did the engineers say about the piers?",
    });
    const kept = covered(result);
    const the = [...REPORT.matchAll(/\bthe\b/gu)].map((match) => match.index);
    const piers = REPORT.indexOf("piers");

    expect(the.some((start) => !kept.has(start))).toBe(true);
    expect(kept.has(piers)).toBe(true);
  });

  it("falls back to whole sentences when no word may be removed", async () => {
    const text = Array.from(
      { length: 30 },
      (_, index) => `${1000 + index} ${2000 + index} ${3000 + index}.`,
    ).join(" ");
    const words = await compress(text, { ratio: 4, granularity: "token" });
    const sentences = await compress(text, { ratio: 4 });

    expect(words.text).toBe(sentences.text);
    expect(words.budgetMet).toBe(true);
  });

  it("accepts empty input", async () => {
    const result = await compress("", { ratio: 4, granularity: "token" });

    expect(result.text).toBe("");
    expect(result.spans).toEqual([]);
  });

  it("leaves the sentence granularity unchanged", async () => {
    const explicit = await compress(REPORT, {
      ratio: 2,
      granularity: "sentence",
    });
    const omitted = await compress(REPORT, { ratio: 2 });

    expect(explicit.text).toBe(omitted.text);
    expect(omitted.request.granularity).toBe("sentence");
  });

  it("rejects an unknown granularity and malformed word information", async () => {
    const granularity = await catchCoreEngineError(() =>
      compress(REPORT, { ratio: 2, granularity: "word" as "token" }),
    );
    const information = await catchCoreEngineError(() =>
      compress(REPORT, {
        ratio: 2,
        granularity: "token",
        wordInformation: { bits: {}, unknownBits: -1 } as never,
      }),
    );

    expect(granularity.code).toBe(CoreEngineErrorCode.INVALID_OPTIONS);
    expect(granularity.message).toContain(
      'granularity must be "sentence" or "token" (received "word")',
    );
    expect(information.code).toBe(CoreEngineErrorCode.INVALID_OPTIONS);
    expect(information.message).toContain("build it with parseWordInformation");
    for (const bits of [
      new Map([["the", Number.NaN]]),
      new Map([["the", "4"]]),
      new Map([[1, 4]]),
    ]) {
      const error = await catchCoreEngineError(() =>
        compress(REPORT, {
          ratio: 2,
          granularity: "token",
          wordInformation: { bits, unknownBits: 5 } as never,
        }),
      );
      expect(error.code).toBe(CoreEngineErrorCode.INVALID_OPTIONS);
    }
  });
});

describe("word information", () => {
  it("parses the file format and folds words before lookup", () => {
    const information = parseWordInformation(
      "retrieval-free word information v1\ttotal=100\tunknown=7.64\nthe\t1.5\ncafe\t6.25\n",
    );

    expect(bitsOfWord(information, "The")).toBe(1.5);
    expect(bitsOfWord(information, "Café")).toBe(6.25);
    expect(bitsOfWord(information, "zebra")).toBe(7.64);
    expect(bitsOfWord(information, "the-cafe")).toBe(6.25);
    expect(bitsOfWord(information, "—")).toBe(0);
  });

  it("names the source and the line of a malformed file", () => {
    const header = catchError(() =>
      parseWordInformation("word\t1\n", "stats.tsv"),
    );
    const line = catchError(() =>
      parseWordInformation(
        "retrieval-free word information v1\ttotal=5\tunknown=3\nthe\tmany\n",
        "stats.tsv",
      ),
    );

    expect(header).toMatch(/^stats\.tsv is not a word information file/u);
    expect(line).toContain("line 2 must be a word, a tab and a number");
    const head = "retrieval-free word information v1\ttotal=5\tunknown=3";
    const problems = [
      ["retrieval-free word information v1\ttotal=5\tunknown=\n", "first line"],
      [
        "retrieval-free word information v1\ttotal=x\tunknown=3\n",
        "first line",
      ],
      [`${head}\nthe\t\n`, "line 2 must be"],
      [`${head}\nthe\t0x10\n`, "line 2 must be"],
      [`${head}\nThe\t1\n`, 'the word "The" on line 2 is not one folded run'],
      [`${head}\nthe\t1\nthe\t2\n`, 'the word "the" is listed again on line 3'],
      [`${head}\nthe\t1${"0".repeat(400)}\n`, "too large to use"],
      [`${head}\nnew york\t1\n`, "is not one folded run"],
      [`${head}\ndon't\t1\n`, "is not one folded run"],
    ];
    for (const [text, message] of problems) {
      expect(catchError(() => parseWordInformation(text ?? ""))).toContain(
        message,
      );
    }
  });

  it("reads a file with a byte order mark and Windows line ends", () => {
    const information = parseWordInformation(
      "\uFEFFretrieval-free word information v1\ttotal=5\tunknown=3\r\nthe\t1.5\r\n",
    );

    expect(information.bits.get("the")).toBe(1.5);
  });

  it("derives bits from the texts themselves", () => {
    const information = wordInformationOf(["the cat and the dog", "the end"]);

    expect(information.bits.get("the")).toBeCloseTo(Math.log2(7 / 3));
    expect(information.bits.get("cat")).toBeCloseTo(Math.log2(7));
    expect(information.unknownBits).toBeCloseTo(Math.log2(14));
  });
});

function catchError(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error("The call did not throw.");
}
