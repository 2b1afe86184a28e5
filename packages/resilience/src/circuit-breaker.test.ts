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
