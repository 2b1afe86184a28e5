import { describe, expect, it } from "vitest";

import { compress } from "../compress.js";
import {
  CHECKPOINT_SENTENCES,
  CHECKPOINT_VALUES,
} from "../test-support/documents.js";
import { spansCutRange } from "../test-support/provenance.js";
import { createRandom } from "../test-support/random.js";
import { generateParagraph } from "../test-support/text.js";
import type { CompressResult } from "../types.js";
import {
  findPattern,
  findProtectedClass,
  findUncuttableRanges,
  mergeRanges,
} from "./protected.js";
import type { ProtectedClass } from "./protected.js";

const SAMPLE = [
  "Vehicle KX-4471-B was stopped on 2024-03-09 at 07:42.",
  "The driver paid $85.50 and presented permit T-00981-Z.",
  "Mail ops@example.com or see https://example.com/x today.",
  'He said "stop now" twice and paid 12 345,67 € for `make all`.',
  "Meeting on March 3, 2024 and on 09/03/2024.",
].join(" ");

function found(name: ProtectedClass, text = SAMPLE): string[] {
  return findProtectedClass(text, name).map((range) =>
    text.slice(range.start, range.end),
  );
}

/** Builds the checkpoint log as one paragraph after a generated introduction. */
function checkpointDocument(): { text: string; sentences: string[] } {
  const intro = generateParagraph(createRandom(12), 6);
  const sentences = [...CHECKPOINT_SENTENCES];
  return { text: `${intro}\n\n${sentences.join(" ")}`, sentences };
}

function occurrences(text: string, value: string): number[] {
  const starts: number[] = [];
  for (
    let at = text.indexOf(value);
    at >= 0;
    at = text.indexOf(value, at + 1)
  ) {
    starts.push(at);
  }
  return starts;
}

/**
 * Lists the values that a result keeps only in part: cut by a span, or
 * dropped while part of their sentence is kept.
 */
function partlyKeptValues(
  result: CompressResult,
  text: string,
  sentences: readonly string[],
): string[] {
  const problems: string[] = [];
  for (const value of CHECKPOINT_VALUES) {
    for (const start of occurrences(text, value)) {
      const end = start + value.length;
      if (spansCutRange(result.spans, "0", start, end)) {
        problems.push(`${value} is cut`);
      }
      const keptWhole = result.spans.some(
        (span) => span.start <= start && span.end >= end,
      );
      const sentence = sentences.find((entry) => entry.includes(value)) ?? "";
      const sentenceStart = text.indexOf(sentence);
      const sentenceEnd = sentenceStart + sentence.length;
      if (
        !keptWhole &&
        result.spans.some(
          (span) => span.start < sentenceEnd && span.end > sentenceStart,
        )
      ) {
        problems.push(`${value} is dropped from a kept part of its sentence`);
      }
    }
  }
  return problems;
}

describe("findProtectedClass", () => {
  it("finds plates and permit ids", () => {
    expect(found("ids")).toEqual(["KX-4471-B", "T-00981-Z"]);
  });

  it("finds amounts with their currency", () => {
    expect(found("numbers")).toContain("$85.50");
    expect(found("numbers")).toContain("12 345,67 €");
  });

  it("finds ISO, numeric and written dates", () => {
    expect(found("dates")).toEqual([
      "2024-03-09",
      "March 3, 2024",
      "09/03/2024",
    ]);
  });

  it("finds a date right after an id", () => {
    const text = "Vehicle KX-4471-B was stopped on 2024-03-09.";

    expect(found("dates", text)).toEqual(["2024-03-09"]);
  });

  it("finds URLs, e-mails, quotes and code", () => {
    expect(found("urls")).toEqual(["https://example.com/x"]);
    expect(found("emails")).toEqual(["ops@example.com"]);
    expect(found("quoted")).toEqual(['"stop now"']);
    expect(found("code")).toEqual(["`make all`"]);
  });

  it("finds speaker labels at line starts", () => {
    const text = "Chair: We begin.\nDr. Smith: I object.\nNo label here.";

    expect(found("speakers", text)).toEqual(["Chair:", "Dr. Smith:"]);
  });
});

describe("findPattern", () => {
  it("finds every match of a non-global pattern", () => {
    const ranges = findPattern("a1 b22 c333", /\d+/);

    expect(ranges).toEqual([
      { start: 1, end: 2 },
      { start: 4, end: 6 },
      { start: 8, end: 11 },
    ]);
  });

  it("skips empty matches", () => {
    expect(findPattern("abc", /x*/)).toEqual([]);
  });
});

describe("findUncuttableRanges", () => {
  it("covers each protected value", () => {
    const ranges = findUncuttableRanges(SAMPLE);
    for (const value of ["KX-4471-B", "$85.50", "ops@example.com"]) {
      const start = SAMPLE.indexOf(value);
      const end = start + value.length;

      expect(
        ranges.some((range) => range.start <= start && range.end >= end),
      ).toBe(true);
    }
  });

  it("merges overlapping ranges", () => {
    expect(
      mergeRanges([
        { start: 5, end: 9 },
        { start: 0, end: 3 },
        { start: 3, end: 6 },
        { start: 20, end: 22 },
      ]),
    ).toEqual([
      { start: 0, end: 9 },
      { start: 20, end: 22 },
    ]);
  });
});

describe("compress on ids, dates and amounts", () => {
  it("keeps values whole or drops their sentence", async () => {
    const { text, sentences } = checkpointDocument();
    const queries = [
      undefined,
      "What toll did the driver pay?",
      "Which plate was waved through?",
    ];
    const problems: string[] = [];
    for (const ratio of [1.5, 2, 3, 4, 6]) {
      for (const query of queries) {
        const result = await compress(
          text,
          query === undefined ? { ratio } : { ratio, query },
        );
        const label = `ratio ${ratio}, query ${JSON.stringify(query)}`;
        for (const problem of partlyKeptValues(result, text, sentences)) {
          problems.push(`${label}: ${problem}`);
        }
      }
    }

    expect(problems).toEqual([]);
  });

  it("keeps the values byte-exact", async () => {
    const { text } = checkpointDocument();
    const result = await compress(text, {
      ratio: 2,
      query: "What toll did the driver pay and which permit was shown?",
    });

    expect(result.text).toContain("$85.50");
    expect(result.text).toContain("T-00981-Z");
    expect(result.text).toContain("2024-12-31");
  });
});
