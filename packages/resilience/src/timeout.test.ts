import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { TimeoutEvent } from "./events.js";
import { isResilienceError } from "./errors.js";
import { codeOf, rejectionOf, thrownBy } from "./test-support/errors.js";
import { createTimeout } from "./timeout.js";

/** Resolves after `ms`, or rejects with the signal's reason when it fires. */
function sleep(ms: number, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      resolve("finished");
    }, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    });
  });
}

describe("createTimeout", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("aborts the signal when the time limit passes", async () => {
    const policy = createTimeout({ timeoutMs: 50 });
    const events: TimeoutEvent[] = [];
    policy.onTimeout((event) => events.push(event));
    let seen: AbortSignal | undefined;
    const outcome = rejectionOf(
      policy.execute((signal) => {
        seen = signal;
        return sleep(1000, signal);
      }),
    );
    await vi.advanceTimersByTimeAsync(49);
    expect(seen?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(seen?.aborted).toBe(true);
    expect(codeOf(seen?.reason)).toBe("TIMEOUT");
    // The work rejected with the signal's reason, which is passed on as is.
    expect(error).toBe(seen?.reason);
    expect((error as Error).cause).toBeUndefined();
    expect(events).toEqual([{ policy: "timeout", timeoutMs: 50 }]);
  });

  it("returns the value of work that finishes in time", async () => {
    const policy = createTimeout({ timeoutMs: 100 });
    const outcome = policy.execute((signal) => sleep(60, signal));
    await vi.advanceTimersByTimeAsync(60);
    await expect(outcome).resolves.toBe("finished");
  });

  it("returns a partial value that work resolves after the signal", async () => {
    const policy = createTimeout({ timeoutMs: 10 });
    const outcome = policy.execute(
      (signal) =>
        new Promise<string>((resolve) => {
          signal.addEventListener("abort", () => {
            resolve("partial");
          });
        }),
    );
    await vi.advanceTimersByTimeAsync(10);
    await expect(outcome).resolves.toBe("partial");
  });

  it("rejects on time when work ignores the signal", async () => {
    const policy = createTimeout({ timeoutMs: 10 });
    let settled = false;
    let finished = false;
    const outcome = rejectionOf(
      policy.execute(async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        finished = true;
        throw new Error("late failure");
      }),
    ).finally(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(settled).toBe(false);
    // The call waits one event-loop turn, which fake timers run on the
    // next advance, for work that honours the signal.
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true);
    const error = await outcome;
    expect(codeOf(error)).toBe("TIMEOUT");
    expect((error as Error).cause).toBeUndefined();
    // The late failure is dropped; vitest fails the run on an unhandled
    // rejection.
    await vi.advanceTimersByTimeAsync(100);
    expect(finished).toBe(true);
  });

  it("drops the late value of work that ignores the signal", async () => {
    const policy = createTimeout({ timeoutMs: 10 });
    const outcome = rejectionOf(
      policy.execute(
        () => new Promise((resolve) => setTimeout(resolve, 100, "late")),
      ),
    );
    await vi.advanceTimersByTimeAsync(11);
    expect(codeOf(await outcome)).toBe("TIMEOUT");
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("reports the shorter of nested timeouts", async () => {
    const outer = createTimeout({ name: "outer", timeoutMs: 20 });
    const inner = createTimeout({ name: "inner", timeoutMs: 1000 });
    const hangs = () => new Promise<never>(() => undefined);
    const outcome = rejectionOf(
      outer.execute((signal) => inner.execute(hangs, signal)),
    );
    await vi.advanceTimersByTimeAsync(21);
    const error = await outcome;
    expect(codeOf(error)).toBe("TIMEOUT");
    expect(isResilienceError(error) ? error.details.policy : "").toBe("outer");
    expect(codeOf((error as Error).cause)).toBe("ABORTED");
    expect(vi.getTimerCount()).toBe(0);

    const shortInner = createTimeout({ name: "inner", timeoutMs: 5 });
    const second = rejectionOf(
      createTimeout({ timeoutMs: 1000 }).execute((signal) =>
        shortInner.execute(hangs, signal),
      ),
    );
    await vi.advanceTimersByTimeAsync(6);
    const innerError = await second;
    expect(isResilienceError(innerError) ? innerError.details.policy : "").toBe(
      "inner",
    );
  });

  it("rejects with ABORTED when the caller aborts work that ignores it", async () => {
    const policy = createTimeout({ timeoutMs: 1000 });
    const controller = new AbortController();
    const reason = new Error("caller left");
    const outcome = rejectionOf(
      policy.execute(() => new Promise(() => undefined), controller.signal),
    );
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(codeOf(error)).toBe("ABORTED");
    expect((error as Error).cause).toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects zero, negative and fractional limits", () => {
    for (const timeoutMs of [0, -1, 1.5, Number.NaN]) {
      const error = thrownBy(() => createTimeout({ timeoutMs }));
      expect(codeOf(error)).toBe("INVALID_OPTIONS");
      expect((error as Error).message).toContain(
        "timeoutMs must be an integer",
      );
    }
  });

  it("passes the caller's abort reason on instead of a timeout", async () => {
    const policy = createTimeout({ timeoutMs: 1000 });
    const events: TimeoutEvent[] = [];
    policy.onTimeout((event) => events.push(event));
    const controller = new AbortController();
    const reason = new Error("caller left");
    const outcome = rejectionOf(
      policy.execute((signal) => sleep(5000, signal), controller.signal),
    );
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(reason);
    expect(await outcome).toBe(reason);
    expect(events).toEqual([]);
  });

  it("rejects with ABORTED when the signal fired before the call", async () => {
    const policy = createTimeout({ timeoutMs: 1000 });
    const controller = new AbortController();
    controller.abort();
    let called = false;
    const error = await rejectionOf(
      policy.execute(() => {
        called = true;
      }, controller.signal),
    );
    expect(called).toBe(false);
    expect(codeOf(error)).toBe("ABORTED");
  });
});
