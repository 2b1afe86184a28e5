import { describe, expect, it } from "vitest";

import { isSecurityError, SecurityErrorCode } from "../errors.js";
import type { SecurityError } from "../errors.js";
import { MemoryRateLimitStore } from "./memory-store.js";
import type { MemoryRateLimitStoreOptions } from "./memory-store.js";
import { createTestClock } from "./test-support/clock.js";
import type { RateLimitWindow } from "./types.js";

function windowOf(key: string, cost = 1): RateLimitWindow {
  return { key, limit: 10, windowMs: 5_000, cost };
}

async function errorOf(action: () => Promise<unknown>): Promise<SecurityError> {
  try {
    await action();
  } catch (error) {
    if (isSecurityError(error)) {
      return error;
    }
    throw error;
  }
  throw new Error("The call did not throw.");
}

/** Returns the error that constructing a store with `options` throws. */
function constructionErrorOf(options: unknown): SecurityError {
  try {
    new MemoryRateLimitStore(options as MemoryRateLimitStoreOptions);
  } catch (error) {
    if (isSecurityError(error)) {
      return error;
    }
    throw error;
  }
  throw new Error("The constructor did not throw.");
}

describe("MemoryRateLimitStore", () => {
  it("drops windows whose entries expired", async () => {
    const clock = createTestClock();
    const store = new MemoryRateLimitStore({ now: clock.now });
    for (let index = 0; index < 10_000; index++) {
      await store.consume([windowOf(`key-${index}`)]);
    }
    const sizeWhileLive = store.size;

    clock.advance(5_000);
    for (let index = 0; index < 10_000; index++) {
      await store.consume([windowOf("busy")]);
      clock.advance(1);
    }

    expect(sizeWhileLive).toBe(10_000);
    expect(store.size).toBe(1);
  });

  it("drops expired windows when every call uses a new key", async () => {
    const clock = createTestClock();
    const store = new MemoryRateLimitStore({ now: clock.now });
    // Each window expires 100 calls after its entry, so at most 100 live.
    const oneSecond = { limit: 10, windowMs: 1_000, cost: 1 };
    let largest = 0;

    for (let index = 0; index < 20_000; index++) {
      clock.advance(10);
      await store.consume([{ key: `key-${index}`, ...oneSecond }]);
      largest = Math.max(largest, store.size);
    }

    // A sweep runs at least every 64 calls, so at most 100 live windows
    // and 64 expired ones are stored at once.
    expect(largest).toBeLessThanOrEqual(164);
    store.prune();
    expect(store.size).toBe(100);
  });

  it("keeps windows that still count on a sweep", async () => {
    const clock = createTestClock();
    const store = new MemoryRateLimitStore({ now: clock.now });
    await store.consume([windowOf("old")]);
    clock.advance(4_999);
    await store.consume([windowOf("recent")]);

    clock.advance(1);
    store.prune();

    expect(store.size).toBe(1);
    const recent = await store.consume([windowOf("recent", 0)]);
    expect(recent.windows[0]?.used).toBe(1);
  });

  it("drops a window that a rejected call leaves empty", async () => {
    const clock = createTestClock();
    const store = new MemoryRateLimitStore({ now: clock.now });

    const result = await store.consume([windowOf("k", 11)]);

    expect(result.allowed).toBe(false);
    expect(store.size).toBe(0);
  });

  it("charges each window of a call or none", async () => {
    const store = new MemoryRateLimitStore({ now: createTestClock().now });
    await store.consume([windowOf("a", 9)]);

    const rejected = await store.consume([windowOf("b", 5), windowOf("a", 2)]);
    const admitted = await store.consume([windowOf("b", 5), windowOf("a", 1)]);

    expect(rejected.allowed).toBe(false);
    expect(rejected.windows.map((window) => window.used)).toEqual([0, 9]);
    expect(admitted.allowed).toBe(true);
    expect(admitted.windows.map((window) => window.used)).toEqual([5, 10]);
  });

  it("reports every invalid window", async () => {
    const store = new MemoryRateLimitStore();

    const error = await errorOf(() =>
      store.consume([
        { key: "", limit: 0, windowMs: 1.5, cost: -1 },
        windowOf("same"),
        windowOf("same"),
      ]),
    );

    expect(error.code).toBe(SecurityErrorCode.INVALID_INPUT);
    expect(error.issues.map((issue) => issue.path)).toEqual([
      "windows[0].key",
      "windows[0].limit",
      "windows[0].windowMs",
      "windows[0].cost",
      "windows[2].key",
    ]);
  });

  it("rejects a clock option that is not a function", () => {
    let caught: unknown;
    try {
      new MemoryRateLimitStore({ now: 5 as unknown as () => number });
    } catch (error) {
      caught = error;
    }

    expect(isSecurityError(caught)).toBe(true);
    expect((caught as SecurityError).code).toBe(
      SecurityErrorCode.INVALID_OPTIONS,
    );
    expect((caught as SecurityError).issues[0]?.path).toBe("now");
  });

  it("rejects unknown options and names the valid ones", () => {
    const error = constructionErrorOf({ now: Date.now, bogus: 1 });

    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.message).toBe(
      '1 invalid option of MemoryRateLimitStore: Unknown option "bogus". Valid options are now.',
    );
    expect(error.issues.map((issue) => issue.path)).toEqual(["bogus"]);
  });

  it("rejects options that are not an object", () => {
    const error = constructionErrorOf(null);

    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.issues[0]?.message).toContain("(received null)");
  });

  it("reports a window that is not an object", async () => {
    const store = new MemoryRateLimitStore();

    const error = await errorOf(() =>
      store.consume([null as unknown as RateLimitWindow, windowOf("k")]),
    );

    expect(error.code).toBe(SecurityErrorCode.INVALID_INPUT);
    expect(error.message).toMatch(/^1 invalid field of the windows: /u);
    expect(error.issues.map((issue) => issue.path)).toEqual(["windows[0]"]);
  });

  it("rejects a clock that returns NaN", async () => {
    const store = new MemoryRateLimitStore({ now: () => Number.NaN });

    const error = await errorOf(() => store.consume([windowOf("k")]));

    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.message).toContain("returned NaN");
  });
});
