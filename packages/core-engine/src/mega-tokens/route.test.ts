import { beforeAll, describe, expect, it } from "vitest";

import { HashingEncoder } from "../encoder/hashing-encoder.js";
import { CoreEngineErrorCode } from "../errors.js";
import { catchCoreEngineError } from "../test-support/errors.js";
import {
  buildSampleSet,
  buildSingleDocumentSet,
  TOPICS_DOCUMENT,
  TOPICS_MARKDOWN,
} from "../test-support/mega-tokens.js";
import { expand, route } from "./route.js";
import type { RouteOptions } from "./route.js";
import { MEGA_TOKEN_LEVELS } from "./types.js";
import type { MegaToken, MegaTokenSet } from "./types.js";

const QUESTIONS: readonly (readonly [string, string])[] = [
  [
    "When does racing start at the sailing club?",
    "Racing starts every Saturday",
  ],
  ["Where does the bakery owner buy flour?", "buys flour from a mill"],
  ["How will interest on the bonds be paid?", "Interest on the bonds"],
  ["What do the school children grow?", "grow pumpkins"],
  ["How are slugs kept away from the lettuce?", "copper tape"],
  ["What must new sailing members pass?", "swimming test"],
];

let set: MegaTokenSet;
let topics: MegaTokenSet;

beforeAll(async () => {
  set = await buildSampleSet();
  topics = await buildSingleDocumentSet({
    id: "topics",
    text: TOPICS_MARKDOWN,
    format: "markdown",
  });
});

function covers(token: MegaToken, documentId: string, offset: number): boolean {
  return (
    token.documentId === documentId &&
    token.spans.some((span) => span.start <= offset && offset < span.end)
  );
}

function levelSums(weights: Float32Array): number[] {
  return MEGA_TOKEN_LEVELS.map((level) =>
    set.tokens
      .filter((token) => token.level === level)
      .reduce((sum, token) => sum + (weights[token.index] ?? 0), 0),
  );
}

describe("route", () => {
  it("weighs every level to a sum of 1", async () => {
    for (const [question] of QUESTIONS) {
      const { weights } = await route(set, question);

      expect(weights).toHaveLength(set.tokens.length);
      for (const sum of levelSums(weights)) {
        expect(sum).toBeCloseTo(1, 4);
      }
    }
  });

  it("returns the top k of the level", async () => {
    for (const level of MEGA_TOKEN_LEVELS) {
      const { top } = await route(set, "bread and flour", { level, k: 2 });

      expect(top).toHaveLength(2);
      expect(top.every((entry) => entry.token.level === level)).toBe(true);
    }
  });

  it("sorts the top tokens by weight", async () => {
    const { top, weights } = await route(set, "harbor and tide", {
      level: "unit",
      k: 10,
    });
    const listed = top.map((entry) => entry.weight);

    expect(listed).toEqual([...listed].sort((a, b) => b - a));
    expect(top.map((entry) => weights[entry.token.index])).toEqual(listed);
  });

  it("caps k at the tokens of the level", async () => {
    const documents = set.tokens.filter((token) => token.level === "document");
    const { top } = await route(set, "anything", { level: "document", k: 50 });

    expect(top).toHaveLength(documents.length);
  });

  it("cuts the topic document into segments", () => {
    const segments = topics.tokens.filter((token) => token.level === "segment");

    expect(segments.length).toBeGreaterThanOrEqual(5);
  });

  it("routes a question to its segment", async () => {
    const misrouted: string[] = [];
    for (const [question, answer] of QUESTIONS) {
      const offset = TOPICS_MARKDOWN.indexOf(answer);
      const { top } = await route(topics, question, { level: "segment", k: 1 });
      const [best] = top;
      if (best === undefined || !covers(best.token, "topics", offset)) {
        misrouted.push(question);
      }
    }

    expect(misrouted).toEqual([]);
  });

  it("ranks the answering sentence in the top three", async () => {
    for (const [question, answer] of QUESTIONS) {
      const { top } = await route(topics, question, { level: "unit", k: 3 });
      const texts = top.map((entry) => expand(entry.token));

      expect(texts.some((text) => text.includes(answer))).toBe(true);
    }
  });

  it("finds the answer in a set of several documents", async () => {
    for (const [question, answer] of QUESTIONS) {
      const { top } = await route(set, question, { level: "unit", k: 3 });
      const texts = top.map((entry) => expand(entry.token));

      expect(texts.some((text) => text.includes(answer))).toBe(true);
    }
  });

  it("ranks by salience without a query", async () => {
    const { top } = await route(set, "  ", { level: "unit", k: 1 });
    const maxSalience = Math.max(
      ...set.tokens
        .filter((token) => token.level === "unit")
        .map((token) => token.salience),
    );

    expect(top[0]?.token.salience).toBe(maxSalience);
  });

  it("accepts the matching encoder", async () => {
    const { top } = await route(set, "compost", {
      encoder: new HashingEncoder(),
      k: 1,
    });

    expect(top).toHaveLength(1);
  });

  it("rejects an encoder of another set", async () => {
    const error = await catchCoreEngineError(() =>
      route(set, "compost", { encoder: new HashingEncoder({ seed: 7 }) }),
    );

    expect(error.code).toBe(CoreEngineErrorCode.ENCODER_REQUIRED);
    expect(error.message).toContain("leave options.encoder out");
  });

  it("needs an encoder it cannot recreate", async () => {
    const foreign = { ...set, encoder: { id: "onnx:minilm", dimension: 256 } };
    const error = await catchCoreEngineError(() => route(foreign, "compost"));

    expect(error.code).toBe(CoreEngineErrorCode.ENCODER_REQUIRED);
  });

  it.each([
    ["k 0", { k: 0 }],
    ["fractional k", { k: 1.5 }],
    ["unknown level", { level: "page" }],
    ["temperature 0", { temperature: 0 }],
    ["infinite temperature", { temperature: Number.POSITIVE_INFINITY }],
  ])("rejects %s", async (_name, options) => {
    const error = await catchCoreEngineError(() =>
      route(set, "compost", options as RouteOptions),
    );

    expect(error.code).toBe(CoreEngineErrorCode.INVALID_OPTIONS);
  });

  it("stops on an aborted signal", async () => {
    const error = await catchCoreEngineError(() =>
      route(set, "compost", { signal: AbortSignal.abort() }),
    );

    expect(error.code).toBe(CoreEngineErrorCode.ABORTED);
  });
});

describe("expand", () => {
  it("returns the exact source slice", () => {
    const unit = set.tokens.find(
      (token) => token.level === "unit" && token.documentId === "topics",
    );
    const span = unit?.spans[0];

    expect(unit === undefined ? "" : expand(unit)).toBe(
      TOPICS_DOCUMENT.slice(span?.start, span?.end),
    );
  });

  it("reads the text from a given set", () => {
    const [first] = set.tokens;
    const copy: MegaToken | undefined =
      first === undefined ? undefined : { ...first };

    expect(copy === undefined ? "" : expand(copy, set)).toBe(
      first === undefined ? "" : expand(first),
    );
  });

  it("rejects a token of unknown origin", async () => {
    const [first] = set.tokens;
    const copy = { ...(first as MegaToken) };
    const error = await catchCoreEngineError(() => expand(copy));

    expect(error.code).toBe(CoreEngineErrorCode.INVALID_MEGA_TOKENS);
  });
});
