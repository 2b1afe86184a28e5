import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { isResilienceError } from "./errors.js";
import { codeOf, rejectionOf } from "./test-support/errors.js";
import { createTimeout } from "./timeout.js";

/** Rejects with the signal's reason as soon as it fires. */
function honour(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener("abort", () => {
      reject(signal.reason as Error);
    });
  });
}

describe("timeout grace period", () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };

  beforeEach(() => {
    unhandled.length = 0;
    process.on("unhandledRejection", onUnhandled);
    vi.useFakeTimers();
  });

  afterEach(async () => {
    vi.useRealTimers();
    // Unhandled rejections are reported after the microtask queue drains.
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", onUnhandled);
    expect(unhandled).toEqual([]);
  });

  it("returns a value resolved exactly at the limit", async () => {
    const timeout = createTimeout({ timeoutMs: 100 });
    const result = timeout.execute(
      () => new Promise((resolve) => setTimeout(resolve, 100, "on time")),
    );
    await vi.advanceTimersByTimeAsync(100);
    await expect(result).resolves.toBe("on time");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rethrows its own reason without wrapping it", async () => {
    const timeout = createTimeout({ name: "encode", timeoutMs: 100 });
    let seen: AbortSignal | undefined;
    const outcome = rejectionOf(
      timeout.execute((signal) => {
        seen = signal;
        return honour(signal);
      }),
    );
    await vi.advanceTimersByTimeAsync(100);
    const error = await outcome;
    expect(error).toBe(seen?.reason);
    expect(codeOf(error)).toBe("TIMEOUT");
    expect((error as Error).cause).toBeUndefined();
  });

  it("wraps a different error of work that honours the signal", async () => {
    const timeout = createTimeout({ timeoutMs: 100 });
    const failure = new Error("socket closed");
    const outcome = rejectionOf(
      timeout.execute((signal) =>
        honour(signal).catch(() => Promise.reject(failure)),
      ),
    );
    await vi.advanceTimersByTimeAsync(100);
    const error = await outcome;
    expect(codeOf(error)).toBe("TIMEOUT");
    expect((error as Error).cause).toBe(failure);
  });

  it("rejects without a cause when work settles after the grace", async () => {
    const timeout = createTimeout({ timeoutMs: 100 });
    const outcome = rejectionOf(
      timeout.execute(
        (signal) =>
          new Promise((_, reject) => {
            signal.addEventListener("abort", () => {
              setTimeout(reject, 1, new Error("late"));
            });
          }),
      ),
    );
    // Fake timers run the grace turn (setImmediate) on the next advance.
    await vi.advanceTimersByTimeAsync(100);
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(codeOf(error)).toBe("TIMEOUT");
    expect((error as Error).cause).toBeUndefined();
    // The late rejection is dropped without an unhandled rejection.
    await vi.advanceTimersByTimeAsync(5);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("reports the outer limit of nested timeouts once", async () => {
    const outer = createTimeout({ name: "outer", timeoutMs: 50 });
    const inner = createTimeout({ name: "inner", timeoutMs: 1000 });
    const outcome = rejectionOf(
      outer.execute((signal) => inner.execute(honour, signal)),
    );
    await vi.advanceTimersByTimeAsync(50);
    const error = await outcome;
    expect(codeOf(error)).toBe("TIMEOUT");
    expect(isResilienceError(error) ? error.details.policy : "").toBe("outer");
    expect((error as Error).cause).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("starts nothing when the caller's signal already fired", async () => {
    const timeout = createTimeout({ timeoutMs: 100 });
    const timeouts: unknown[] = [];
    timeout.onTimeout((event) => timeouts.push(event));
    const controller = new AbortController();
    controller.abort(new Error("caller left"));
    let calls = 0;
    const error = await rejectionOf(
      timeout.execute(() => {
        calls += 1;
      }, controller.signal),
    );
    expect(codeOf(error)).toBe("ABORTED");
    expect((error as Error).cause).toBe(controller.signal.reason);
    expect(calls).toBe(0);
    expect(timeouts).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("leaves no timer or rejection behind in any ending", async () => {
    const timeout = createTimeout({ timeoutMs: 100 });
    const controller = new AbortController();
    const endings = [
      timeout.execute(() => "value"),
      timeout.execute(() => {
        throw new Error("sync");
      }),
      timeout.execute(() => Promise.reject(new Error("async"))),
      timeout.execute(() => new Promise(() => undefined)),
      timeout.execute(honour),
      timeout.execute(() => new Promise(() => undefined), controller.signal),
      timeout.execute(honour, controller.signal),
    ];
    controller.abort(new Error("caller left"));
    const settled = Promise.allSettled(endings);
    await vi.advanceTimersByTimeAsync(100);
    await vi.advanceTimersByTimeAsync(1);
    const results = await settled;
    expect(
      results.map((result) =>
        result.status === "fulfilled"
          ? result.value
          : (codeOf(result.reason) ?? (result.reason as Error).message),
      ),
    ).toEqual([
      "value",
      "sync",
      "async",
      "TIMEOUT",
      "TIMEOUT",
      "ABORTED",
      "caller left",
    ]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
