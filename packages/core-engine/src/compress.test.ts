import { describe, expect, it } from "vitest";

import { compress } from "./compress.js";
import { CoreEngineErrorCode } from "./errors.js";
import { DEPLOYMENT_GUIDE } from "./test-support/documents.js";
import { catchCoreEngineError } from "./test-support/errors.js";
import { findProvenanceProblems } from "./test-support/provenance.js";
import { createRandom } from "./test-support/random.js";
import { generateProse } from "./test-support/text.js";
import { TOPIC_FOLLOW_UPS, TOPIC_PARAGRAPHS } from "./test-support/topics.js";
import { loadTokenizer } from "./tokenizer.js";
import type { CompressInput, CompressStage, InputDocument } from "./types.js";

const PROSE = generateProse(createRandom(1), 12_000);
const TOPIC_DOCUMENTS: InputDocument[] = TOPIC_PARAGRAPHS.map(
  (paragraph, index) => ({
    id: `topic-${index}`,
    text: `${paragraph}\n\n${TOPIC_FOLLOW_UPS[index] ?? ""}`,
  }),
);

function wordCount(text: string): number {
  return text.split(/\s+/u).filter((word) => word.length > 0).length;
}

describe("compress budgets", () => {
  it("never exceeds the budget", async () => {
    const counter = await loadTokenizer("o200k_base");
    for (const text of [PROSE, DEPLOYMENT_GUIDE]) {
      for (const ratio of [1.5, 2, 3, 4, 6, 10]) {
        for (const query of [undefined, "Who inspected the pump station?"]) {
          const result = await compress(
            text,
            query === undefined ? { ratio } : { ratio, query },
          );

          expect(result.compressedTokens).toBe(counter.count(result.text));
          expect(result.compressedTokens).toBeLessThanOrEqual(
            result.request.budgetTokens,
          );
          expect(result.budgetMet).toBe(true);
        }
      }
    }
  });

  it("derives the budget from the ratio", async () => {
    const result = await compress(PROSE, { ratio: 4 });

    expect(result.request.budgetTokens).toBe(
      Math.floor(result.originalTokens / 4),
    );
    expect(result.request.ratio).toBe(4);
    expect(result.request.targetTokens).toBeUndefined();
  });

  it("reaches the ratio within 10%", async () => {
    for (const ratio of [2, 3, 4, 5, 8]) {
      const result = await compress(PROSE, { ratio });

      expect(result.ratio).toBeGreaterThanOrEqual(ratio);
      expect(result.ratio).toBeLessThanOrEqual(ratio * 1.1);
    }
  });

  it("reaches the ratio with a query", async () => {
    for (const ratio of [2, 4, 8]) {
      const result = await compress(PROSE, {
        ratio,
        query: "Why was the harbor crane replaced?",
      });

      expect(result.ratio).toBeLessThanOrEqual(ratio * 1.1);
    }
  });

  it("meets an absolute targetTokens", async () => {
    const counter = await loadTokenizer("o200k_base");
    for (const targetTokens of [40, 200, 1000]) {
      const result = await compress(PROSE, { targetTokens });

      expect(result.request.budgetTokens).toBe(targetTokens);
      expect(counter.count(result.text)).toBeLessThanOrEqual(targetTokens);
      expect(result.compressedTokens).toBeGreaterThanOrEqual(
        targetTokens * 0.9,
      );
    }
  });

  it("keeps everything under a large target", async () => {
    const text = TOPIC_PARAGRAPHS.join("\n\n");
    const result = await compress(text, { targetTokens: 10_000 });

    expect(result.text).toBe(text);
    expect(result.reason).toMatch(/already fits/);
  });

  it("counts with cl100k_base", async () => {
    const cl100k = await loadTokenizer("cl100k_base");
    const result = await compress(PROSE, {
      ratio: 3,
      tokenizer: "cl100k_base",
    });

    expect(result.request.tokenizer).toBe("cl100k_base");
    expect(result.originalTokens).toBe(cl100k.count(PROSE));
    expect(result.compressedTokens).toBe(cl100k.count(result.text));
    expect(result.compressedTokens).toBeLessThanOrEqual(
      result.request.budgetTokens,
    );
  });

  it("counts with a custom function", async () => {
    const result = await compress(PROSE, { ratio: 3, tokenizer: wordCount });

    expect(result.request.tokenizer).toBe("wordCount");
    expect(result.originalTokens).toBe(wordCount(PROSE));
    expect(result.compressedTokens).toBe(wordCount(result.text));
    expect(result.compressedTokens).toBeLessThanOrEqual(
      result.request.budgetTokens,
    );
  });

  it("counts with a custom counter object", async () => {
    const counter = {
      name: "characters",
      count: (text: string) => text.length,
    };
    const result = await compress(PROSE, {
      targetTokens: 2000,
      tokenizer: counter,
    });

    expect(result.request.tokenizer).toBe("characters");
    expect(result.compressedTokens).toBe(result.text.length);
    expect(result.compressedTokens).toBeLessThanOrEqual(2000);
  });

  it("compresses a 60-token input at ratio 2", async () => {
    const counter = await loadTokenizer("o200k_base");
    const text = TOPIC_PARAGRAPHS[0];
    const result = await compress(text, { ratio: 2 });

    expect(counter.count(text)).toBeGreaterThanOrEqual(55);
    expect(counter.count(text)).toBeLessThanOrEqual(70);
    expect(result.spans.length).toBeGreaterThan(0);
    expect(result.compressedTokens).toBeLessThanOrEqual(
      result.request.budgetTokens,
    );
  });

  it("explains an output far below the budget", async () => {
    const result = await compress(TOPIC_PARAGRAPHS[0], { ratio: 2 });

    if (result.compressedTokens < result.request.budgetTokens * 0.9) {
      expect(result.reason).toBeDefined();
    }
    expect(result.compressedTokens).toBeLessThan(result.originalTokens);
  });

  it("stays within budget on a tiny input", async () => {
    const text = "A single short sentence here.";
    const result = await compress(text, { ratio: 2 });

    expect(result.budgetMet).toBe(true);
    expect(text.startsWith(result.text)).toBe(true);
    if (result.text === "") {
      expect(result.reason).toMatch(/No unit fits/);
      expect(result.droppedDocuments).toEqual(["0"]);
    }
  });

  it("keeps a lone sentence that fits exactly", async () => {
    const counter = await loadTokenizer("o200k_base");
    const first = "Hello there.";
    const result = await compress(`${first} A second, longer sentence here.`, {
      targetTokens: counter.count(first),
    });

    expect(result.text).toBe(first);
  });
});

