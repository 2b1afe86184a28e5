import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { createResiliencePolicy } from "./compose.js";
import { isResilienceError } from "./errors.js";
import { createFallbackChain } from "./fallback.js";
import { createMemoryGuard } from "./memory-guard.js";
import { createDeferred } from "./test-support/deferred.js";
import { codeOf, FakeFailure, rejectionOf } from "./test-support/errors.js";

const busy = (): never => {
  throw new FakeFailure("busy", { status: 503 });
};

/** Creates a policy with every part, in the order the README documents. */
function fullPolicy(overrides: { heapUsed?: number; maxRetries?: number }) {
  const memoryGuard = createMemoryGuard({
    maxHeapUsedBytes: 1000,
    read: () => ({ heapUsed: overrides.heapUsed ?? 0, rss: 0 }),
  });
  return createResiliencePolicy({
    name: "encoder",
    memoryGuard,
    bulkhead: { maxConcurrent: 1, maxQueue: 1 },
    retry: {
      maxRetries: overrides.maxRetries ?? 2,
      initialDelayMs: 10,
      jitter: 0,
      budget: false,
    },
    circuitBreaker: { consecutiveFailures: 5, halfOpenAfterMs: 60_000 },
    timeout: { timeoutMs: 100 },
  });
}

describe("composed policy errors", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("throws the last transient error after the last retry", async () => {
    const policy = fullPolicy({});
    const failures: FakeFailure[] = [];
    const outcome = rejectionOf(
      policy.execute(() => {
        const failure = new FakeFailure("busy", { status: 503 });
        failures.push(failure);
        throw failure;
      }),
    );
    await vi.advanceTimersByTimeAsync(10 + 20);
    expect(await outcome).toBe(failures[2]);
    expect(failures).toHaveLength(3);
    expect(policy.bulkhead?.running).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("throws TIMEOUT with the work's error as cause", async () => {
    const policy = fullPolicy({ maxRetries: 1 });
    const failure = new Error("socket closed");
    const outcome = rejectionOf(
      policy.execute(
        (signal) =>
          new Promise((_, reject) => {
            signal.addEventListener("abort", () => {
              reject(failure);
            });
          }),
      ),
    );
    await vi.advanceTimersByTimeAsync(100 + 10 + 100);
    const error = await outcome;
    expect(codeOf(error)).toBe("TIMEOUT");
    expect(isResilienceError(error) ? error.details.policy : "").toBe(
      "encoder.timeout",
    );
    expect((error as Error).cause).toBe(failure);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("throws CIRCUIT_OPEN with the opening error as cause", async () => {
    const policy = fullPolicy({ maxRetries: 10 });
    const outcome = rejectionOf(policy.execute(busy));
    await vi.advanceTimersByTimeAsync(10_000);
    const error = await outcome;
    expect(codeOf(error)).toBe("CIRCUIT_OPEN");
    expect(((error as Error).cause as FakeFailure).status).toBe(503);
    // The fifth failure opens the breaker, and the sixth attempt comes
    // after the fifth backoff of 160 ms.
    expect(isResilienceError(error) ? error.details.retryAfterMs : 0).toBe(
      60_000 - 160,
    );
  });

  it("throws BULKHEAD_FULL and OVERLOADED before any attempt", async () => {
    const policy = fullPolicy({});
    const gate = createDeferred<string>();
    const running = policy.execute(() => gate.promise);
    const queued = policy.execute(() => "queued");
    let reached = false;
    const full = await rejectionOf(
      policy.execute(() => {
        reached = true;
      }),
    );
    expect(codeOf(full)).toBe("BULKHEAD_FULL");
    expect(reached).toBe(false);
    gate.resolve("done");
    await expect(running).resolves.toBe("done");
    await expect(queued).resolves.toBe("queued");

    const overloaded = fullPolicy({ heapUsed: 2000 });
    const shed = await rejectionOf(overloaded.execute(() => "never"));
    expect(codeOf(shed)).toBe("OVERLOADED");
    expect(overloaded.bulkhead?.running).toBe(0);
  });

  it("throws ABORTED with the reason when aborted in a backoff", async () => {
    const policy = fullPolicy({});
    const controller = new AbortController();
    const outcome = rejectionOf(policy.execute(busy, controller.signal));
    await vi.advanceTimersByTimeAsync(5);
    controller.abort(new Error("caller left"));
    const error = await outcome;
    expect(codeOf(error)).toBe("ABORTED");
    expect((error as Error).cause).toBe(controller.signal.reason);
    expect(policy.bulkhead?.running).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("throws FALLBACK_EXHAUSTED over failing policies", async () => {
    const policy = fullPolicy({ maxRetries: 0 });
    const chain = createFallbackChain([
      { name: "onnx", run: (signal) => policy.execute(busy, signal) },
      {
        name: "hashing",
        run: (signal) =>
          policy.execute(() => {
            throw new Error("hashing failed");
          }, signal),
      },
    ]);
    const error = await rejectionOf(chain.execute());
    expect(codeOf(error)).toBe("FALLBACK_EXHAUSTED");
    expect(((error as Error).cause as Error).message).toBe("hashing failed");
    const attempts = isResilienceError(error) ? error.details.attempts : [];
    expect(
      (attempts as { name: string; error: FakeFailure }[]).map((attempt) => [
        attempt.name,
        attempt.error.message,
      ]),
    ).toEqual([
      ["onnx", "busy"],
      ["hashing", "hashing failed"],
    ]);
  });

  it("stops the fallback chain when the caller aborts", async () => {
    const policy = fullPolicy({});
    const controller = new AbortController();
    let cheapRan = false;
    const chain = createFallbackChain([
      { name: "onnx", run: (signal) => policy.execute(busy, signal) },
      {
        name: "lexical",
        run: () => {
          cheapRan = true;
          return "terms";
        },
      },
    ]);
    const outcome = rejectionOf(chain.execute(controller.signal));
    await vi.advanceTimersByTimeAsync(5);
    controller.abort(new Error("caller left"));
    const error = await outcome;
    expect(codeOf(error)).toBe("ABORTED");
    expect(cheapRan).toBe(false);
  });
});
