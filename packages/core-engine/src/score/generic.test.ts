import { describe, expect, it } from "vitest";

import { analyzeCorpus } from "../analyze.js";
import { compress } from "../compress.js";
import { HashingEncoder } from "../encoder/hashing-encoder.js";
import { loadTokenizer } from "../tokenizer.js";
import {
  EXPENSE_REPORT_PARAGRAPHS,
  REPORT_INSTRUCTION,
} from "../test-support/documents.js";
import { createRandom } from "../test-support/random.js";
import { segmentText } from "../test-support/segment.js";
import { generateParagraph } from "../test-support/text.js";
import { indexCorpus } from "../text/index-corpus.js";
import { TOPIC_PARAGRAPHS } from "../test-support/topics.js";
import type { CompressResult } from "../types.js";
import { scoreGeneric } from "./generic.js";

const TOPICS_TEXT = TOPIC_PARAGRAPHS.join("\n\n");

/** Counts the tokens of each paragraph that the kept spans cover. */
async function keptTokensPerParagraph(
  result: CompressResult,
): Promise<number[]> {
  const counter = await loadTokenizer("o200k_base");
  let offset = 0;
  return TOPIC_PARAGRAPHS.map((paragraph) => {
    const start = offset;
    const end = start + paragraph.length;
    offset = end + 2;
    let tokens = 0;
    for (const span of result.spans) {
      const from = Math.max(span.start, start);
      const to = Math.min(span.end, end);
      if (to > from) {
        tokens += counter.count(TOPICS_TEXT.slice(from, to));
      }
    }
    return tokens;
  });
}

describe("compress without a query", () => {
  it("uses topic paragraphs of equal length", async () => {
    const counter = await loadTokenizer("o200k_base");
    const sizes = TOPIC_PARAGRAPHS.map((paragraph) => counter.count(paragraph));

    expect(Math.max(...sizes) / Math.min(...sizes)).toBeLessThan(1.2);
  });

  it("keeps part of every paragraph", async () => {
    for (const ratio of [2, 3, 4]) {
      const result = await compress(TOPICS_TEXT, { ratio });
      const keptTokens = await keptTokensPerParagraph(result);

      expect(keptTokens.filter((tokens) => tokens === 0)).toEqual([]);
    }
  });

  it("keeps part of the last paragraph", async () => {
    for (const ratio of [2, 3, 4]) {
      const result = await compress(TOPICS_TEXT, { ratio });
      const keptTokens = await keptTokensPerParagraph(result);

      expect(keptTokens.at(-1)).toBeGreaterThan(0);
    }
  });

  it("spreads the budget evenly", async () => {
    for (const ratio of [2, 3, 4]) {
      const result = await compress(TOPICS_TEXT, { ratio });
      const keptTokens = await keptTokensPerParagraph(result);
      const mean =
        keptTokens.reduce((sum, tokens) => sum + tokens, 0) / keptTokens.length;

      expect(Math.min(...keptTokens)).toBeGreaterThanOrEqual(mean * 0.5);
      expect(Math.max(...keptTokens)).toBeLessThanOrEqual(mean * 2);
    }
  });

  it("keeps a closing instruction", async () => {
    const text = [...EXPENSE_REPORT_PARAGRAPHS, REPORT_INSTRUCTION].join(
      "\n\n",
    );
    for (const ratio of [2, 3]) {
      const result = await compress(text, { ratio });

      expect(result.text).toContain(REPORT_INSTRUCTION);
    }
  });

  it("keeps the instruction of a long report", async () => {
    const random = createRandom(31);
    const filler = Array.from({ length: 12 }, () =>
      generateParagraph(random, 5),
    );
    const text = [
      ...EXPENSE_REPORT_PARAGRAPHS,
      ...filler,
      REPORT_INSTRUCTION,
    ].join("\n\n");
    for (const ratio of [2, 3]) {
      const result = await compress(text, { ratio });

      expect(result.text).toContain(REPORT_INSTRUCTION);
    }
  });

  it("keeps an instruction ending the last paragraph", async () => {
    const paragraphs = [...EXPENSE_REPORT_PARAGRAPHS];
    const last = paragraphs.pop() ?? "";
    const text = [...paragraphs, `${last} ${REPORT_INSTRUCTION}`].join("\n\n");
    for (const ratio of [2, 3]) {
      const result = await compress(text, { ratio });

      expect(result.text).toContain(REPORT_INSTRUCTION);
    }
  });
});

describe("query-agnostic selection", () => {
  const lead = "Harbor cranes load grain ships at the east pier every morning.";
  const repeat =
    "Grain ships at the east pier meet harbor cranes each morning.";
  const fresh =
    "Customs officers inspect refrigerated fruit containers from Chile and Peru on Tuesdays.";
  const closing = "The port authority publishes the schedule each week.";

  it("leaves out a sentence that repeats kept terms", async () => {
    const counter = await loadTokenizer("o200k_base");
    const text = [lead, repeat, fresh, closing].join(" ");
    // Room for the lead, the closing sentence and one of the two others.
    const targetTokens =
      counter.count([lead, fresh].join(" … ")) +
      counter.count(` ${closing}`) +
      2;

    expect(counter.count(repeat)).toBeLessThanOrEqual(counter.count(fresh));

    const result = await compress(text, { targetTokens });

    expect(result.text).toContain(fresh);
    expect(result.text).not.toContain(repeat);
  });

  it("favours the lead of a short paragraph", async () => {
    const random = createRandom(7);
    const lead = "The museum reopens on 12 May with a new wing for maps.";
    const text = [
      `${lead} ${generateParagraph(random, 6)}`,
      lead,
      generateParagraph(random, 3),
    ].join("\n\n");
    const { corpus } = segmentText(text, "text");
    const counter = await loadTokenizer("o200k_base");
    const index = indexCorpus(corpus, counter, () => undefined);
    const context = await analyzeCorpus(
      corpus,
      index,
      new HashingEncoder(),
      undefined,
      () => undefined,
    );
    const scores = scoreGeneric(context);
    const leads = corpus.units
      .map((unit, at) => ({ unit, at }))
      .filter(({ unit }) => text.slice(unit.start, unit.end) === lead)
      .map(({ at }) => scores[at] as number);

    expect(leads).toHaveLength(2);
    expect(leads[1]).toBeGreaterThan(2 * (leads[0] as number));
  });
});
