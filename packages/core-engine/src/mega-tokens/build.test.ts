import { beforeAll, describe, expect, it } from "vitest";

import { segmentDocuments } from "../segment/index.js";
import {
  buildSampleSet,
  MEGA_TOKEN_DOCUMENTS,
} from "../test-support/mega-tokens.js";
import { expand } from "./route.js";
import { MEGA_TOKEN_LEVELS } from "./types.js";
import type { MegaToken, MegaTokenSet } from "./types.js";

let set: MegaTokenSet;

beforeAll(async () => {
  set = await buildSampleSet();
});

function levelRank(token: MegaToken): number {
  return MEGA_TOKEN_LEVELS.indexOf(token.level);
}

function tokenAt(index: number): MegaToken {
  const token = set.tokens[index];
  if (token === undefined) {
    throw new Error(`No mega-token at index ${index}.`);
  }
  return token;
}

function outerSpan(token: MegaToken): { start: number; end: number } {
  return {
    start: Math.min(...token.spans.map((span) => span.start)),
    end: Math.max(...token.spans.map((span) => span.end)),
  };
}

function sourceText(documentId: string): string {
  const document = MEGA_TOKEN_DOCUMENTS.find(
    (entry) => entry.id === documentId,
  );
  return document?.text ?? "";
}

describe("buildMegaTokens", () => {
  it("orders tokens from coarsest to finest", () => {
    const ranks = set.tokens.map((token) => -levelRank(token));
    const sorted = [...ranks].sort((a, b) => a - b);

    expect(ranks).toEqual(sorted);
  });

  it("numbers tokens by position", () => {
    expect(set.tokens.every((token, index) => token.index === index)).toBe(
      true,
    );
  });

  it("makes one unit token per unit", () => {
    const corpus = segmentDocuments(
      MEGA_TOKEN_DOCUMENTS.map((document) => ({
        id: document.id,
        text: document.text,
        format: document.format ?? "text",
      })),
    );
    const units = set.tokens.filter((token) => token.level === "unit");

    expect(units).toHaveLength(corpus.units.length);
  });

  it("gives documents without text no token", () => {
    const documents = set.tokens
      .filter((token) => token.level === "document")
      .map((token) => token.documentId);

    expect(documents).toEqual(["topics", "guide", "chinese"]);
  });

  it("keeps the documents and their texts", () => {
    expect(set.documents).toEqual(
      MEGA_TOKEN_DOCUMENTS.map((document) => ({
        id: document.id,
        text: document.text,
      })),
    );
  });

  it("links every child back to its parent", () => {
    const broken: number[] = [];
    for (const token of set.tokens) {
      for (const child of token.children) {
        if (tokenAt(child).parent !== token.index) {
          broken.push(child);
        }
      }
      if (
        token.parent >= 0 &&
        !tokenAt(token.parent).children.includes(token.index)
      ) {
        broken.push(token.index);
      }
    }

    expect(broken).toEqual([]);
  });

  it("gives each level a parent one level up", () => {
    const wrong = set.tokens.filter((token) =>
      token.level === "document"
        ? token.parent !== -1
        : levelRank(tokenAt(token.parent)) !== levelRank(token) + 1,
    );

    expect(wrong).toEqual([]);
  });

  it("gives units no children", () => {
    const units = set.tokens.filter((token) => token.level === "unit");

    expect(units.every((token) => token.children.length === 0)).toBe(true);
  });

  it("nests child spans inside their parent", () => {
    const outside: string[] = [];
    for (const token of set.tokens) {
      if (token.parent < 0) {
        continue;
      }
      const parent = tokenAt(token.parent);
      const child = outerSpan(token);
      const container = outerSpan(parent);
      if (
        parent.documentId !== token.documentId ||
        child.start < container.start ||
        child.end > container.end
      ) {
        outside.push(`${token.level} ${token.index} in ${parent.level}`);
      }
    }

    expect(outside).toEqual([]);
  });

  it("spans each document from first to last unit", () => {
    for (const token of set.tokens.filter(
      (entry) => entry.level === "document",
    )) {
      const units = set.tokens.filter(
        (entry) =>
          entry.level === "unit" && entry.documentId === token.documentId,
      );
      const first = units[0]?.spans[0]?.start;
      const last = units.at(-1)?.spans.at(-1)?.end;

      expect(outerSpan(token)).toEqual({ start: first, end: last });
    }
  });

  it("sums child token counts", () => {
    const wrong = set.tokens.filter(
      (token) =>
        token.children.length > 0 &&
        token.children.reduce(
          (sum, child) => sum + tokenAt(child).tokens,
          0,
        ) !== token.tokens,
    );

    expect(wrong).toEqual([]);
  });

  it("stores unit-length vectors", () => {
    const wrong = set.tokens.filter((token) => {
      const norm = Math.sqrt(
        token.vector.reduce((sum, value) => sum + value * value, 0),
      );
      return norm !== 0 && Math.abs(norm - 1) > 1e-4;
    });

    expect(set.tokens.every((token) => token.vector.length === 256)).toBe(true);
    expect(wrong).toEqual([]);
  });

  it("scales confidence and salience to [0, 1]", () => {
    const outOfRange = set.tokens.filter(
      (token) =>
        !(token.confidence >= 0 && token.confidence <= 1) ||
        !(token.salience >= 0 && token.salience <= 1),
    );

    expect(outOfRange).toEqual([]);
  });

  it("gives each level a salience maximum of 1", () => {
    for (const level of MEGA_TOKEN_LEVELS) {
      const values = set.tokens
        .filter((token) => token.level === level)
        .map((token) => token.salience);

      expect(Math.max(...values)).toBeCloseTo(1, 6);
    }
  });

  it("expands every token to its source slice", () => {
    const wrong = set.tokens.filter((token) => {
      const text = sourceText(token.documentId);
      const expected = token.spans
        .map((span) => text.slice(span.start, span.end))
        .join("\n…\n");
      return expand(token) !== expected;
    });

    expect(wrong).toEqual([]);
  });

  it("records the encoder and tokenizer", () => {
    expect(set.encoder).toEqual({
      id: "hashing-v1:dim=256:seed=0",
      dimension: 256,
    });
    expect(set.tokenizer).toBe("o200k_base");
    expect(set.formatVersion).toBe(1);
  });
});
