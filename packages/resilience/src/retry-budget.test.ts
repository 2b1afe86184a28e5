import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { isResilienceError } from "./errors.js";
import { createRetryBudget } from "./retry-budget.js";
import { thrownBy } from "./test-support/errors.js";

describe("createRetryBudget", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2025-01-01T00:00:00Z"));
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("grants the per-second minimum without calls", () => {
    const budget = createRetryBudget({
      ratio: 0,
      minRetriesPerSecond: 0.3,
      windowMs: 10_000,
    });
    const granted = [1, 2, 3, 4].map(() => budget.tryAcquireRetry());
    expect(granted).toEqual([true, true, true, false]);
  });

  it("grants retries in proportion to calls", () => {
    const budget = createRetryBudget({ ratio: 0.2, minRetriesPerSecond: 0 });
    for (let index = 0; index < 10; index++) {
      budget.recordCall();
    }
    expect(budget.tryAcquireRetry()).toBe(true);
    expect(budget.tryAcquireRetry()).toBe(true);
    expect(budget.tryAcquireRetry()).toBe(false);
    expect(budget.snapshot()).toEqual({
      calls: 10,
      retries: 2,
      allowedRetries: 2,
    });
  });

  it("refills once old counts leave the window", () => {
    const budget = createRetryBudget({
      ratio: 0,
      minRetriesPerSecond: 0.1,
      windowMs: 10_000,
    });
    expect(budget.tryAcquireRetry()).toBe(true);
    expect(budget.tryAcquireRetry()).toBe(false);
    vi.advanceTimersByTime(9_000);
    expect(budget.tryAcquireRetry()).toBe(false);
    vi.advanceTimersByTime(1_000);
    expect(budget.tryAcquireRetry()).toBe(true);
  });

  it("forgets calls older than the window", () => {
    const budget = createRetryBudget({
      ratio: 1,
      minRetriesPerSecond: 0,
      windowMs: 1_000,
    });
    budget.recordCall();
    vi.advanceTimersByTime(500);
    budget.recordCall();
    expect(budget.snapshot().calls).toBe(2);
    vi.advanceTimersByTime(600);
    expect(budget.snapshot().calls).toBe(1);
    vi.advanceTimersByTime(500);
    expect(budget.snapshot().calls).toBe(0);
  });

  it("rejects invalid options with every issue", () => {
    const error = thrownBy(() =>
      createRetryBudget({ ratio: Number.NaN, windowMs: 5 }),
    );
    const paths = isResilienceError(error)
      ? error.issues.map((issue) => issue.path)
      : [];
    expect(paths).toEqual(["ratio", "windowMs"]);
  });
});
