import { beforeAll, describe, expect, it } from "vitest";

import { CoreEngineErrorCode } from "../errors.js";
import { catchCoreEngineError } from "../test-support/errors.js";
import { buildSampleSet } from "../test-support/mega-tokens.js";
import { fromBase64 } from "./base64.js";
import { expand, route } from "./route.js";
import {
  deserializeMegaTokens,
  MEGA_TOKENS_FORMAT_VERSION,
  MEGA_TOKENS_MAGIC,
  megaTokensToJSON,
  serializeMegaTokens,
} from "./serialize.js";
import type { MegaToken, MegaTokenSet } from "./types.js";

const INVALID = CoreEngineErrorCode.INVALID_MEGA_TOKENS;

let set: MegaTokenSet;
let bytes: Uint8Array;

beforeAll(async () => {
  set = await buildSampleSet();
  bytes = serializeMegaTokens(set);
});

function vectorBytes(token: MegaToken): number[] {
  return Array.from(
    new Uint8Array(
      token.vector.buffer,
      token.vector.byteOffset,
      token.vector.byteLength,
    ),
  );
}

function withoutVector(token: MegaToken): Omit<MegaToken, "vector"> {
  return {
    index: token.index,
    level: token.level,
    documentId: token.documentId,
    spans: token.spans,
    tokens: token.tokens,
    confidence: token.confidence,
    salience: token.salience,
    parent: token.parent,
    children: token.children,
  };
}

function headerLength(data: Uint8Array): number {
  return new DataView(data.buffer, data.byteOffset).getUint32(8, true);
}

/** The columns of the JSON header that the corruption tests rewrite. */
interface HeaderColumns {
  level: number[];
  parent: number[];
  spans: number[][];
  [column: string]: unknown;
}

/** Rewrites the JSON header of the serialized sample set. */
function withHeader(change: (header: HeaderColumns) => void): Uint8Array {
  const length = headerLength(bytes);
  const header = JSON.parse(
    new TextDecoder().decode(bytes.subarray(12, 12 + length)),
  ) as HeaderColumns;
  change(header);
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padding = (4 - (json.length % 4)) % 4;
  const padded = new Uint8Array(json.length + padding).fill(0x20);
  padded.set(json);
  json = padded;
  const vectors = bytes.subarray(12 + length);
  const result = new Uint8Array(12 + json.length + vectors.length);
  result.set(bytes.subarray(0, 12));
  new DataView(result.buffer).setUint32(8, json.length, true);
  result.set(json, 12);
  result.set(vectors, 12 + json.length);
  return result;
}

function withVersion(version: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint32(4, version, true);
  return copy;
}

describe("serializeMegaTokens", () => {
  it("starts with the magic and version", () => {
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe(
      MEGA_TOKENS_MAGIC,
    );
    expect(new DataView(bytes.buffer).getUint32(4, true)).toBe(
      MEGA_TOKENS_FORMAT_VERSION,
    );
  });

  it("pads the header to four bytes", () => {
    expect(headerLength(bytes) % 4).toBe(0);
  });

  it("writes the same bytes twice", () => {
    expect(serializeMegaTokens(set)).toEqual(bytes);
  });
});

