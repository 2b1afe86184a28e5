import { describe, expect, it } from "vitest";

import {
  hasScope,
  isValidGrantedScope,
  isValidRequiredScope,
  scopeMatches,
} from "./scopes.js";

describe("scopeMatches", () => {
  const cases: [granted: string, required: string, expected: boolean][] = [
    ["compress", "compress", true],
    ["compress", "compress:stream", false],
    ["compress", "route", false],
    ["compress:*", "compress", true],
    ["compress:*", "compress:stream", true],
    ["compress:*", "compress:stream:fast", true],
    ["compress:*", "compressx", false],
    ["compress:*", "compressx:stream", false],
    ["compress:*", "route", false],
    ["compress:stream:*", "compress:stream:fast", true],
    ["compress:stream:*", "compress:batch", false],
    ["*", "admin", true],
    ["*", "compress:stream", true],
    ["admin", "compress", false],
  ];

  it.each(cases)("%s against %s gives %s", (granted, required, expected) => {
    expect(scopeMatches(granted, required)).toBe(expected);
  });
});

describe("hasScope", () => {
  it("denies everything to an empty list", () => {
    expect(hasScope([], "compress")).toBe(false);
    expect(hasScope([], "admin")).toBe(false);
  });

  it("grants when any scope matches", () => {
    expect(hasScope(["route", "compress:*"], "compress:stream")).toBe(true);
    expect(hasScope(["route", "compress:*"], "admin")).toBe(false);
  });

  it("denies required scopes that are not valid", () => {
    expect(hasScope(["*"], "*")).toBe(false);
    expect(hasScope(["*"], "compress:*")).toBe(false);
    expect(hasScope(["*"], "")).toBe(false);
    expect(hasScope(["*"], "Compress")).toBe(false);
  });
});

describe("scope syntax", () => {
  it("accepts wildcards only when granted", () => {
    expect(isValidGrantedScope("*")).toBe(true);
    expect(isValidGrantedScope("compress:*")).toBe(true);
    expect(isValidRequiredScope("compress:*")).toBe(false);
    expect(isValidRequiredScope("*")).toBe(false);
  });

  it("rejects malformed scopes", () => {
    const invalid: unknown[] = [
      "",
      "comp*",
      "*:compress",
      "compress:",
      ":compress",
      "compress::stream",
      "Compress",
      "compress stream",
      "compress:*:x",
      "x".repeat(129),
      7,
      null,
    ];
    for (const scope of invalid) {
      expect(isValidGrantedScope(scope)).toBe(false);
      expect(isValidRequiredScope(scope)).toBe(false);
    }
  });
});
