import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { CircuitState } from "cockatiel";

import { createBreaker } from "./breakers.js";
import { createCircuitBreaker } from "./circuit-breaker.js";
import { isResilienceError } from "./errors.js";
import type { ResilienceLogger } from "./events.js";
import { createDeferred, type Deferred } from "./test-support/deferred.js";
import { codeOf, FakeFailure, rejectionOf } from "./test-support/errors.js";

const unavailable = (): never => {
  throw new FakeFailure("unavailable", { status: 503 });
};

const badRequest = (): never => {
  throw new FakeFailure("bad request", { status: 400 });
};

/** Records every event of a breaker as `name` or `name:isolated`. */
function recordEvents(breaker: ReturnType<typeof createCircuitBreaker>) {
  const events: string[] = [];
  breaker.onAny((name, event) => {
    const isolated = "isolated" in event && event.isolated ? ":isolated" : "";
    events.push(`${name}${isolated}`);
  });
  return events;
}

/** Starts a call that hangs until the test settles its deferred. */
function startHanging(breaker: ReturnType<typeof createCircuitBreaker>) {
  const deferred: Deferred<string> = createDeferred<string>();
  const result = breaker.execute(() => deferred.promise);
  // Handled here so a call that the test ignores leaves no rejection.
  const settled = result.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return { deferred, settled };
}