describe("deserializeMegaTokens", () => {
  it("restores vectors bit for bit", () => {
    const restored = deserializeMegaTokens(bytes);

    expect(restored.tokens.map(vectorBytes)).toEqual(
      set.tokens.map(vectorBytes),
    );
  });

  it("restores every token field", () => {
    const restored = deserializeMegaTokens(bytes);

    expect(restored.tokens.map(withoutVector)).toEqual(
      set.tokens.map(withoutVector),
    );
  });

  it("restores texts, encoder and tokenizer", () => {
    const restored = deserializeMegaTokens(bytes);

    expect(restored.documents).toEqual(set.documents);
    expect(restored.encoder).toEqual(set.encoder);
    expect(restored.tokenizer).toBe(set.tokenizer);
    expect(restored.formatVersion).toBe(1);
  });

  it("serializes back to the same bytes", () => {
    expect(serializeMegaTokens(deserializeMegaTokens(bytes))).toEqual(bytes);
  });

  it("expands restored tokens without the set", () => {
    const restored = deserializeMegaTokens(bytes);

    expect(restored.tokens.map((token) => expand(token))).toEqual(
      set.tokens.map((token) => expand(token)),
    );
  });

  it("routes a restored set like the original", async () => {
    const query = "How are slugs kept away from the lettuce?";
    const original = await route(set, query, { level: "unit" });
    const restored = await route(deserializeMegaTokens(bytes), query, {
      level: "unit",
    });

    expect(Array.from(restored.weights)).toEqual(Array.from(original.weights));
  });

  it("reads a copy at an odd byte offset", () => {
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);

    expect(deserializeMegaTokens(shifted.subarray(1)).tokens).toHaveLength(
      set.tokens.length,
    );
  });

  it("rejects every truncation", async () => {
    const lengths = [0, 3, 4, 11, 12, 13, 100, headerLength(bytes) + 11];
    for (
      let length = headerLength(bytes) + 12;
      length < bytes.length;
      length += 997
    ) {
      lengths.push(length);
    }
    lengths.push(bytes.length - 1);
    for (const length of lengths) {
      const error = await catchCoreEngineError(() =>
        deserializeMegaTokens(bytes.slice(0, length)),
      );

      expect(error.code).toBe(INVALID);
    }
  });

  it("rejects extra trailing bytes", async () => {
    const longer = new Uint8Array(bytes.length + 4);
    longer.set(bytes);
    const error = await catchCoreEngineError(() =>
      deserializeMegaTokens(longer),
    );

    expect(error.code).toBe(INVALID);
  });

  it("rejects a wrong magic", async () => {
    const copy = bytes.slice();
    copy[0] = 0x58;
    const error = await catchCoreEngineError(() => deserializeMegaTokens(copy));

    expect(error.code).toBe(INVALID);
  });

  it("rejects a header that is not JSON", async () => {
    const copy = bytes.slice();
    copy[12] = 0xff;
    const error = await catchCoreEngineError(() => deserializeMegaTokens(copy));

    expect(error.code).toBe(INVALID);
  });

  it("rejects a header with missing columns", async () => {
    const corrupted = withHeader((header) => {
      Reflect.deleteProperty(header, "parent");
    });
    const error = await catchCoreEngineError(() =>
      deserializeMegaTokens(corrupted),
    );

    expect(error.code).toBe(INVALID);
  });

  it("rejects a parent index out of range", async () => {
    const corrupted = withHeader((header) => {
      header.parent[5] = 999_999;
    });
    const error = await catchCoreEngineError(() =>
      deserializeMegaTokens(corrupted),
    );

    expect(error.code).toBe(INVALID);
  });

  it("rejects a span outside its document", async () => {
    const corrupted = withHeader((header) => {
      header.spans[5] = [0, 10_000_000];
    });
    const error = await catchCoreEngineError(() =>
      deserializeMegaTokens(corrupted),
    );

    expect(error.code).toBe(INVALID);
  });

  it("rejects an unknown level", async () => {
    const corrupted = withHeader((header) => {
      header.level[5] = 9;
    });
    const error = await catchCoreEngineError(() =>
      deserializeMegaTokens(corrupted),
    );

    expect(error.code).toBe(INVALID);
  });

  it.each([2, 99])("rejects newer format version %i", async (version) => {
    const error = await catchCoreEngineError(() =>
      deserializeMegaTokens(withVersion(version)),
    );

    expect(error.code).toBe(
      CoreEngineErrorCode.UNSUPPORTED_MEGA_TOKENS_VERSION,
    );
    expect(error.message).toContain(String(version));
  });

  it("rejects format version 0 as invalid", async () => {
    const error = await catchCoreEngineError(() =>
      deserializeMegaTokens(withVersion(0)),
    );

    expect(error.code).toBe(INVALID);
  });

  it("rejects input that is not bytes", async () => {
    const error = await catchCoreEngineError(() =>
      deserializeMegaTokens("RFMT" as unknown as Uint8Array),
    );

    expect(error.code).toBe(INVALID);
  });
});

describe("megaTokensToJSON", () => {
  it("encodes vectors as base64 bytes", () => {
    const json = megaTokensToJSON(set);
    const tokens = json.tokens as { vector: string }[];
    const decoded = tokens.map((token) =>
      Array.from(fromBase64(token.vector) ?? []),
    );

    expect(decoded).toEqual(set.tokens.map(vectorBytes));
  });

  it("leaves out vectors on request", () => {
    const json = megaTokensToJSON(set, { vectors: false });
    const tokens = json.tokens as Record<string, unknown>[];

    expect(tokens.every((token) => !("vector" in token))).toBe(true);
  });

  it("leaves out the document texts", () => {
    const json = megaTokensToJSON(set);

    expect(json.documents).toEqual(
      set.documents.map((document) => ({ id: document.id })),
    );
  });

  it("produces plain JSON data", () => {
    const json = megaTokensToJSON(set);

    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});

describe("deserializeMegaTokens on damaged data", () => {
  it("rejects a null header", async () => {
    const json = new TextEncoder().encode("null");
    const data = new Uint8Array(12 + json.length);
    data.set(new TextEncoder().encode(MEGA_TOKENS_MAGIC), 0);
    new DataView(data.buffer).setUint32(4, MEGA_TOKENS_FORMAT_VERSION, true);
    new DataView(data.buffer).setUint32(8, json.length, true);
    data.set(json, 12);
    const error = await catchCoreEngineError(() => deserializeMegaTokens(data));

    expect(error.code).toBe(INVALID);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])(
    "rejects the vector value %d",
    async (value) => {
      const copy = bytes.slice();
      const vectorsAt = 12 + headerLength(bytes);
      new DataView(copy.buffer).setFloat32(vectorsAt, value, true);
      const error = await catchCoreEngineError(() =>
        deserializeMegaTokens(copy),
      );

      expect(error.code).toBe(INVALID);
    },
  );
});
