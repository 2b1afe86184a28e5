import { afterEach, describe, expect, it, vi } from "vitest";

import { computeRetryDelay } from "./backoff.js";
import type { RetryEvent } from "./events.js";
import { createRetryPolicy } from "./retry.js";
import { FakeFailure, rejectionOf } from "./test-support/errors.js";

const settings = {
  initialDelayMs: 100,
  maxDelayMs: 1000,
  multiplier: 2,
  jitter: 0.5,
};

/** A random source that returns `values` in turn, then repeats them. */
function sequence(values: readonly number[]): () => number {
  let index = 0;
  return () => values[index++ % values.length] ?? 0;
}

describe("computeRetryDelay", () => {
  it("grows exponentially up to the cap without jitter", () => {
    const noJitter = { ...settings, jitter: 0 };
    const delays = [1, 2, 3, 4, 5, 6].map((attempt) =>
      computeRetryDelay(attempt, noJitter, () => 0.7),
    );
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it("keeps jittered delays within their bounds", () => {
    const random = sequence([0, 0.25, 0.5, 0.75, 0.999_999]);
    for (let attempt = 1; attempt <= 8; attempt++) {
      const nominal = Math.min(1000, 100 * 2 ** (attempt - 1));
      for (let draw = 0; draw < 5; draw++) {
        const delay = computeRetryDelay(attempt, settings, random);
        expect(delay).toBeGreaterThanOrEqual(nominal * 0.5);
        expect(delay).toBeLessThanOrEqual(nominal);
      }
    }
  });

  it("reaches both ends of the jitter range", () => {
    expect(computeRetryDelay(1, settings, () => 0)).toBe(100);
    expect(computeRetryDelay(1, settings, () => 1)).toBe(50);
    expect(computeRetryDelay(1, { ...settings, jitter: 1 }, () => 1)).toBe(0);
  });

  it("clamps random values outside [0, 1]", () => {
    expect(computeRetryDelay(1, settings, () => Number.NaN)).toBe(100);
    expect(computeRetryDelay(1, settings, () => -3)).toBe(100);
    expect(computeRetryDelay(1, settings, () => 7)).toBe(100);
  });
});

describe("retry backoff", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("waits the jittered delay from the injected random source", async () => {
    vi.useFakeTimers();
    const policy = createRetryPolicy({
      ...settings,
      maxRetries: 3,
      budget: false,
      random: sequence([0.2, 0.6, 1]),
    });
    const retries: RetryEvent[] = [];
    policy.onRetry((event) => retries.push(event));
    const callTimes: number[] = [];
    const start = Date.now();
    const outcome = rejectionOf(
      policy.execute(() => {
        callTimes.push(Date.now() - start);
        throw new FakeFailure("busy", { status: 503 });
      }),
    );
    await vi.advanceTimersByTimeAsync(10_000);
    await outcome;
    expect(retries.map((event) => event.delayMs)).toEqual([90, 140, 200]);
    expect(callTimes).toEqual([0, 90, 230, 430]);
  });
});