describe("compress empty input", () => {
  const cases: readonly (readonly [string, CompressInput, string[]])[] = [
    ["an empty string", "", ["0"]],
    ["white space only", " \n\t\r\n ", ["0"]],
    ["an empty list", [], []],
    ["one empty document", [{ id: "a", text: "" }], ["a"]],
    [
      "empty and blank documents",
      [
        { id: "a", text: "" },
        { id: "b", text: "   \n\n  " },
      ],
      ["a", "b"],
    ],
  ];

  it.each(cases)(
    "returns an empty result for %s",
    async (_name, input, ids) => {
      const result = await compress(input, { ratio: 4 });

      expect(result.text).toBe("");
      expect(result.spans).toEqual([]);
      expect(result.droppedDocuments).toEqual([]);
      expect(result.compressedTokens).toBe(0);
      expect(result.ratio).toBe(1);
      expect(result.budgetMet).toBe(true);
      expect(result.documents.map((document) => document.id)).toEqual(ids);
      expect(result.documents.every((document) => !document.dropped)).toBe(
        true,
      );
    },
  );

  it("keeps text next to an empty document", async () => {
    const result = await compress(
      [
        { id: "empty", text: "" },
        { id: "full", text: PROSE },
      ],
      { ratio: 4 },
    );

    expect(result.documents.map((document) => document.id)).toEqual([
      "empty",
      "full",
    ]);
    expect(result.documents[0]?.units).toBe(0);
    expect(result.spans.every((span) => span.documentId === "full")).toBe(true);
    expect(result.droppedDocuments).toEqual([]);
  });
});

describe("compress abort", () => {
  it("rejects an aborted signal", async () => {
    const error = await catchCoreEngineError(() =>
      compress(PROSE, { ratio: 2, signal: AbortSignal.abort() }),
    );

    expect(error.code).toBe(CoreEngineErrorCode.ABORTED);
  });

  it.each(["segment", "tokenize", "encode", "score", "select"] as const)(
    "stops when aborted in the %s stage",
    async (stage: CompressStage) => {
      const controller = new AbortController();
      const error = await catchCoreEngineError(() =>
        compress(PROSE, {
          ratio: 2,
          signal: controller.signal,
          onProgress: (event) => {
            if (event.stage === stage) {
              controller.abort(new Error(`stop at ${stage}`));
            }
          },
        }),
      );

      expect(error.code).toBe(CoreEngineErrorCode.ABORTED);
    },
  );

  it("stops when a timer aborts it", async () => {
    const controller = new AbortController();
    const reason = new Error("caller gave up");
    const pending = compress(generateProse(createRandom(8), 400_000), {
      ratio: 4,
      signal: controller.signal,
    });
    setTimeout(() => {
      controller.abort(reason);
    }, 0);
    const error = await catchCoreEngineError(() => pending);

    expect(error.code).toBe(CoreEngineErrorCode.ABORTED);
    expect(error.cause).toBe(reason);
  });
});

