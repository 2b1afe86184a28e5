import { createHash } from "node:crypto";

import { describe, expect, it } from "vitest";

import { canonicalJson, GENESIS_HASH, hashEntry } from "./canonical.js";
import type { AuditEntry } from "./types.js";

describe("canonicalJson", () => {
  it("sorts keys at every depth without whitespace", () => {
    const text = canonicalJson({
      b: [3, { z: true, a: null }],
      a: "é\n",
      c: undefined,
    });
    expect(text).toBe('{"a":"é\\n","b":[3,{"a":null,"z":true}]}');
  });

  it("sorts keys by UTF-16 code units", () => {
    expect(canonicalJson({ b: 1, B: 2, "10": 3, "9": 4 })).toBe(
      '{"10":3,"9":4,"B":2,"b":1}',
    );
  });

  it("rejects values JSON cannot represent", () => {
    expect(() => canonicalJson(() => 1)).toThrow(TypeError);
  });
});

describe("hashEntry", () => {
  const entry: AuditEntry = {
    index: 0,
    time: "2026-01-02T03:04:05.678Z",
    actor: "user-1",
    action: "key.created",
    outcome: "success",
    details: { scopes: ["read"] },
    prevHash: GENESIS_HASH,
    hash: "ignored",
  };

  it("hashes the documented canonical form", () => {
    const canonical =
      '{"action":"key.created","actor":"user-1",' +
      '"details":{"scopes":["read"]},"index":0,"outcome":"success",' +
      `"prevHash":"${GENESIS_HASH}","time":"2026-01-02T03:04:05.678Z"}`;
    const expected = createHash("sha256").update(canonical).digest("hex");

    expect(hashEntry(entry)).toBe(expected);
  });

  it("leaves the hash field out and covers every other field", () => {
    expect(hashEntry({ ...entry, hash: "other" })).toBe(hashEntry(entry));
    expect(hashEntry({ ...entry, index: 1 })).not.toBe(hashEntry(entry));
    expect(hashEntry({ ...entry, prevHash: "1".repeat(64) })).not.toBe(
      hashEntry(entry),
    );
  });
});
