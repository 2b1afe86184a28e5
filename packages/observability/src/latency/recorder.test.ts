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

describe("createLatencyRecorder edge cases", () => {
  it("reports one value exactly", () => {
    const recorder = createLatencyRecorder();
    recorder.record(1.2345);
    const snapshot = recorder.snapshot();
    expect(snapshot.count).toBe(1);
    for (const value of [snapshot.min, snapshot.p50, snapshot.p99]) {
      expect(value).toBe(1.235);
    }
    expect(snapshot.max).toBe(1.235);
  });

  it("keeps percentiles within min and max", () => {
    const recorder = createLatencyRecorder({ maxMs: 3_600_000 });
    recorder.record(5e12);
    recorder.record(3_599_999);
    const snapshot = recorder.snapshot();
    expect(snapshot.clamped).toBe(1);
    expect(snapshot.max).toBe(3_600_000);
    expect(snapshot.min).toBe(3_599_999);
    expect(snapshot.p99).toBeLessThanOrEqual(snapshot.max);
    expect(snapshot.p50).toBeGreaterThanOrEqual(snapshot.min);
    expect(recorder.percentile(100)).toBe(3_600_000);
  });

  it("records zero and ignores negative zero sign", () => {
    const recorder = createLatencyRecorder();
    recorder.record(0);
    recorder.record(-0);
    const snapshot = recorder.snapshot();
    expect(snapshot.count).toBe(2);
    expect(snapshot.invalid).toBe(0);
    expect(snapshot.max).toBe(0);
    expect(snapshot.p99).toBe(0);
  });

  it("rejects a percentile outside 0 to 100", () => {
    const recorder = createLatencyRecorder();
    recorder.record(5);
    for (const percentile of [-5, 100.5, Number.NaN]) {
      expect(() => recorder.percentile(percentile)).toThrow(
        /pass a number from 0 to 100/u,
      );
    }
    expect(recorder.percentile(0)).toBe(5);
    expect(recorder.percentile(100)).toBe(5);
  });

  it("rejects a maxMs beyond exact integers", () => {
    expect(() => createLatencyRecorder({ maxMs: 1e13 })).toThrow(
      /maxMs: must be a number of milliseconds from 1 to 1000000000000/u,
    );
    const recorder = createLatencyRecorder({ maxMs: 1e12 });
    recorder.record(2e12);
    expect(recorder.snapshot().max).toBe(1e12);
  });
});
