import { describe, expect, it } from "vitest";

import { threatProbabilities } from "./inference.js";

describe("threatProbabilities", () => {
  it("sums the softmax of the threat labels", () => {
    const logits = Float32Array.from([0, 0, 0, 0, Math.log(2), Math.log(3)]);

    const scores = threatProbabilities(logits, 3, [1, 2]);

    expect(scores).toHaveLength(2);
    expect(scores[0]).toBeCloseTo(2 / 3, 6);
    expect(scores[1]).toBeCloseTo(5 / 6, 6);
  });

  it("applies the sigmoid to one label", () => {
    const scores = threatProbabilities(Float32Array.from([0, 2, -2]), 1, [0]);

    expect(scores[0]).toBeCloseTo(0.5, 6);
    expect(scores[1]).toBeCloseTo(1 / (1 + Math.exp(-2)), 6);
    expect(scores[2]).toBeCloseTo(1 / (1 + Math.exp(2)), 6);
  });

  it("stays finite and within 0 to 1 for extreme logits", () => {
    const softmax = threatProbabilities(
      Float32Array.from([-1e30, 1e30, 1e30, -1e30]),
      2,
      [1],
    );
    const sigmoid = threatProbabilities(
      Float32Array.from([1e30, -1e30]),
      1,
      [0],
    );

    expect(softmax).toEqual([1, 0]);
    expect(sigmoid).toEqual([1, 0]);
  });
});
