import { describe, expect, it } from "vitest";

import { mergeClassifierScores } from "./classifier.js";
import { ScanContext } from "./detectors/detector.js";
import type { ThreatFinding } from "./types.js";

/** Builds a context of `count` one-character sentences, each with a finding. */
function sentencesWithFindings(count: number): {
  context: ScanContext;
  findings: ThreatFinding[];
} {
  const text = "x ".repeat(count);
  const sentences = Array.from({ length: count }, (_, index) => ({
    start: index * 2,
    end: index * 2 + 1,
  }));
  const findings = sentences.map((span) => ({
    type: "PROMPT_INJECTION" as const,
    start: span.start,
    end: span.end,
    text: "x",
    match: span,
    score: 0.5,
    reason: "test",
    detector: "test",
  }));
  return { context: new ScanContext(text, sentences), findings };
}

describe("mergeClassifierScores", () => {
  it("raises each finding with the score of its own sentence", () => {
    const { context, findings } = sentencesWithFindings(3);
    const merged = mergeClassifierScores(
      context,
      findings,
      [0, 0.5, 1],
      { name: "m", classify: () => [] },
      0.4,
    );

    expect(merged.map((finding) => finding.score)).toEqual([0.5, 0.75, 1]);
  });

  it("merges two hundred thousand sentences with findings", () => {
    // Matching every finding against every sentence took minutes here.
    const { context, findings } = sentencesWithFindings(200_000);
    const scores = findings.map(() => 0.5);
    const merged = mergeClassifierScores(
      context,
      findings,
      scores,
      { name: "m", classify: () => [] },
      0.4,
    );

    expect(merged).toHaveLength(200_000);
    expect(merged[199_999]?.score).toBe(0.75);
  });
});
