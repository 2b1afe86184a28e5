import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { createCircuitBreaker } from "./circuit-breaker.js";
import { isResilienceError } from "./errors.js";
import type { BreakEvent } from "./events.js";
import {
  codeOf,
  FakeFailure,
  rejectionOf,
  thrownBy,
} from "./test-support/errors.js";
import { createTimeout } from "./timeout.js";

const unavailable = (): never => {
  throw new FakeFailure("unavailable", { status: 503 });
};

/** Creates a dependency whose calls hang until the test settles them. */
function hangingDependency() {
  let calls = 0;
  let settle:
    | { resolve: (value: string) => void; reject: (error: unknown) => void }
    | undefined;
  const call = (): Promise<string> => {
    calls += 1;
    return new Promise<string>((resolve, reject) => {
      settle = { resolve, reject };
    });
  };
  return {
    call,
    calls: () => calls,
    resolve: (value: string) => settle?.resolve(value),
    reject: (error: unknown) => settle?.reject(error),
  };
}

describe("createCircuitBreaker", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("opens after consecutive transient failures", async () => {
    const breaker = createCircuitBreaker({
      consecutiveFailures: 3,
      halfOpenAfterMs: 1000,
    });
    const breaks: BreakEvent[] = [];
    breaker.onBreak((event) => breaks.push(event));
    for (let index = 0; index < 3; index++) {
      await rejectionOf(breaker.execute(unavailable));
    }
    expect(breaker.state).toBe("open");
    expect(breaks).toHaveLength(1);
    expect(breaks[0]?.halfOpenAfterMs).toBe(1000);
    expect((breaks[0]?.error as FakeFailure).status).toBe(503);
    let reached = false;
    const error = await rejectionOf(
      breaker.execute(() => {
        reached = true;
      }),
    );
    expect(reached).toBe(false);
    expect(codeOf(error)).toBe("CIRCUIT_OPEN");
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(
      isResilienceError(error) ? error.details.retryAfterMs : undefined,
    ).toBe(1000);
  });

  it("ignores non-transient errors", async () => {
    const breaker = createCircuitBreaker({ consecutiveFailures: 2 });
    const failure = new FakeFailure("bad request", { status: 400 });
    for (let index = 0; index < 5; index++) {
      const error = await rejectionOf(
        breaker.execute(() => {
          throw failure;
        }),
      );
      expect(error).toBe(failure);
    }
    expect(breaker.state).toBe("closed");
  });

  it("lets exactly one call probe while the half-open probe hangs", async () => {
    const breaker = createCircuitBreaker({
      consecutiveFailures: 2,
      halfOpenAfterMs: 1000,
    });
    let halfOpens = 0;
    breaker.onHalfOpen(() => {
      halfOpens += 1;
    });
    await rejectionOf(breaker.execute(unavailable));
    await rejectionOf(breaker.execute(unavailable));
    const dependency = hangingDependency();
    expect(codeOf(await rejectionOf(breaker.execute(dependency.call)))).toBe(
      "CIRCUIT_OPEN",
    );
    expect(dependency.calls()).toBe(0);

    vi.advanceTimersByTime(1000);
    const probe = breaker.execute(dependency.call);
    expect(breaker.state).toBe("half-open");
    const others = await Promise.all(
      [1, 2, 3].map(() => rejectionOf(breaker.execute(dependency.call))),
    );
    expect(others.map(codeOf)).toEqual([
      "CIRCUIT_OPEN",
      "CIRCUIT_OPEN",
      "CIRCUIT_OPEN",
    ]);
    expect(dependency.calls()).toBe(1);
    expect(halfOpens).toBe(1);

    dependency.resolve("recovered");
    await expect(probe).resolves.toBe("recovered");
  });

  it("re-opens after a failed probe and schedules the next one", async () => {
    const breaker = createCircuitBreaker({
      consecutiveFailures: 1,
      halfOpenAfterMs: 1000,
      maxHalfOpenAfterMs: 3000,
    });
    const breaks: BreakEvent[] = [];
    breaker.onBreak((event) => breaks.push(event));
    let halfOpens = 0;
    breaker.onHalfOpen(() => {
      halfOpens += 1;
    });
    await rejectionOf(breaker.execute(unavailable));
    vi.advanceTimersByTime(1000);
    const probeError = await rejectionOf(breaker.execute(unavailable));
    expect((probeError as FakeFailure).status).toBe(503);
    expect(breaker.state).toBe("open");
    expect(breaks.map((event) => event.halfOpenAfterMs)).toEqual([1000, 2000]);

    let calls = 0;
    const count = (): string => {
      calls += 1;
      return "ok";
    };
    vi.advanceTimersByTime(1999);
    expect(codeOf(await rejectionOf(breaker.execute(count)))).toBe(
      "CIRCUIT_OPEN",
    );
    expect(calls).toBe(0);
    vi.advanceTimersByTime(1);
    await expect(breaker.execute(count)).resolves.toBe("ok");
    expect(calls).toBe(1);
    expect(halfOpens).toBe(2);
  });

  it("caps the growing half-open delay", async () => {
    const breaker = createCircuitBreaker({
      consecutiveFailures: 1,
      halfOpenAfterMs: 1000,
      maxHalfOpenAfterMs: 3000,
    });
    const delays: (number | undefined)[] = [];
    breaker.onBreak((event) => delays.push(event.halfOpenAfterMs));
    await rejectionOf(breaker.execute(unavailable));
    for (const wait of [1000, 2000, 3000]) {
      vi.advanceTimersByTime(wait);
      await rejectionOf(breaker.execute(unavailable));
    }
    expect(delays).toEqual([1000, 2000, 3000, 3000]);
  });

  it("closes once the dependency recovers", async () => {
    const breaker = createCircuitBreaker({
      consecutiveFailures: 2,
      halfOpenAfterMs: 500,
    });
    let resets = 0;
    breaker.onReset(() => {
      resets += 1;
    });
    await rejectionOf(breaker.execute(unavailable));
    await rejectionOf(breaker.execute(unavailable));
    vi.advanceTimersByTime(500);
    await expect(breaker.execute(() => "probe")).resolves.toBe("probe");
    expect(breaker.state).toBe("closed");
    expect(resets).toBe(1);
    await expect(breaker.execute(() => "next")).resolves.toBe("next");
    // The count starts over: one failure does not open it again.
    await rejectionOf(breaker.execute(unavailable));
    expect(breaker.state).toBe("closed");
  });

  it("opens on the failure ratio once throughput is reached", async () => {
    const breaker = createCircuitBreaker({
      sampling: { failureRatio: 0.5, windowMs: 10_000, minThroughput: 6 },
      halfOpenAfterMs: 1000,
    });
    for (let index = 0; index < 2; index++) {
      await breaker.execute(() => "ok");
    }
    for (let index = 0; index < 3; index++) {
      await rejectionOf(breaker.execute(unavailable));
    }
    // Five calls are below the minimum throughput of six.
    expect(breaker.state).toBe("closed");
    await rejectionOf(breaker.execute(unavailable));
    expect(breaker.state).toBe("open");
  });

  it("stays closed while failures are at most the ratio", async () => {
    const breaker = createCircuitBreaker({
      sampling: { failureRatio: 0.5, windowMs: 10_000, minThroughput: 4 },
    });
    for (let index = 0; index < 10; index++) {
      await breaker.execute(() => "ok");
      await rejectionOf(breaker.execute(unavailable));
    }
    expect(breaker.state).toBe("closed");
  });

  it("forgets sampled failures after the window", async () => {
    const breaker = createCircuitBreaker({
      sampling: { failureRatio: 0.5, windowMs: 5_000, minThroughput: 4 },
    });
    for (let index = 0; index < 3; index++) {
      await rejectionOf(breaker.execute(unavailable));
    }
    vi.advanceTimersByTime(6_000);
    await breaker.execute(() => "ok");
    await rejectionOf(breaker.execute(unavailable));
    expect(breaker.state).toBe("closed");
  });

  it("rejects calls while isolated", async () => {
    const breaker = createCircuitBreaker();
    const handle = breaker.isolate();
    const error = await rejectionOf(breaker.execute(() => "ok"));
    expect(codeOf(error)).toBe("CIRCUIT_OPEN");
    expect(isResilienceError(error) ? error.details.isolated : false).toBe(
      true,
    );
    handle.dispose();
    await expect(breaker.execute(() => "ok")).resolves.toBe("ok");
  });

  it("ignores a stale failure while the probe runs", async () => {
    const breaker = createCircuitBreaker({
      consecutiveFailures: 2,
      halfOpenAfterMs: 1000,
    });
    const events: string[] = [];
    breaker.onAny((name) => events.push(name));
    const stale = hangingDependency();
    const staleCall = rejectionOf(breaker.execute(stale.call));
    await rejectionOf(breaker.execute(unavailable));
    await rejectionOf(breaker.execute(unavailable));
    vi.advanceTimersByTime(1000);
    const probe = hangingDependency();
    const probeCall = breaker.execute(probe.call);

    stale.reject(new FakeFailure("late", { status: 503 }));
    await staleCall;
    expect(breaker.state).toBe("half-open");
    probe.resolve("recovered");
    await expect(probeCall).resolves.toBe("recovered");
    expect(breaker.state).toBe("closed");
    expect(events).toEqual(["break", "half-open", "reset"]);
  });

  it("lets one of 50 concurrent calls probe", async () => {
    const breaker = createCircuitBreaker({
      consecutiveFailures: 1,
      halfOpenAfterMs: 1000,
    });
    await rejectionOf(breaker.execute(unavailable));
    vi.advanceTimersByTime(1000);
    const dependency = hangingDependency();
    const calls = Array.from({ length: 50 }, () =>
      breaker.execute(dependency.call).then(
        (value) => value,
        (error: unknown) => error,
      ),
    );
    dependency.resolve("recovered");
    const outcomes = await Promise.all(calls);
    expect(dependency.calls()).toBe(1);
    expect(outcomes[0]).toBe("recovered");
    const rejected = outcomes.slice(1);
    expect(rejected.map(codeOf)).toEqual(Array(49).fill("CIRCUIT_OPEN"));
    expect(
      rejected.every(
        (error) =>
          isResilienceError(error) && error.details.state === "half-open",
      ),
    ).toBe(true);
  });

  it("returns to open when the caller aborts the probe", async () => {
    const breaker = createCircuitBreaker({
      consecutiveFailures: 1,
      halfOpenAfterMs: 1000,
    });
    const events: string[] = [];
    breaker.onAny((name) => events.push(name));
    await rejectionOf(breaker.execute(unavailable));
    vi.advanceTimersByTime(1000);
    const controller = new AbortController();
    const reason = new Error("caller left");
    const probe = rejectionOf(
      breaker.execute(
        (signal) =>
          new Promise((_, reject) => {
            signal.addEventListener("abort", () => {
              reject(signal.reason as Error);
            });
          }),
        controller.signal,
      ),
    );
    controller.abort(reason);
    expect(await probe).toBe(reason);
    expect(breaker.state).toBe("open");
    expect(events).toEqual(["break", "half-open"]);

    let probed = false;
    await breaker.execute(() => {
      probed = true;
    });
    expect(probed).toBe(true);
    expect(breaker.state).toBe("closed");
  });

  it("re-opens when a hanging probe times out", async () => {
    const breaker = createCircuitBreaker({
      consecutiveFailures: 1,
      halfOpenAfterMs: 1000,
    });
    const limit = createTimeout({ timeoutMs: 50 });
    const breaks: BreakEvent[] = [];
    breaker.onBreak((event) => breaks.push(event));
    await rejectionOf(breaker.execute(unavailable));
    vi.advanceTimersByTime(1000);
    const ignoresSignal = hangingDependency();
    const probe = rejectionOf(
      breaker.execute((signal) => limit.execute(ignoresSignal.call, signal)),
    );
    // The timeout rejects one event-loop turn after the limit, which fake
    // timers run on the next advance.
    await vi.advanceTimersByTimeAsync(51);
    expect(codeOf(await probe)).toBe("TIMEOUT");
    expect(breaker.state).toBe("open");
    expect(breaks).toHaveLength(2);
    expect(breaks[1]?.halfOpenAfterMs).toBe(1000);
  });

  it("ignores the probe's outcome after isolate", async () => {
    const breaker = createCircuitBreaker({
      consecutiveFailures: 2,
      halfOpenAfterMs: 1000,
    });
    const events: string[] = [];
    breaker.onAny((name) => events.push(name));
    await rejectionOf(breaker.execute(unavailable));
    await rejectionOf(breaker.execute(unavailable));
    vi.advanceTimersByTime(1000);
    const dependency = hangingDependency();
    const probe = rejectionOf(breaker.execute(dependency.call));
    const handle = breaker.isolate();
    const second = breaker.isolate();
    dependency.reject(new FakeFailure("down", { status: 503 }));
    await probe;
    expect(breaker.state).toBe("isolated");

    handle.dispose();
    handle.dispose();
    expect(breaker.state).toBe("isolated");
    second.dispose();
    expect(breaker.state).toBe("closed");
    expect(events).toEqual(["break", "half-open", "break", "reset"]);
    // The failures from before the isolation no longer count.
    await rejectionOf(breaker.execute(unavailable));
    expect(breaker.state).toBe("closed");
  });

  it("needs minThroughput calls before the ratio opens", async () => {
    const breaker = createCircuitBreaker({
      sampling: { failureRatio: 0.5, windowMs: 10_000, minThroughput: 4 },
    });
    await breaker.execute(() => "ok");
    await rejectionOf(breaker.execute(unavailable));
    await rejectionOf(breaker.execute(unavailable));
    expect(breaker.state).toBe("closed");
    await rejectionOf(breaker.execute(unavailable));
    expect(breaker.state).toBe("open");
  });

  it("forgets a failure once its slice leaves the window", async () => {
    const breaker = createCircuitBreaker({
      sampling: { failureRatio: 0.5, windowMs: 1000, minThroughput: 2 },
    });
    vi.setSystemTime(0);
    await rejectionOf(breaker.execute(unavailable));
    // The slice of time 0 ends at 100 ms and leaves the window at 1000 ms.
    vi.setSystemTime(999);
    await breaker.execute(() => "ok");
    vi.setSystemTime(1000);
    await rejectionOf(breaker.execute(unavailable));
    expect(breaker.state).toBe("closed");
    await rejectionOf(breaker.execute(unavailable));
    expect(breaker.state).toBe("open");
  });

  it("reports invalid options with their paths", () => {
    const error = thrownBy(() =>
      createCircuitBreaker({
        consecutiveFailures: 0,
        sampling: { failureRatio: 1, minThroughput: 0.5 },
        halfOpenAfterMs: 5000,
        maxHalfOpenAfterMs: 1000,
      }),
    );
    const paths = isResilienceError(error)
      ? error.issues.map((issue) => issue.path)
      : [];
    expect(paths).toEqual([
      "sampling.failureRatio",
      "sampling.minThroughput",
      "consecutiveFailures",
      "maxHalfOpenAfterMs",
    ]);
  });
});
