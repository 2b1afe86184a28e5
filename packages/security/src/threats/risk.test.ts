import { describe, expect, it } from "vitest";

import {
  combineRisk,
  recommend,
  resolveOverlaps,
  selectReported,
} from "./risk.js";
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
  const TEXT = "x".repeat(40);

  it("keeps the strongest of overlapping findings of one type", () => {
    const kept = resolveOverlaps(
      [
        finding("SQL_INJECTION", 0, 10, 0.6),
        finding("SQL_INJECTION", 5, 12, 0.9),
        finding("SQL_INJECTION", 20, 25, 0.5),
      ],
      TEXT,
    );

    expect(kept.map((item) => [item.score, item.match])).toEqual([
      [0.9, { start: 5, end: 12 }],
      [0.5, { start: 20, end: 25 }],
    ]);
  });

  it("grows a kept finding over the findings it replaces", () => {
    const text = "0123456789abcdefghij";
    const [kept] = resolveOverlaps(
      [
        finding("SCRIPT_INJECTION", 2, 8, 0.85),
        finding("SCRIPT_INJECTION", 6, 14, 0.9),
      ],
      text,
    );

    expect(kept?.start).toBe(2);
    expect(kept?.end).toBe(14);
    expect(kept?.text).toBe("23456789abcd");
    expect(kept?.match).toEqual({ start: 6, end: 14 });
    expect(kept?.score).toBe(0.9);
  });

  it("keeps overlapping findings of different types", () => {
    expect(
      resolveOverlaps(
        [
          finding("SQL_INJECTION", 0, 10, 0.6),
          finding("SCRIPT_INJECTION", 5, 12, 0.9),
        ],
        TEXT,
      ),
    ).toHaveLength(2);
  });

  it("grows one kept finding over a finding between two", () => {
    const kept = resolveOverlaps(
      [
        finding("SQL_INJECTION", 0, 4, 0.9),
        finding("SQL_INJECTION", 3, 9, 0.5),
        finding("SQL_INJECTION", 8, 12, 0.9),
      ],
      TEXT,
    );

    expect(kept.map((item) => [item.start, item.end])).toEqual([
      [0, 4],
      [3, 12],
    ]);
  });
});

describe("resolveOverlaps on many findings", () => {
  it("resolves two hundred thousand findings without a stack overflow", () => {
    const findings = Array.from({ length: 200_000 }, (_, index) =>
      finding("SCRIPT_INJECTION", index * 2, index * 2 + 1, 0.9),
    );

    expect(resolveOverlaps(findings, "x".repeat(400_000))).toHaveLength(
      200_000,
    );
  });
});

describe("selectReported", () => {
  it("keeps the first of each type and then the highest scores", () => {
    const findings = [
      finding("SQL_INJECTION", 0, 1, 0.5),
      finding("SQL_INJECTION", 2, 3, 0.9),
      finding("SCRIPT_INJECTION", 4, 5, 0.4),
      finding("SQL_INJECTION", 6, 7, 0.8),
      finding("SQL_INJECTION", 8, 9, 0.6),
    ];

    const reported = selectReported(findings, 3);

    expect(reported.map((item) => item.start)).toEqual([0, 2, 4]);
  });

  it("returns every finding up to the limit", () => {
    const findings = [finding("SQL_INJECTION", 0, 1, 0.5)];

    expect(selectReported(findings, 3)).toEqual(findings);
  });
});