describe("compress multiple documents", () => {
  it("lists the documents it dropped", async () => {
    const result = await compress(TOPIC_DOCUMENTS, {
      ratio: 6,
      query: "How will interest on the bonds be paid?",
    });
    const withSpans = new Set(result.spans.map((span) => span.documentId));
    const expected = TOPIC_DOCUMENTS.map((document) => document.id).filter(
      (id) => !withSpans.has(id),
    );

    expect(expected.length).toBeGreaterThan(0);
    expect(result.droppedDocuments).toEqual(expected);
    expect(
      result.documents
        .filter((document) => document.dropped)
        .map((document) => document.id),
    ).toEqual(expected);
  });

  it("aligns document stats with the input", async () => {
    const counter = await loadTokenizer("o200k_base");
    const result = await compress(TOPIC_DOCUMENTS, { ratio: 3 });

    expect(result.documents.map((document) => document.id)).toEqual(
      TOPIC_DOCUMENTS.map((document) => document.id),
    );
    expect(result.documents.map((document) => document.originalTokens)).toEqual(
      TOPIC_DOCUMENTS.map((document) => counter.count(document.text)),
    );
    expect(
      result.documents.reduce((sum, stats) => sum + stats.originalTokens, 0),
    ).toBe(result.originalTokens);
  });

  it("counts kept units per document", async () => {
    const result = await compress(TOPIC_DOCUMENTS, { ratio: 3 });

    for (const stats of result.documents) {
      expect(stats.units).toBe(10);
      expect(stats.keptUnits).toBeLessThanOrEqual(stats.units);
      expect(stats.dropped).toBe(stats.keptUnits === 0);
    }
  });

  it("writes the document separator between documents", async () => {
    const separator = "\n\n=====\n\n";
    const result = await compress(TOPIC_DOCUMENTS, {
      ratio: 3,
      documentSeparator: separator,
    });
    const parts = result.text.split(separator);
    const keptIds = [...new Set(result.spans.map((span) => span.documentId))];

    expect(keptIds.length).toBeGreaterThan(1);
    expect(parts).toHaveLength(keptIds.length);
    keptIds.forEach((id, index) => {
      const spans = result.spans.filter((span) => span.documentId === id);
      for (const span of spans) {
        expect(parts[index]).toContain(span.text);
      }
    });
  });

  it("writes the custom gap marker", async () => {
    const result = await compress(TOPIC_DOCUMENTS, {
      ratio: 3,
      separator: " [...] ",
    });
    const gaps =
      result.spans.length -
      new Set(result.spans.map((span) => span.documentId)).size;

    expect(result.text.split(" [...] ")).toHaveLength(gaps + 1);
    expect(result.text).not.toContain("…");
  });

  it("keeps spans in input order", async () => {
    const result = await compress(TOPIC_DOCUMENTS, { ratio: 2 });

    expect(findProvenanceProblems(result, TOPIC_DOCUMENTS)).toEqual([]);
  });
});

describe("compress results", () => {
  it("leaves out mega-tokens on request", async () => {
    const result = await compress(PROSE, { ratio: 4, megaTokens: false });

    expect(result.megaTokens).toBeUndefined();
  });

  it("reports progress of every stage in order", async () => {
    const stages: CompressStage[] = [];
    const unfinished = new Set<string>();
    await compress(TOPIC_DOCUMENTS, {
      ratio: 3,
      onProgress: (event) => {
        if (stages.at(-1) !== event.stage) {
          stages.push(event.stage);
        }
        if (event.completed < event.total) {
          unfinished.add(event.stage);
        } else {
          unfinished.delete(event.stage);
        }
      },
    });

    expect(stages).toEqual([
      "segment",
      "tokenize",
      "encode",
      "score",
      "select",
      "assemble",
      "mega-tokens",
    ]);
    expect([...unfinished]).toEqual([]);
  });

  it("returns the same output for the same input", async () => {
    const first = await compress(PROSE, { ratio: 3, query: "Who tested it?" });
    const second = await compress(PROSE, { ratio: 3, query: "Who tested it?" });

    expect(second.text).toBe(first.text);
    expect(second.spans).toEqual(first.spans);
  });
});

describe("compress large input", () => {
  it("compresses 100k tokens within budget", async () => {
    const counter = await loadTokenizer("o200k_base");
    const text = generateProse(createRandom(100), 580_000);
    const result = await compress(text, { ratio: 10 });

    expect(result.originalTokens).toBeGreaterThanOrEqual(100_000);
    expect(result.compressedTokens).toBe(counter.count(result.text));
    expect(result.compressedTokens).toBeLessThanOrEqual(
      result.request.budgetTokens,
    );
    expect(result.ratio).toBeLessThanOrEqual(11);
    expect(findProvenanceProblems(result, [{ id: "0", text }])).toEqual([]);
  });
});

