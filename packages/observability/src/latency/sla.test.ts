import { describe, expect, it } from "vitest";

import { isObservabilityError } from "../errors.js";
import { createSlaTracker, parseSlaTarget } from "./sla.js";

describe("parseSlaTarget", () => {
  it("parses a percentile target", () => {
    expect(parseSlaTarget("p95 < 200ms")).toEqual({
      kind: "percentile",
      percentile: 95,
      thresholdMs: 200,
    });
  });

  it("parses a share target", () => {
    expect(parseSlaTarget("99% of requests under 500 ms")).toEqual({
      kind: "share",
      share: 0.99,
      thresholdMs: 500,
    });
  });

  it("rejects other text", () => {
    let caught: unknown;
    try {
      parseSlaTarget("fast please");
    } catch (error) {
      caught = error;
    }
    expect(isObservabilityError(caught) ? caught.code : "").toBe(
      "INVALID_OPTIONS",
    );
  });
});

describe("createSlaTracker", () => {
  it("meets both targets when requests are fast", () => {
    const tracker = createSlaTracker(["p95 < 200ms", "99% < 500ms"]);
    for (let i = 0; i < 100; i += 1) tracker.record(50);
    const [p95, share] = tracker.evaluate();
    expect(p95?.met).toBe(true);
    expect(share?.met).toBe(true);
    expect(share?.observed).toBe(1);
    expect(p95?.violations).toBe(0);
  });

  it("counts slow requests and violations", () => {
    const tracker = createSlaTracker(["p95 < 200ms", "99% < 500ms"]);
    for (let i = 0; i < 90; i += 1) tracker.record(50);
    for (let i = 0; i < 10; i += 1) tracker.record(800);
    const first = tracker.evaluate();
    const second = tracker.evaluate();
    expect(first[0]?.met).toBe(false);
    expect(first[0]?.observed).toBeGreaterThan(790);
    expect(first[1]?.slowRequests).toBe(10);
    expect(first[1]?.observed).toBeCloseTo(0.9);
    expect(second.map((status) => status.violations)).toEqual([2, 2]);
  });

  it("counts a request at the threshold as slow", () => {
    const tracker = createSlaTracker(["100% < 500ms"]);
    tracker.record(500);
    expect(tracker.evaluate()[0]?.slowRequests).toBe(1);
  });

  it("rejects a target outside its range", () => {
    let caught: unknown;
    try {
      createSlaTracker([{ kind: "share", share: 2, thresholdMs: -1 }]);
    } catch (error) {
      caught = error;
    }
    const paths = isObservabilityError(caught)
      ? caught.issues.map((issue) => issue.path)
      : [];
    expect(paths).toEqual(["targets[0]", "targets[0].thresholdMs"]);
  });
});

describe("createSlaTracker edge cases", () => {
  it("meets every target with no traffic", () => {
    const tracker = createSlaTracker(["p95 < 200ms", "99% < 500ms"]);
    const statuses = tracker.evaluate();
    expect(statuses.map((status) => status.met)).toEqual([true, true]);
    expect(statuses.map((status) => status.violations)).toEqual([0, 0]);
    expect(statuses.map((status) => status.slowRequests)).toEqual([0, 0]);
  });

  it("tracks no targets for an empty list", () => {
    expect(createSlaTracker([]).evaluate()).toEqual([]);
  });

  it("rejects targets that are not a list", () => {
    expect(() =>
      createSlaTracker("p95 < 200ms" as unknown as string[]),
    ).toThrow(/targets: must be an array/u);
  });

  it("counts a clamped request as slow", () => {
    const tracker = createSlaTracker(["p50 < 10ms"]);
    tracker.record(5e12);
    const [status] = tracker.evaluate();
    expect(status?.met).toBe(false);
    expect(status?.slowRequests).toBe(1);
    expect(status?.observed).toBe(3_600_000);
  });
});