describe("circuit breaker transitions", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("clears consecutive failures after a non-transient probe", async () => {
    const breaker = createCircuitBreaker({
      consecutiveFailures: 3,
      halfOpenAfterMs: 100,
    });
    const events = recordEvents(breaker);
    for (let index = 0; index < 3; index++) {
      await rejectionOf(breaker.execute(unavailable));
    }
    vi.advanceTimersByTime(100);
    await rejectionOf(breaker.execute(badRequest));
    expect(breaker.state).toBe("closed");
    await rejectionOf(breaker.execute(unavailable));
    await rejectionOf(breaker.execute(unavailable));
    expect(breaker.state).toBe("closed");
    await rejectionOf(breaker.execute(unavailable));
    expect(breaker.state).toBe("open");
    expect(events).toEqual(["break", "half-open", "reset", "break"]);
  });

  it("clears the sampling window after a non-transient probe", async () => {
    const breaker = createCircuitBreaker({
      sampling: { failureRatio: 0.5, windowMs: 10_000, minThroughput: 4 },
      halfOpenAfterMs: 100,
    });
    for (let index = 0; index < 4; index++) {
      await rejectionOf(breaker.execute(unavailable));
    }
    expect(breaker.state).toBe("open");
    vi.advanceTimersByTime(100);
    await rejectionOf(breaker.execute(badRequest));
    expect(breaker.state).toBe("closed");
    await rejectionOf(breaker.execute(unavailable));
    expect(breaker.state).toBe("closed");
  });

  it("keeps its delay when the system clock moves back", async () => {
    const breaker = createCircuitBreaker({
      consecutiveFailures: 1,
      halfOpenAfterMs: 1000,
    });
    await rejectionOf(breaker.execute(unavailable));
    vi.setSystemTime(Date.now() - 3_600_000);
    const early = await rejectionOf(breaker.execute(() => "ok"));
    expect(isResilienceError(early) ? early.details.retryAfterMs : -1).toBe(
      1000,
    );
    vi.advanceTimersByTime(1000);
    await expect(breaker.execute(() => "ok")).resolves.toBe("ok");
    expect(breaker.state).toBe("closed");
  });

  it("keeps its delay when the system clock moves forward", async () => {
    const breaker = createCircuitBreaker({
      consecutiveFailures: 1,
      halfOpenAfterMs: 1000,
    });
    await rejectionOf(breaker.execute(unavailable));
    vi.setSystemTime(Date.now() + 3_600_000);
    expect(codeOf(await rejectionOf(breaker.execute(() => "ok")))).toBe(
      "CIRCUIT_OPEN",
    );
    expect(breaker.state).toBe("open");
  });

  it("follows many interleaved callers through a full cycle", async () => {
    const breaker = createCircuitBreaker({
      consecutiveFailures: 3,
      halfOpenAfterMs: 1000,
    });
    const events = recordEvents(breaker);
    // 20 calls start while closed and settle in later states.
    const slow = Array.from({ length: 20 }, () => startHanging(breaker));
    for (let index = 0; index < 3; index++) {
      await rejectionOf(breaker.execute(unavailable));
    }
    expect(breaker.state).toBe("open");
    for (const [index, call] of slow.slice(0, 10).entries()) {
      if (index % 2 === 0) {
        call.deferred.resolve("late");
      } else {
        call.deferred.reject(new FakeFailure("late", { status: 503 }));
      }
    }
    await Promise.all(slow.slice(0, 10).map((call) => call.settled));
    expect(breaker.state).toBe("open");

    vi.advanceTimersByTime(1000);
    const probe = startHanging(breaker);
    expect(breaker.state).toBe("half-open");
    let reached = 0;
    const rejected = await Promise.all(
      Array.from({ length: 30 }, () =>
        rejectionOf(
          breaker.execute(() => {
            reached += 1;
          }),
        ),
      ),
    );
    expect(reached).toBe(0);
    expect(rejected.map(codeOf)).toEqual(Array(30).fill("CIRCUIT_OPEN"));
    // Calls from the closed state fail during the probe and change nothing.
    for (const call of slow.slice(10)) {
      call.deferred.reject(new FakeFailure("late", { status: 503 }));
    }
    await Promise.all(slow.slice(10).map((call) => call.settled));
    expect(breaker.state).toBe("half-open");

    probe.deferred.resolve("recovered");
    await expect(probe.settled).resolves.toEqual({
      ok: true,
      value: "recovered",
    });
    expect(breaker.state).toBe("closed");
    expect(events).toEqual(["break", "half-open", "reset"]);
  });

  it("reopens with a longer delay after a failed probe", async () => {
    const breaker = createCircuitBreaker({
      consecutiveFailures: 2,
      halfOpenAfterMs: 100,
      maxHalfOpenAfterMs: 1000,
    });
    const delays: (number | undefined)[] = [];
    breaker.onBreak((event) => delays.push(event.halfOpenAfterMs));
    const events = recordEvents(breaker);
    await rejectionOf(breaker.execute(unavailable));
    await rejectionOf(breaker.execute(unavailable));
    for (const delay of [100, 200, 400, 800, 1000]) {
      vi.advanceTimersByTime(delay - 1);
      expect(codeOf(await rejectionOf(breaker.execute(() => "ok")))).toBe(
        "CIRCUIT_OPEN",
      );
      vi.advanceTimersByTime(1);
      await rejectionOf(breaker.execute(unavailable));
    }
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
    vi.advanceTimersByTime(1000);
    await breaker.execute(() => "ok");
    expect(events).toEqual([
      ...Array.from({ length: 5 }, () => ["break", "half-open"]).flat(),
      "break",
      "half-open",
      "reset",
    ]);
    // The delay starts again from halfOpenAfterMs after closing.
    await rejectionOf(breaker.execute(unavailable));
    await rejectionOf(breaker.execute(unavailable));
    expect(delays.at(-1)).toBe(100);
  });

  it("emits each transition once when listeners throw", async () => {
    const warnings: unknown[] = [];
    const logger: ResilienceLogger = {
      info: () => undefined,
      warn: (fields) => warnings.push(fields.event),
    };
    const breaker = createCircuitBreaker({
      consecutiveFailures: 1,
      halfOpenAfterMs: 100,
      logger,
    });
    breaker.onAny(() => {
      throw new Error("listener failed");
    });
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    breaker.onBreak(() => Promise.reject(new Error("async listener failed")));
    const events = recordEvents(breaker);
    await rejectionOf(breaker.execute(unavailable));
    vi.advanceTimersByTime(100);
    await rejectionOf(breaker.execute(unavailable));
    vi.advanceTimersByTime(200);
    await expect(breaker.execute(() => "ok")).resolves.toBe("ok");
    await Promise.resolve();
    expect(events).toEqual([
      "break",
      "half-open",
      "break",
      "half-open",
      "reset",
    ]);
    expect(warnings.filter((name) => name === "break")).toHaveLength(4);
    expect(warnings.filter((name) => name === "half-open")).toHaveLength(2);
    expect(warnings.filter((name) => name === "reset")).toHaveLength(1);
    expect(breaker.state).toBe("closed");
  });

  it("holds isolation over a probe and clears counts on release", async () => {
    const breaker = createCircuitBreaker({
      consecutiveFailures: 2,
      halfOpenAfterMs: 100,
    });
    const events = recordEvents(breaker);
    await rejectionOf(breaker.execute(unavailable));
    await rejectionOf(breaker.execute(unavailable));
    vi.advanceTimersByTime(100);
    const probe = startHanging(breaker);
    const first = breaker.isolate();
    const second = breaker.isolate();
    expect(breaker.state).toBe("isolated");
    probe.deferred.reject(new FakeFailure("probe failed", { status: 503 }));
    await probe.settled;
    expect(breaker.state).toBe("isolated");
    vi.advanceTimersByTime(10_000);
    first.dispose();
    first.dispose();
    expect(breaker.state).toBe("isolated");
    expect(codeOf(await rejectionOf(breaker.execute(() => "ok")))).toBe(
      "CIRCUIT_OPEN",
    );
    second.dispose();
    expect(breaker.state).toBe("closed");
    await rejectionOf(breaker.execute(unavailable));
    expect(breaker.state).toBe("closed");
    expect(events).toEqual(["break", "half-open", "break:isolated", "reset"]);
  });

  it("ignores a handle disposed after a new isolation", () => {
    const breaker = createCircuitBreaker({ consecutiveFailures: 1 });
    const old = breaker.isolate();
    old.dispose();
    const current = breaker.isolate();
    old.dispose();
    expect(breaker.state).toBe("isolated");
    current.dispose();
    expect(breaker.state).toBe("closed");
  });

  it("forgets failures after an idle period of whole windows", async () => {
    const breaker = createCircuitBreaker({
      sampling: { failureRatio: 0.5, windowMs: 1000, minThroughput: 3 },
    });
    await rejectionOf(breaker.execute(unavailable));
    await rejectionOf(breaker.execute(unavailable));
    // The same slice position comes round again after each whole window.
    for (const idleMs of [1000, 5000, 60_000]) {
      vi.advanceTimersByTime(idleMs);
      await rejectionOf(breaker.execute(unavailable));
      expect(breaker.state).toBe("closed");
      await breaker.execute(() => "ok");
      await breaker.execute(() => "ok");
    }
  });

  it("keeps its sampling state bounded over 100,000 calls", () => {
    const breaker = createBreaker(5, {
      failureRatio: 0.5,
      windowMs: 1000,
      minThroughput: 10,
    });
    for (let index = 0; index < 100_000; index++) {
      if (index % 3 === 0) {
        breaker.failure(CircuitState.Closed);
      } else {
        breaker.success(CircuitState.Closed);
      }
      vi.advanceTimersByTime(1);
    }
    const [consecutive, slices] = breaker.state as [number, unknown[]];
    // The last call, number 99,999, failed.
    expect(consecutive).toBe(1);
    expect(slices).toHaveLength(10);
  });

  it("settles 100,000 calls through every state", async () => {
    const breaker = createCircuitBreaker({
      consecutiveFailures: 3,
      halfOpenAfterMs: 10,
    });
    const events = recordEvents(breaker);
    let settled = 0;
    // Stack traces are most of the cost of 100,000 rejections.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      for (let index = 0; index < 100_000; index++) {
        const fail = index % 7 < 3;
        await breaker.execute(fail ? unavailable : () => "ok").then(
          () => undefined,
          () => undefined,
        );
        settled += 1;
        if (index % 50 === 0) {
          vi.advanceTimersByTime(10);
        }
      }
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    expect(settled).toBe(100_000);
    // A break is followed by half-open, and half-open by break or reset.
    const allowedNext: Record<string, string[]> = {
      break: ["half-open"],
      "half-open": ["break", "reset"],
      reset: ["break"],
    };
    expect(events[0]).toBe("break");
    expect(events.length).toBeGreaterThan(100);
    for (let index = 1; index < events.length; index++) {
      const previous = events[index - 1] ?? "";
      expect(allowedNext[previous]).toContain(events[index]);
    }
  });
});

describe("circuit breaker with real timers", () => {
  it("lets a call probe after halfOpenAfterMs", async () => {
    const breaker = createCircuitBreaker({
      consecutiveFailures: 1,
      halfOpenAfterMs: 20,
    });
    await rejectionOf(breaker.execute(unavailable));
    const error = await rejectionOf(breaker.execute(() => "ok"));
    const retryAfterMs = isResilienceError(error)
      ? Number(error.details.retryAfterMs)
      : Number.NaN;
    expect(Number.isInteger(retryAfterMs)).toBe(true);
    expect(retryAfterMs).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, retryAfterMs + 5));
    await expect(breaker.execute(() => "ok")).resolves.toBe("ok");
    expect(breaker.state).toBe("closed");
  });
});
