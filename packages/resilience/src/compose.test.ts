import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { createResiliencePolicy } from "./compose.js";
import { isResilienceError } from "./errors.js";
import { createMemoryGuard } from "./memory-guard.js";
import {
  codeOf,
  FakeFailure,
  rejectionOf,
  thrownBy,
} from "./test-support/errors.js";

describe("createResiliencePolicy", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("retries timed-out attempts, each with its own limit", async () => {
    const policy = createResiliencePolicy({
      name: "encoder",
      retry: { maxRetries: 2, initialDelayMs: 10, jitter: 0, budget: false },
      timeout: { timeoutMs: 100 },
    });
    const names: string[] = [];
    policy.onAny((name, event) => names.push(`${name}:${event.policy}`));
    let calls = 0;
    const outcome = policy.execute(
      (signal) =>
        new Promise<string>((resolve, reject) => {
          calls += 1;
          if (calls === 3) {
            resolve("third time");
            return;
          }
          signal.addEventListener("abort", () => {
            reject(signal.reason as Error);
          });
        }),
    );
    await vi.advanceTimersByTimeAsync(100 + 10 + 100 + 20);
    await expect(outcome).resolves.toBe("third time");
    expect(names).toEqual([
      "timeout:encoder.timeout",
      "retry:encoder.retry",
      "timeout:encoder.timeout",
      "retry:encoder.retry",
    ]);
  });

  it("opens the breaker from retried attempts and stops retrying", async () => {
    const policy = createResiliencePolicy({
      retry: { maxRetries: 5, initialDelayMs: 1, jitter: 0, budget: false },
      circuitBreaker: { consecutiveFailures: 3, halfOpenAfterMs: 60_000 },
    });
    let calls = 0;
    const outcome = rejectionOf(
      policy.execute(() => {
        calls += 1;
        throw new FakeFailure("down", { status: 503 });
      }),
    );
    await vi.advanceTimersByTimeAsync(100);
    const error = await outcome;
    expect(calls).toBe(3);
    expect(codeOf(error)).toBe("CIRCUIT_OPEN");
    expect(policy.circuitBreaker?.state).toBe("open");
  });

  it("bounds work that ignores its signal in every part", async () => {
    const policy = createResiliencePolicy({
      bulkhead: { maxConcurrent: 1, maxQueue: 0 },
      retry: { maxRetries: 5, initialDelayMs: 10, jitter: 0, budget: false },
      circuitBreaker: { consecutiveFailures: 2, halfOpenAfterMs: 60_000 },
      timeout: { timeoutMs: 100 },
    });
    const names: string[] = [];
    policy.onAny((name) => names.push(name));
    let calls = 0;
    const outcome = rejectionOf(
      policy.execute(() => {
        calls += 1;
        return new Promise<never>(() => undefined);
      }),
    );
    // Two attempts time out, each one event-loop turn after its limit. The
    // second opens the breaker, and its rejection of the third attempt is
    // not retried.
    await vi.advanceTimersByTimeAsync(101 + 10 + 101 + 20);
    const error = await outcome;
    expect(calls).toBe(2);
    expect(codeOf(error)).toBe("CIRCUIT_OPEN");
    expect(codeOf((error as Error).cause)).toBe("TIMEOUT");
    expect(names).toEqual(["timeout", "retry", "timeout", "break", "retry"]);
    expect(policy.bulkhead?.running).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("holds a bulkhead slot across retries", async () => {
    const policy = createResiliencePolicy({
      bulkhead: { maxConcurrent: 1, maxQueue: 0 },
      retry: { maxRetries: 1, initialDelayMs: 50, jitter: 0, budget: false },
    });
    let calls = 0;
    const first = policy.execute(() => {
      calls += 1;
      if (calls === 1) {
        throw new FakeFailure("busy", { status: 429 });
      }
      return "retried";
    });
    await vi.advanceTimersByTimeAsync(10);
    const second = await rejectionOf(policy.execute(() => "other"));
    expect(codeOf(second)).toBe("BULKHEAD_FULL");
    await vi.advanceTimersByTimeAsync(50);
    await expect(first).resolves.toBe("retried");
  });

  it("sheds calls through the memory guard", async () => {
    const policy = createResiliencePolicy({
      memoryGuard: createMemoryGuard({
        maxHeapUsedBytes: 100,
        read: () => ({ heapUsed: 200, rss: 300 }),
      }),
      retry: {},
    });
    let ran = false;
    const error = await rejectionOf(
      policy.execute(() => {
        ran = true;
      }),
    );
    expect(codeOf(error)).toBe("OVERLOADED");
    expect(ran).toBe(false);
  });

  it("runs the function alone without parts", async () => {
    const policy = createResiliencePolicy();
    await expect(policy.execute(() => 42)).resolves.toBe(42);
    expect(policy.retry).toBeUndefined();
  });

  it("reports the invalid options of every part together", () => {
    const error = thrownBy(() =>
      createResiliencePolicy({
        retry: { maxRetries: 1.5 },
        circuitBreaker: { halfOpenAfterMs: 0 },
        timeout: { timeoutMs: -1 },
        bulkhead: { maxConcurrent: 0 },
        cache: true,
      } as never),
    );
    const paths = isResilienceError(error)
      ? error.issues.map((issue) => issue.path)
      : [];
    expect(paths).toEqual([
      "cache",
      "bulkhead.maxConcurrent",
      "retry.maxRetries",
      "circuitBreaker.halfOpenAfterMs",
      "timeout.timeoutMs",
    ]);
  });
});
