import { describe, expect, it, vi } from "vitest";

import { isResilienceError } from "./errors.js";
import type { GiveUpEvent, RetryEvent } from "./events.js";
import { createRetryPolicy } from "./retry.js";
import { createRetryBudget } from "./retry-budget.js";
import {
  codeOf,
  FakeFailure,
  rejectionOf,
  thrownBy,
} from "./test-support/errors.js";

const fast = { initialDelayMs: 1, maxDelayMs: 2, budget: false } as const;

describe("createRetryPolicy", () => {
  it("retries a transient error until the call succeeds", async () => {
    const policy = createRetryPolicy({ ...fast, maxRetries: 3 });
    const retries: RetryEvent[] = [];
    policy.onRetry((event) => retries.push(event));
    let calls = 0;
    const value = await policy.execute(() => {
      calls += 1;
      if (calls < 3) {
        throw new FakeFailure("busy", { status: 503 });
      }
      return "done";
    });
    expect(value).toBe("done");
    expect(calls).toBe(3);
    expect(retries.map((event) => event.attempt)).toEqual([1, 2]);
    expect(retries[0]?.policy).toBe("retry");
  });

  it("passes a non-transient error through at once, unchanged", async () => {
    const policy = createRetryPolicy({ ...fast, maxRetries: 3 });
    const giveUps: GiveUpEvent[] = [];
    policy.onGiveUp((event) => giveUps.push(event));
    const failure = new FakeFailure("bad request", { status: 400 });
    let calls = 0;
    const error = await rejectionOf(
      policy.execute(() => {
        calls += 1;
        throw failure;
      }),
    );
    expect(error).toBe(failure);
    expect(calls).toBe(1);
    expect(giveUps).toEqual([]);
  });

  it("retries only what a custom predicate accepts", async () => {
    const policy = createRetryPolicy({
      ...fast,
      maxRetries: 2,
      isTransient: (error) => (error as FakeFailure).message === "flaky",
    });
    let calls = 0;
    const error = await rejectionOf(
      policy.execute(() => {
        calls += 1;
        throw new FakeFailure(calls === 1 ? "flaky" : "broken", {
          status: 503,
        });
      }),
    );
    expect((error as Error).message).toBe("broken");
    expect(calls).toBe(2);
  });

  it("throws the last error unchanged after the last retry", async () => {
    const policy = createRetryPolicy({ ...fast, maxRetries: 2 });
    const giveUps: GiveUpEvent[] = [];
    policy.onGiveUp((event) => giveUps.push(event));
    const failures: FakeFailure[] = [];
    const error = await rejectionOf(
      policy.execute(() => {
        const failure = new FakeFailure("reset", { code: "ECONNRESET" });
        failures.push(failure);
        throw failure;
      }),
    );
    expect(failures).toHaveLength(3);
    expect(error).toBe(failures[2]);
    expect(giveUps).toHaveLength(1);
    expect(giveUps[0]?.reason).toBe("max-retries");
    expect(giveUps[0]?.attempts).toBe(3);
  });

  it("stops retrying when the budget is exhausted", async () => {
    const budget = createRetryBudget({ ratio: 0.5, minRetriesPerSecond: 0 });
    const policy = createRetryPolicy({
      initialDelayMs: 1,
      maxRetries: 10,
      budget,
    });
    const giveUps: GiveUpEvent[] = [];
    policy.onGiveUp((event) => giveUps.push(event));
    for (let index = 0; index < 4; index++) {
      await policy.execute(() => "ok");
    }

    // Five calls in the window allow 2.5 retries, so two are granted.
    let calls = 0;
    const failure = new FakeFailure("unavailable", { status: 503 });
    const error = await rejectionOf(
      policy.execute(() => {
        calls += 1;
        throw failure;
      }),
    );

    expect(calls).toBe(3);
    expect(codeOf(error)).toBe("RETRY_BUDGET_EXHAUSTED");
    expect((error as Error).cause).toBe(failure);
    expect(giveUps[0]?.reason).toBe("budget-exhausted");
    expect(giveUps[0]?.error).toBe(failure);
    expect(budget.snapshot()).toEqual({
      calls: 5,
      retries: 2,
      allowedRetries: 2.5,
    });
  });

  it("shares one budget between policies", async () => {
    const budget = createRetryBudget({ ratio: 0, minRetriesPerSecond: 0.1 });
    const first = createRetryPolicy({ initialDelayMs: 1, budget });
    const second = createRetryPolicy({ initialDelayMs: 1, budget });
    let calls = 0;
    const fail = (): never => {
      calls += 1;
      throw new FakeFailure("timeout", { code: "ETIMEDOUT" });
    };
    await rejectionOf(first.execute(fail));
    expect(calls).toBe(2);
    await rejectionOf(second.execute(fail));
    expect(calls).toBe(3);
  });

  it("passes the caller's signal to the function", async () => {
    const policy = createRetryPolicy(fast);
    const controller = new AbortController();
    const received = await policy.execute(
      (signal) => signal,
      controller.signal,
    );
    expect(received).toBe(controller.signal);
  });

  it("rejects with ABORTED when the signal fires between attempts", async () => {
    const policy = createRetryPolicy({ ...fast, maxRetries: 5 });
    const controller = new AbortController();
    const giveUps: GiveUpEvent[] = [];
    policy.onGiveUp((event) => giveUps.push(event));
    policy.onRetry(() => {
      controller.abort(new Error("caller left"));
    });
    let calls = 0;
    const error = await rejectionOf(
      policy.execute(() => {
        calls += 1;
        throw new FakeFailure("busy", { status: 429 });
      }, controller.signal),
    );
    expect(calls).toBe(1);
    expect(codeOf(error)).toBe("ABORTED");
    expect((error as Error).cause).toBe(controller.signal.reason);
    expect(giveUps[0]?.reason).toBe("aborted");
  });

  it("returns the attempt's error when the signal fires during it", async () => {
    const policy = createRetryPolicy({ ...fast, maxRetries: 5 });
    const controller = new AbortController();
    const giveUps: GiveUpEvent[] = [];
    policy.onGiveUp((event) => giveUps.push(event));
    const failure = new FakeFailure("busy", { status: 429 });
    let calls = 0;
    const error = await rejectionOf(
      policy.execute(() => {
        calls += 1;
        controller.abort();
        throw failure;
      }, controller.signal),
    );
    expect(calls).toBe(1);
    expect(error).toBe(failure);
    expect(giveUps[0]?.reason).toBe("aborted");
  });

  it("keeps running when a listener throws", async () => {
    const policy = createRetryPolicy({ ...fast, maxRetries: 1 });
    policy.onRetry(() => {
      throw new Error("listener bug");
    });
    let calls = 0;
    const value = await policy.execute(() => {
      calls += 1;
      if (calls === 1) {
        throw new FakeFailure("busy", { status: 503 });
      }
      return calls;
    });
    expect(value).toBe(2);
  });

  it("stops at once when aborted during the backoff", async () => {
    vi.useFakeTimers();
    try {
      const policy = createRetryPolicy({
        initialDelayMs: 10_000,
        jitter: 0,
        budget: false,
      });
      const giveUps: GiveUpEvent[] = [];
      policy.onGiveUp((event) => giveUps.push(event));
      const controller = new AbortController();
      let calls = 0;
      const outcome = rejectionOf(
        policy.execute(() => {
          calls += 1;
          throw new FakeFailure("busy", { status: 503 });
        }, controller.signal),
      );
      await vi.advanceTimersByTimeAsync(5);
      expect(vi.getTimerCount()).toBe(1);
      controller.abort(new Error("caller left"));
      const error = await outcome;
      expect(codeOf(error)).toBe("ABORTED");
      expect((error as Error).cause).toBe(controller.signal.reason);
      expect(calls).toBe(1);
      expect(vi.getTimerCount()).toBe(0);
      expect(giveUps.map((event) => event.reason)).toEqual(["aborted"]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("bounds a retry storm of concurrent callers", async () => {
    const budget = createRetryBudget({ ratio: 0.1, minRetriesPerSecond: 0 });
    const policy = createRetryPolicy({ ...fast, maxRetries: 5, budget });
    let calls = 0;
    const errors = await Promise.all(
      Array.from({ length: 100 }, () =>
        rejectionOf(
          policy.execute(() => {
            calls += 1;
            throw new FakeFailure("busy", { status: 503 });
          }),
        ),
      ),
    );
    // 100 first attempts allow 10 retries in the window, not 500.
    expect(calls).toBe(110);
    expect(budget.snapshot()).toEqual({
      calls: 100,
      retries: 10,
      allowedRetries: 10,
    });
    expect(new Set(errors.map(codeOf))).toEqual(
      new Set(["RETRY_BUDGET_EXHAUSTED"]),
    );
  });

  it("neither retries nor counts non-transient errors", async () => {
    const budget = createRetryBudget();
    const policy = createRetryPolicy({ ...fast, budget });
    let calls = 0;
    for (let index = 0; index < 3; index++) {
      await rejectionOf(
        policy.execute(() => {
          calls += 1;
          throw new FakeFailure("bad request", { status: 400 });
        }),
      );
    }
    expect(calls).toBe(3);
    expect(budget.snapshot().retries).toBe(0);
  });

  it("calls once with maxRetries 0", async () => {
    const policy = createRetryPolicy({ ...fast, maxRetries: 0 });
    let calls = 0;
    await rejectionOf(
      policy.execute(() => {
        calls += 1;
        throw new FakeFailure("busy", { status: 503 });
      }),
    );
    expect(calls).toBe(1);
  });

  it("rejects NaN, infinite and huge options", () => {
    const cases: [string, number][] = [
      ["maxRetries", Number.NaN],
      ["maxRetries", 1e9],
      ["initialDelayMs", Number.POSITIVE_INFINITY],
      ["maxDelayMs", -5],
      ["multiplier", 0.5],
      ["jitter", Number.NaN],
    ];
    for (const [key, value] of cases) {
      const error = thrownBy(() => createRetryPolicy({ [key]: value }));
      const issues = isResilienceError(error) ? error.issues : [];
      expect(issues.map((issue) => issue.path)).toEqual([key]);
      expect(issues[0]?.message).toContain(`(received ${String(value)})`);
    }
  });

  it("reports every invalid option at once", () => {
    const error = thrownBy(() =>
      createRetryPolicy({
        maxRetries: -1,
        jitter: 2,
        budget: { ratio: -0.5 },
        random: 4 as unknown as () => number,
        maxRetrys: 3,
      } as never),
    );
    expect(isResilienceError(error)).toBe(true);
    const issues = isResilienceError(error) ? error.issues : [];
    expect(issues.map((issue) => issue.path)).toEqual([
      "maxRetrys",
      "maxRetries",
      "jitter",
      "random",
      "budget.ratio",
    ]);
    expect(issues[1]?.value).toBe(-1);
    expect(issues[1]?.message).toContain("from 0 to 100");
  });
});
