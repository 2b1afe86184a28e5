import { describe, expect, it } from "vitest";

import { isObservabilityError } from "../errors.js";
import { createLatencyRecorder } from "./recorder.js";

describe("createLatencyRecorder", () => {
  it("reports percentiles of 1 to 1000 ms within 0.1%", () => {
    const recorder = createLatencyRecorder();
    for (let ms = 1; ms <= 1000; ms += 1) {
      recorder.record(ms);
    }
    const snapshot = recorder.snapshot();
    expect(snapshot.count).toBe(1000);
    expect(Math.abs(snapshot.p50 - 500) / 500).toBeLessThan(0.001);
    expect(Math.abs(snapshot.p90 - 900) / 900).toBeLessThan(0.001);
    expect(Math.abs(snapshot.p95 - 950) / 950).toBeLessThan(0.001);
    expect(Math.abs(snapshot.p99 - 990) / 990).toBeLessThan(0.001);
    expect(Math.abs(snapshot.max - 1000) / 1000).toBeLessThan(0.001);
    expect(snapshot.min).toBe(1);
    expect(snapshot.mean).toBeCloseTo(500.5, 0);
  });

  it("keeps sub-millisecond resolution", () => {
    const recorder = createLatencyRecorder();
    recorder.record(0.25);
    expect(recorder.percentile(50)).toBe(0.25);
  });

  it("returns zeros when empty", () => {
    const snapshot = createLatencyRecorder().snapshot();
    expect(snapshot).toEqual({
      count: 0,
      min: 0,
      mean: 0,
      p50: 0,
      p90: 0,
      p95: 0,
      p99: 0,
      max: 0,
      clamped: 0,
      invalid: 0,
    });
  });

  it("counts invalid and clamped values without throwing", () => {
    const recorder = createLatencyRecorder({ maxMs: 100 });
    recorder.record(-1);
    recorder.record(Number.NaN);
    recorder.record(500);
    const snapshot = recorder.snapshot();
    expect(snapshot.invalid).toBe(2);
    expect(snapshot.clamped).toBe(1);
    expect(snapshot.count).toBe(1);
    expect(snapshot.max).toBeCloseTo(100, 0);
  });

  it("forgets values on reset", () => {
    const recorder = createLatencyRecorder();
    recorder.record(10);
    recorder.reset();
    expect(recorder.snapshot().count).toBe(0);
  });

  it("rejects invalid options together", () => {
    let caught: unknown;
    try {
      createLatencyRecorder({ maxMs: 0, significantDigits: 9 });
    } catch (error) {
      caught = error;
    }
    const paths = isObservabilityError(caught)
      ? caught.issues.map((issue) => issue.path)
      : [];
    expect(paths).toEqual(["maxMs", "significantDigits"]);
  });
});