describe("compress abort after selection", () => {
  it("stops when aborted in the assemble stage", async () => {
    // The mega-token stage still follows, so the abort must end the run.
    const controller = new AbortController();
    const error = await catchCoreEngineError(() =>
      compress(PROSE, {
        ratio: 2,
        signal: controller.signal,
        onProgress: (event) => {
          if (event.stage === "assemble") {
            controller.abort(new Error("stop at assemble"));
          }
        },
      }),
    );

    expect(error.code).toBe(CoreEngineErrorCode.ABORTED);
  });
});

describe("compress result encoder", () => {
  it("names the built-in hashing encoder", async () => {
    const result = await compress(TOPIC_PARAGRAPHS.join("\n\n"), { ratio: 2 });

    expect(result.encoder).toEqual({
      id: "hashing-v1:dim=256:seed=0",
      name: "hashing",
      version: "1",
      dimension: 256,
    });
  });

  it("names a custom encoder by its id when it gives no name", async () => {
    const encoder = {
      id: "constant-v1",
      dimension: 2,
      encode: (texts: readonly string[]) =>
        Promise.resolve(texts.map(() => Float32Array.from([1, 0]))),
    };
    const result = await compress(TOPIC_PARAGRAPHS.join("\n\n"), {
      ratio: 2,
      encoder,
    });

    expect(result.encoder).toEqual({
      id: "constant-v1",
      name: "constant-v1",
      version: undefined,
      dimension: 2,
    });
  });
});

describe("compress without vectors", () => {
  const text = TOPIC_PARAGRAPHS.join("\n\n");

  it("scores by terms alone and builds no mega-tokens", async () => {
    const result = await compress(text, { ratio: 2, encoder: "none" });

    expect(result.encoder).toEqual({
      id: "none",
      name: "none",
      version: undefined,
      dimension: 0,
    });
    expect(result.megaTokens).toBeUndefined();
    expect(result.budgetMet).toBe(true);
    expect(findProvenanceProblems(result, [{ id: "0", text }])).toEqual([]);
  });

  it("keeps the sentence that answers a query", async () => {
    const answer = TOPIC_PARAGRAPHS[1].split(". ")[0] ?? "";
    const result = await compress(text, {
      ratio: 4,
      encoder: "none",
      query: "When does the bakery start its ovens?",
    });

    expect(answer).not.toBe("");
    expect(result.text).toContain(answer);
  });

  it("rejects another string as the encoder", async () => {
    const error = await catchCoreEngineError(() =>
      compress(text, { ratio: 2, encoder: "lexical" as "none" }),
    );

    expect(error.code).toBe(CoreEngineErrorCode.INVALID_OPTIONS);
    expect(error.message).toContain(
      '"hashing" for the hashing encoder, or "none" for lexical scoring only',
    );
  });

  it("names the hashing encoder with the string hashing", async () => {
    const named = await compress(text, { ratio: 2, encoder: "hashing" });
    const omitted = await compress(text, { ratio: 2 });

    expect(named.encoder.id).toBe("hashing-v1:dim=256:seed=0");
    expect(named.text).toBe(omitted.text);
  });
});

describe("compress keeps no heading without its text", () => {
  const sections = [
    "Outage cause",
    "Outage timeline",
    "Outage impact",
    "Outage follow-up",
    "Outage owners",
    "Outage lessons",
  ];
  const document = [
    "# Outage review",
    ...sections.flatMap((title, index) => [
      `## ${title}`,
      generateProse(createRandom(index + 1), 600),
    ]),
  ].join("\n\n");

  it("leaves out a heading when nothing of its section is kept", async () => {
    for (const ratio of [4, 8, 16]) {
      for (const query of [undefined, "What was the outage cause?"]) {
        const result = await compress([{ id: "review.md", text: document }], {
          ratio,
          ...(query === undefined ? {} : { query }),
        });
        const lines = result.text.split("\n\n");
        lines.forEach((line, index) => {
          if (!line.startsWith("## ")) {
            return;
          }
          // A kept heading is followed by text of its own section, not by
          // the end, the next heading, or only a gap marker and a heading.
          const rest = lines.slice(index + 1).filter((next) => next !== "…");
          expect(rest.length, `${line} at ${ratio}x`).toBeGreaterThan(0);
          expect(rest[0]?.startsWith("#"), `${line} at ${ratio}x`).toBe(false);
        });
      }
    }
  });

  it("keeps headings when they are all a document has", async () => {
    const result = await compress("# A\n\n## B\n\n### C\n\n## D\n\n# E\n", {
      ratio: 1.2,
    });

    expect(result.text).not.toBe("");
    expect(result.budgetMet).toBe(true);
  });
});
