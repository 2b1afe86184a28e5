import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { isResilienceError } from "./errors.js";
import type { GiveUpEvent, RetryEvent } from "./events.js";
import { createRetryPolicy } from "./retry.js";
import { createRetryBudget } from "./retry-budget.js";
import { createDeferred } from "./test-support/deferred.js";
import { codeOf, FakeFailure, rejectionOf } from "./test-support/errors.js";

const busy = (): FakeFailure => new FakeFailure("busy", { status: 503 });

/** Creates a policy that records its events, with a 1000 ms first delay. */
function recordedPolicy(options: Parameters<typeof createRetryPolicy>[0]) {
  const policy = createRetryPolicy({
    initialDelayMs: 1000,
    jitter: 0,
    budget: false,
    ...options,
  });
  const retries: RetryEvent[] = [];
  const giveUps: GiveUpEvent[] = [];
  policy.onRetry((event) => retries.push(event));
  policy.onGiveUp((event) => giveUps.push(event));
  return { policy, retries, giveUps };
}

describe("retry aborts and timers", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("waits the capped exponential schedule", async () => {
    const { policy, retries } = recordedPolicy({
      maxRetries: 6,
      initialDelayMs: 100,
      maxDelayMs: 1000,
      multiplier: 3,
      jitter: 0.5,
      random: () => 0.999,
    });
    const callTimes: number[] = [];
    const start = performance.now();
    const outcome = rejectionOf(
      policy.execute(() => {
        callTimes.push(performance.now() - start);
        throw busy();
      }),
    );
    await vi.runAllTimersAsync();
    await outcome;
    const nominal = [100, 300, 900, 1000, 1000, 1000];
    expect(retries.map((event) => event.delayMs)).toEqual(
      nominal.map((delay) => delay * (1 - 0.5 * 0.999)),
    );
    const gaps = callTimes.slice(1).map((time, index) => {
      return time - (callTimes[index] ?? 0);
    });
    expect(gaps).toHaveLength(nominal.length);
    for (const [index, gap] of gaps.entries()) {
      const delay = (nominal[index] ?? 0) * (1 - 0.5 * 0.999);
      expect(gap).toBeGreaterThanOrEqual(Math.floor(delay));
      expect(gap).toBeLessThanOrEqual(Math.ceil(delay));
    }
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects before the first attempt when already aborted", async () => {
    const budget = createRetryBudget();
    const { policy, giveUps } = recordedPolicy({ budget });
    const controller = new AbortController();
    controller.abort(new Error("caller left"));
    let calls = 0;
    const error = await rejectionOf(
      policy.execute(() => {
        calls += 1;
      }, controller.signal),
    );
    expect(codeOf(error)).toBe("ABORTED");
    expect((error as Error).cause).toBe(controller.signal.reason);
    expect(calls).toBe(0);
    expect(budget.snapshot().calls).toBe(0);
    expect(giveUps).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("passes the attempt's error on when aborted during it", async () => {
    const { policy, retries, giveUps } = recordedPolicy({});
    const controller = new AbortController();
    const attempt = createDeferred<string>();
    const outcome = rejectionOf(
      policy.execute(() => attempt.promise, controller.signal),
    );
    controller.abort(new Error("caller left"));
    const failure = busy();
    attempt.reject(failure);
    expect(await outcome).toBe(failure);
    expect(retries).toEqual([]);
    expect(giveUps.map((event) => [event.reason, event.attempts])).toEqual([
      ["aborted", 1],
    ]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("returns the value of an attempt aborted too late", async () => {
    const { policy } = recordedPolicy({});
    const controller = new AbortController();
    const attempt = createDeferred<string>();
    const result = policy.execute(() => attempt.promise, controller.signal);
    controller.abort();
    attempt.resolve("done");
    await expect(result).resolves.toBe("done");
  });

  it("rejects at once when aborted in a retry listener", async () => {
    const { policy, giveUps } = recordedPolicy({});
    const controller = new AbortController();
    policy.onRetry(() => controller.abort(new Error("enough")));
    let calls = 0;
    const error = await rejectionOf(
      policy.execute(() => {
        calls += 1;
        throw busy();
      }, controller.signal),
    );
    expect(codeOf(error)).toBe("ABORTED");
    expect(calls).toBe(1);
    expect(giveUps.map((event) => event.reason)).toEqual(["aborted"]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects when aborted during the second backoff", async () => {
    const { policy, giveUps } = recordedPolicy({ maxRetries: 5 });
    const controller = new AbortController();
    let calls = 0;
    const outcome = rejectionOf(
      policy.execute(() => {
        calls += 1;
        throw busy();
      }, controller.signal),
    );
    await vi.advanceTimersByTimeAsync(1000 + 1000);
    expect(calls).toBe(2);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort();
    const error = await outcome;
    expect(codeOf(error)).toBe("ABORTED");
    expect(giveUps.map((event) => [event.reason, event.attempts])).toEqual([
      ["aborted", 2],
    ]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("ignores an abort after the call settled", async () => {
    const { policy, giveUps } = recordedPolicy({ maxRetries: 1 });
    const controller = new AbortController();
    const failures: FakeFailure[] = [];
    const outcome = rejectionOf(
      policy.execute(() => {
        const failure = busy();
        failures.push(failure);
        throw failure;
      }, controller.signal),
    );
    await vi.advanceTimersByTimeAsync(1000);
    const error = await outcome;
    controller.abort();
    expect(error).toBe(failures[1]);
    expect(giveUps.map((event) => [event.reason, event.attempts])).toEqual([
      ["max-retries", 2],
    ]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("clears its timer on success and on a permanent error", async () => {
    const { policy } = recordedPolicy({});
    let calls = 0;
    const result = policy.execute(() => {
      calls += 1;
      if (calls === 1) {
        throw busy();
      }
      return "done";
    });
    await vi.advanceTimersByTimeAsync(1000);
    await expect(result).resolves.toBe("done");
    expect(vi.getTimerCount()).toBe(0);
    calls = 0;
    const permanent = policy.execute(() => {
      calls += 1;
      throw calls === 1 ? busy() : new FakeFailure("gone", { status: 404 });
    });
    const settled = rejectionOf(permanent);
    await vi.advanceTimersByTimeAsync(1000);
    expect((await settled) as FakeFailure).toMatchObject({ status: 404 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("reports attempts and cause when the shared budget runs out", async () => {
    const budget = createRetryBudget({ ratio: 0, minRetriesPerSecond: 0.1 });
    const first = recordedPolicy({ name: "first", maxRetries: 5, budget });
    const second = recordedPolicy({ name: "second", maxRetries: 5, budget });
    const failures: FakeFailure[] = [];
    const failing = (): never => {
      const failure = busy();
      failures.push(failure);
      throw failure;
    };
    // The window of 10 s allows one retry, which the first policy takes.
    const outcome = rejectionOf(first.policy.execute(failing));
    await vi.advanceTimersByTimeAsync(1000);
    const firstError = await outcome;
    expect(codeOf(firstError)).toBe("RETRY_BUDGET_EXHAUSTED");
    expect((firstError as Error).cause).toBe(failures[1]);
    expect(
      isResilienceError(firstError) ? firstError.details.attempts : 0,
    ).toBe(2);
    const secondError = await rejectionOf(second.policy.execute(failing));
    expect(codeOf(secondError)).toBe("RETRY_BUDGET_EXHAUSTED");
    expect((secondError as Error).cause).toBe(failures[2]);
    expect(
      isResilienceError(secondError) ? secondError.details.attempts : 0,
    ).toBe(1);
    expect(second.giveUps.map((event) => event.reason)).toEqual([
      "budget-exhausted",
    ]);
    expect(budget.snapshot()).toEqual({
      calls: 2,
      retries: 1,
      allowedRetries: 1,
    });
    expect(vi.getTimerCount()).toBe(0);
  });
});
