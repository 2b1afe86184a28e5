import { describe, expect, it } from "vitest";

import { fingerprint, inhibits, matchesAll } from "./matchers.js";
import type { InhibitRule, Labels } from "./types.js";

describe("fingerprint", () => {
  it("separates label sets with special characters", () => {
    const sets: Labels[] = [
      { a: "b", c: "d" },
      { 'a","b': "c", d: "" },
      { a: 'b","c', d: "" },
      { a: "x\u0000" },
      { a: "x" },
      { "a\u0000": "x" },
      { a: "é" },
      { a: "e\u0301" },
      { a: "" },
      {},
    ];
    const prints = sets.map((labels) => fingerprint(labels));
    expect(new Set(prints).size).toBe(sets.length);
  });

  it("ignores key order", () => {
    expect(fingerprint({ a: "1", b: "2" })).toBe(
      fingerprint({ b: "2", a: "1" }),
    );
  });

  it("differs for different values", () => {
    expect(fingerprint({ a: "1" })).not.toBe(fingerprint({ a: "2" }));
  });
});

describe("matchesAll", () => {
  const labels = { service: "api", env: "prod" };

  it("supports the four operators", () => {
    expect(matchesAll(labels, [{ name: "service", value: "api" }])).toBe(true);
    expect(
      matchesAll(labels, [{ name: "env", value: "dev", operator: "!=" }]),
    ).toBe(true);
    expect(
      matchesAll(labels, [{ name: "env", value: "pr.*", operator: "=~" }]),
    ).toBe(true);
    expect(
      matchesAll(labels, [{ name: "env", value: "pr", operator: "=~" }]),
    ).toBe(false);
    expect(
      matchesAll(labels, [{ name: "env", value: "dev|test", operator: "!~" }]),
    ).toBe(true);
  });

  it("treats an inherited name as a missing label", () => {
    expect(matchesAll({}, [{ name: "toString", value: "" }])).toBe(true);
    expect(
      matchesAll({}, [{ name: "constructor", value: ".+", operator: "=~" }]),
    ).toBe(false);
    const rule: InhibitRule = {
      sourceMatchers: [],
      targetMatchers: [],
      equal: ["constructor"],
    };
    expect(inhibits(rule, { a: "1" }, { b: "2" })).toBe(false);
  });

  it("treats a missing label as empty", () => {
    expect(matchesAll(labels, [{ name: "zone", value: "" }])).toBe(true);
  });
});

describe("inhibits", () => {
  const rule: InhibitRule = {
    sourceMatchers: [{ name: "severity", value: "critical" }],
    targetMatchers: [{ name: "severity", value: "warning" }],
    equal: ["cluster"],
  };

  it("inhibits when the equal labels match", () => {
    expect(
      inhibits(
        rule,
        { severity: "critical", cluster: "eu" },
        { severity: "warning", cluster: "eu" },
      ),
    ).toBe(true);
  });

  it("does not inhibit when the values differ", () => {
    expect(
      inhibits(
        rule,
        { severity: "critical", cluster: "eu" },
        { severity: "warning", cluster: "us" },
      ),
    ).toBe(false);
  });

  it("does not inhibit when the target lacks the label", () => {
    expect(
      inhibits(
        rule,
        { severity: "critical", cluster: "eu" },
        { severity: "warning" },
      ),
    ).toBe(false);
  });

  it("does not inhibit when the source lacks the label", () => {
    expect(
      inhibits(
        rule,
        { severity: "critical" },
        { severity: "warning", cluster: "eu" },
      ),
    ).toBe(false);
  });

  it("does not inhibit when both lack the label", () => {
    expect(
      inhibits(rule, { severity: "critical" }, { severity: "warning" }),
    ).toBe(false);
  });
});
