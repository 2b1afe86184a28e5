import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { TimeoutEvent } from "./events.js";
import { codeOf, rejectionOf } from "./test-support/errors.js";
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
    expect(codeOf(error)).toBe("TIMEOUT");
    expect((error as Error).cause).toBe(seen?.reason);
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

  it("waits for work that ignores the signal", async () => {
    const policy = createTimeout({ timeoutMs: 10 });
    let settled = false;
    const outcome = rejectionOf(
      policy.execute(async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        throw new Error("late failure");
      }),
    ).finally(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(50);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(50);
    const error = await outcome;
    expect(codeOf(error)).toBe("TIMEOUT");
    expect(((error as Error).cause as Error).message).toBe("late failure");
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
