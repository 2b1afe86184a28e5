import { describe, expect, it } from "vitest";

import { combineRisk, recommend, resolveOverlaps } from "./risk.js";
import { DEFAULT_THREAT_THRESHOLDS } from "./types.js";
import type { ThreatFinding, ThreatType } from "./types.js";

function finding(
  type: ThreatType,
  start: number,
  end: number,
  score: number,
): ThreatFinding {
  return {
    type,
    start,
    end,
    text: "x".repeat(end - start),
    match: { start, end },
    score,
    reason: "test",
    detector: "test",
  };
}

describe("combineRisk", () => {
  it("is zero without findings", () => {
    expect(combineRisk([])).toBe(0);
  });

  it("takes the highest score of one type", () => {
    expect(
      combineRisk([
        finding("SQL_INJECTION", 0, 1, 0.4),
        finding("SQL_INJECTION", 2, 3, 0.7),
        finding("SQL_INJECTION", 4, 5, 0.6),
      ]),
    ).toBe(0.7);
  });

  it("adds a second type at half weight", () => {
    const risk = combineRisk([
      finding("SQL_INJECTION", 0, 1, 0.8),
      finding("SCRIPT_INJECTION", 2, 3, 0.64),
    ]);

    expect(risk).toBeCloseTo(1 - 0.2 * Math.sqrt(0.36), 3);
  });

  it("ignores a weak second type", () => {
    expect(
      combineRisk([
        finding("SQL_INJECTION", 0, 1, 0.8),
        finding("PROMPT_INJECTION", 2, 3, 0.3),
      ]),
    ).toBe(0.8);
  });
});

describe("recommend", () => {
  it.each([
    [0, "allow"],
    [0.39, "allow"],
    [0.4, "warn"],
    [0.6, "mask"],
    [0.8, "block"],
    [1, "block"],
  ] as const)("maps %d to %s", (risk, expected) => {
    expect(recommend(risk, DEFAULT_THREAT_THRESHOLDS)).toBe(expected);
  });

  it("allows zero risk even with zero thresholds", () => {
    expect(recommend(0, { warn: 0, mask: 0, block: 0 })).toBe("allow");
  });
});

describe("resolveOverlaps", () => {
  it("keeps the strongest of overlapping findings of one type", () => {
    const kept = resolveOverlaps([
      finding("SQL_INJECTION", 0, 10, 0.6),
      finding("SQL_INJECTION", 5, 12, 0.9),
      finding("SQL_INJECTION", 20, 25, 0.5),
    ]);

    expect(kept.map((item) => [item.start, item.score])).toEqual([
      [5, 0.9],
      [20, 0.5],
    ]);
  });

  it("keeps overlapping findings of different types", () => {
    expect(
      resolveOverlaps([
        finding("SQL_INJECTION", 0, 10, 0.6),
        finding("SCRIPT_INJECTION", 5, 12, 0.9),
      ]),
    ).toHaveLength(2);
  });
});
