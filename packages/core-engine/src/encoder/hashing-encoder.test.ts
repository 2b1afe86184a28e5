import { beforeAll, describe, expect, it } from "vitest";

import { CoreEngineErrorCode } from "../errors.js";
import { expand } from "../mega-tokens/route.js";
import type { MegaTokenSet } from "../mega-tokens/types.js";
import { catchCoreEngineError } from "../test-support/errors.js";
import { buildSampleSet } from "../test-support/mega-tokens.js";
import { HashingEncoder } from "./hashing-encoder.js";

function bytesOf(vector: Float32Array): number[] {
  return Array.from(
    new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength),
  );
}

function dot(a: Float32Array | undefined, b: Float32Array | undefined): number {
  let sum = 0;
  const length = Math.min(a?.length ?? 0, b?.length ?? 0);
  for (let index = 0; index < length; index++) {
    sum += (a?.[index] ?? 0) * (b?.[index] ?? 0);
  }
  return sum;
}

function norm(vector: Float32Array): number {
  return Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
}

describe("HashingEncoder", () => {
  let set: MegaTokenSet;

  beforeAll(async () => {
    set = await buildSampleSet();
  });

  it("matches the vectors the pipeline stores", async () => {
    const encoder = new HashingEncoder();
    const units = set.tokens.filter((token) => token.level === "unit");
    const vectors = await encoder.encode(units.map((token) => expand(token)));
    const different = units
      .filter(
        (token, index) =>
          JSON.stringify(bytesOf(token.vector)) !==
          JSON.stringify(bytesOf(vectors[index] ?? new Float32Array())),
      )
      .map((token) => expand(token));

    expect(units.length).toBeGreaterThan(50);
    expect(different).toEqual([]);
  });

  it("returns unit-length vectors", async () => {
    const [vector] = await new HashingEncoder().encode([
      "The bakery sells sourdough bread.",
    ]);

    expect(vector).toHaveLength(256);
    expect(norm(vector ?? new Float32Array())).toBeCloseTo(1, 5);
  });

  it("returns a zero vector for stopwords only", async () => {
    const [vector] = await new HashingEncoder().encode(["the and of", ""]);

    expect(norm(vector ?? new Float32Array(1))).toBe(0);
  });

  it("encodes the same text the same way", async () => {
    const text = "Harbor cranes unload containers at night.";
    const [first] = await new HashingEncoder().encode([text]);
    const [second] = await new HashingEncoder().encode([text]);

    expect(bytesOf(second ?? new Float32Array())).toEqual(
      bytesOf(first ?? new Float32Array()),
    );
  });

  it("encodes plural and singular alike", async () => {
    const encoder = new HashingEncoder();
    const [bridges, bridge, bakery] = await encoder.encode([
      "bridges",
      "bridge",
      "bakery",
    ]);
    expect(dot(bridges, bridge)).toBeCloseTo(1, 5);
    expect(dot(bridge, bakery)).toBeLessThan(0.5);
  });

  it("names its dimension and seed in the id", () => {
    const encoder = new HashingEncoder({ dimension: 64, seed: 9 });

    expect(encoder.id).toBe("hashing-v1:dim=64:seed=9");
    expect(HashingEncoder.fromId(encoder.id)?.id).toBe(encoder.id);
  });

  it("recreates only its own ids", () => {
    expect(HashingEncoder.fromId("onnx:minilm")).toBeUndefined();
  });

  it.each([
    ["dimension 4", { dimension: 4 }],
    ["fractional dimension", { dimension: 100.5 }],
    ["negative seed", { seed: -1 }],
  ])("rejects %s", async (_name, options) => {
    const error = await catchCoreEngineError(() => new HashingEncoder(options));

    expect(error.code).toBe(CoreEngineErrorCode.INVALID_OPTIONS);
  });

  it("rejects an aborted signal", async () => {
    const error = await catchCoreEngineError(() =>
      new HashingEncoder().encode(["text"], { signal: AbortSignal.abort() }),
    );

    expect(error.code).toBe(CoreEngineErrorCode.ABORTED);
  });
});
