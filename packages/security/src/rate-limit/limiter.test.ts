import { expect, it } from "vitest";

import { isSecurityError, SecurityErrorCode } from "../errors.js";
import { rateLimitHeaders } from "./headers.js";
import { RateLimiter } from "./limiter.js";
import { throwIfRateLimited } from "./result.js";
import { createTestClock } from "./test-support/clock.js";
import type { TestClock } from "./test-support/clock.js";
import { describeEachStore } from "./test-support/stores.js";
import type { StoreBackend } from "./test-support/stores.js";
import type { RateLimitRule } from "./types.js";

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** Requests per minute, tokens per minute per key, tokens per hour per tenant. */
const COMBINED: readonly RateLimitRule[] = [
  {
    name: "key-requests",
    scope: "key",
    unit: "requests",
    limit: 3,
    windowMs: MINUTE,
  },
  {
    name: "key-tokens",
    scope: "key",
    unit: "tokens",
    limit: 100,
    windowMs: MINUTE,
  },
  {
    name: "tenant-tokens",
    scope: "tenant",
    unit: "tokens",
    limit: 150,
    windowMs: HOUR,
  },
];

describeEachStore("RateLimiter", (backend: StoreBackend) => {
  async function limiterOf(
    limits: readonly RateLimitRule[],
    clock: TestClock = createTestClock(),
  ): Promise<RateLimiter> {
    const store = await backend.open(clock);
    return new RateLimiter({ store, limits });
  }

  function tokensPerMinute(limit: number, windowMs = MINUTE): RateLimitRule[] {
    return [{ name: "tokens", unit: "tokens", limit, windowMs }];
  }

  it("admits 8, rejects 5 and admits 2 of 10 points", async () => {
    const clock = createTestClock();
    const limiter = await limiterOf(tokensPerMinute(10), clock);

    const first = await limiter.consume({ key: "k", tokens: 8 });
    clock.advance(1_000);
    const second = await limiter.consume({ key: "k", tokens: 5 });
    const third = await limiter.consume({ key: "k", tokens: 2 });

    expect(first.allowed).toBe(true);
    expect(first.remaining).toBe(2);
    expect(second.allowed).toBe(false);
    expect(second.reason).toBe("limit_exceeded");
    expect(second.remaining).toBe(2);
    expect(second.retryAfterMs).toBe(MINUTE - 1_000);
    expect(third.allowed).toBe(true);
    expect(third.remaining).toBe(0);
    expect(third.limit).toBe(10);
  });

  it("admits exactly 5 of 100 concurrent requests", async () => {
    const limiter = await limiterOf([
      { name: "requests", limit: 5, windowMs: MINUTE },
    ]);

    const results = await Promise.all(
      Array.from({ length: 100 }, () => limiter.consume({ key: "k" })),
    );

    expect(results.filter((result) => result.allowed)).toHaveLength(5);
    const after = await limiter.peek({ key: "k" });
    expect(after.remaining).toBe(0);
  });

  it("starts a fresh window after 7 s of clock", async () => {
    const clock = createTestClock();
    const limiter = await limiterOf(tokensPerMinute(10, 5_000), clock);
    await limiter.consume({ key: "k", tokens: 10 });
    const full = await limiter.consume({ key: "k", tokens: 1 });

    clock.advance(7_000);
    const fresh = await limiter.peek({ key: "k", tokens: 10 });
    const admitted = await limiter.consume({ key: "k", tokens: 10 });

    expect(full.allowed).toBe(false);
    expect(fresh.allowed).toBe(true);
    expect(fresh.remaining).toBe(10);
    expect(fresh.resetAt).toBe(clock.now());
    expect(admitted.allowed).toBe(true);
  });

  it("counts an entry until window minus 1 ms", async () => {
    const clock = createTestClock();
    const start = clock.now();
    const limiter = await limiterOf(
      [{ name: "requests", limit: 1, windowMs: 1_000 }],
      clock,
    );
    const first = await limiter.consume({ key: "k" });

    clock.advance(999);
    const atLastMillisecond = await limiter.consume({ key: "k" });
    clock.advance(1);
    const atWindowEnd = await limiter.consume({ key: "k" });

    expect(first.resetAt).toBe(start + 1_000);
    expect(atLastMillisecond.allowed).toBe(false);
    expect(atLastMillisecond.retryAfterMs).toBe(1);
    expect(atLastMillisecond.resetAt).toBe(start + 1_000);
    expect(atWindowEnd.allowed).toBe(true);
    expect(atWindowEnd.resetAt).toBe(start + 2_000);
  });

  it("leaves remaining unchanged on a rejection", async () => {
    const limiter = await limiterOf(tokensPerMinute(10));
    await limiter.consume({ key: "k", tokens: 7 });
    const before = await limiter.peek({ key: "k", tokens: 0 });

    const rejected = await limiter.consume({ key: "k", tokens: 4 });
    const after = await limiter.peek({ key: "k", tokens: 0 });

    expect(rejected.allowed).toBe(false);
    expect(before.remaining).toBe(3);
    expect(rejected.remaining).toBe(3);
    expect(after.remaining).toBe(3);
    expect(after.resetAt).toBe(before.resetAt);
  });

  it("reports the wait until enough entries leave", async () => {
    const clock = createTestClock();
    const start = clock.now();
    const limiter = await limiterOf(tokensPerMinute(10), clock);
    await limiter.consume({ key: "k", tokens: 3 });
    clock.advance(10_000);
    await limiter.consume({ key: "k", tokens: 3 });
    clock.advance(10_000);
    await limiter.consume({ key: "k", tokens: 4 });

    const needsTwo = await limiter.consume({ key: "k", tokens: 5 });
    clock.advance(needsTwo.retryAfterMs - 1);
    const early = await limiter.consume({ key: "k", tokens: 5 });
    clock.advance(1);
    const onTime = await limiter.consume({ key: "k", tokens: 5 });

    expect(needsTwo.resetAt).toBe(start + MINUTE);
    expect(needsTwo.retryAfterMs).toBe(
      start + 10_000 + MINUTE - 20_000 - start,
    );
    expect(early.allowed).toBe(false);
    expect(early.retryAfterMs).toBe(1);
    expect(onTime.allowed).toBe(true);
    expect(onTime.remaining).toBe(1);
  });

  it("charges all limits or none", async () => {
    const limiter = await limiterOf(COMBINED);
    const request = { key: "k", tenant: "t" };

    const admitted = await limiter.consume({ ...request, tokens: 90 });
    const tooManyTokens = await limiter.consume({ ...request, tokens: 20 });
    const after = await limiter.peek({ ...request, tokens: 0 });

    expect(admitted.allowed).toBe(true);
    expect(tooManyTokens.allowed).toBe(false);
    expect(tooManyTokens.name).toBe("key-tokens");
    expect(after.outcomes.map((outcome) => outcome.used)).toEqual([1, 90, 90]);

    await limiter.consume({ ...request, tokens: 0 });
    await limiter.consume({ ...request, tokens: 0 });
    const tooManyRequests = await limiter.consume({ ...request, tokens: 5 });
    const final = await limiter.peek({ ...request, tokens: 0 });

    expect(tooManyRequests.allowed).toBe(false);
    expect(tooManyRequests.name).toBe("key-requests");
    expect(final.outcomes.map((outcome) => outcome.used)).toEqual([3, 90, 90]);
  });

  it("reports every limit's outcome on a rejection", async () => {
    const limiter = await limiterOf(COMBINED);
    await limiter.consume({ key: "k", tenant: "t", tokens: 95 });

    const result = await limiter.consume({ key: "k", tenant: "t", tokens: 60 });

    const [requests, keyTokens, tenantTokens] = result.outcomes;
    expect(requests?.allowed).toBe(true);
    expect(requests?.reason).toBeUndefined();
    expect(keyTokens?.allowed).toBe(false);
    expect(keyTokens?.reason).toBe("limit_exceeded");
    expect(keyTokens?.retryAfterMs).toBe(MINUTE);
    expect(tenantTokens?.allowed).toBe(false);
    expect(tenantTokens?.retryAfterMs).toBe(HOUR);
    expect(result.name).toBe("tenant-tokens");
    expect(result.retryAfterMs).toBe(HOUR);
  });

  it("keeps keys and tenants independent", async () => {
    const limiter = await limiterOf(COMBINED);

    const keyA = await limiter.consume({ key: "a", tenant: "t1", tokens: 100 });
    const keyAAgain = await limiter.consume({
      key: "a",
      tenant: "t1",
      tokens: 1,
    });
    const keyB = await limiter.consume({ key: "b", tenant: "t1", tokens: 50 });
    const keyC = await limiter.consume({ key: "c", tenant: "t1", tokens: 1 });
    const otherTenant = await limiter.consume({
      key: "c",
      tenant: "t2",
      tokens: 100,
    });

    expect(keyA.allowed).toBe(true);
    expect(keyAAgain.allowed).toBe(false);
    expect(keyAAgain.name).toBe("key-tokens");
    expect(keyB.allowed).toBe(true);
    expect(keyC.allowed).toBe(false);
    expect(keyC.name).toBe("tenant-tokens");
    expect(otherTenant.allowed).toBe(true);
    expect(otherTenant.outcomes[2]?.remaining).toBe(50);
  });

  it("rejects a cost above the limit without charging", async () => {
    const limiter = await limiterOf(COMBINED);

    const result = await limiter.consume({
      key: "k",
      tenant: "t",
      tokens: 101,
    });
    const after = await limiter.peek({ key: "k", tenant: "t", tokens: 0 });

    expect(result.allowed).toBe(false);
    expect(result.reason).toBe("cost_above_limit");
    expect(result.name).toBe("key-tokens");
    expect(result.retryAfterMs).toBe(Number.POSITIVE_INFINITY);
    expect(after.outcomes.map((outcome) => outcome.used)).toEqual([0, 0, 0]);
  });

  it("admits a cost of 0 in a full window", async () => {
    const limiter = await limiterOf(tokensPerMinute(5));
    await limiter.consume({ key: "k", tokens: 5 });

    const result = await limiter.consume({ key: "k", tokens: 0 });

    expect(result.allowed).toBe(true);
    expect(result.remaining).toBe(0);
  });

  it("peeks without charging", async () => {
    const limiter = await limiterOf(tokensPerMinute(10));
    await limiter.consume({ key: "k", tokens: 4 });

    const fits = await limiter.peek({ key: "k", tokens: 6 });
    const tooLarge = await limiter.peek({ key: "k", tokens: 7 });
    const after = await limiter.peek({ key: "k", tokens: 0 });

    expect(fits.allowed).toBe(true);
    expect(fits.remaining).toBe(6);
    expect(tooLarge.allowed).toBe(false);
    expect(after.remaining).toBe(6);
  });

  it("resets the windows of a key", async () => {
    const limiter = await limiterOf(COMBINED);
    await limiter.consume({ key: "k", tenant: "t", tokens: 100 });

    await limiter.reset({ key: "k", tenant: "t" });
    const after = await limiter.peek({ key: "k", tenant: "t", tokens: 0 });

    expect(after.outcomes.map((outcome) => outcome.used)).toEqual([0, 0, 0]);
  });

  it("counts entries made before the clock went back", async () => {
    const clock = createTestClock();
    const limiter = await limiterOf(tokensPerMinute(10), clock);
    await limiter.consume({ key: "k", tokens: 6 });

    clock.advance(-5_000);
    const rejected = await limiter.consume({ key: "k", tokens: 5 });
    const admitted = await limiter.consume({ key: "k", tokens: 4 });

    expect(rejected.allowed).toBe(false);
    expect(rejected.retryAfterMs).toBe(MINUTE + 5_000);
    expect(admitted.allowed).toBe(true);
    expect(admitted.resetAt).toBe(clock.now() + MINUTE);
  });

  it("returns headers for admitted and rejected requests", async () => {
    const clock = createTestClock();
    const limiter = await limiterOf(COMBINED, clock);
    const admitted = await limiter.consume({
      key: "k",
      tenant: "t",
      tokens: 80,
    });
    clock.advance(20_500);

    const rejected = await limiter.consume({
      key: "k",
      tenant: "t",
      tokens: 30,
    });

    expect(rateLimitHeaders(admitted)).toEqual({
      "RateLimit-Limit": "100",
      "RateLimit-Remaining": "20",
      "RateLimit-Reset": "60",
      "RateLimit-Policy": "3;w=60, 100;w=60, 150;w=3600",
    });
    expect(rateLimitHeaders(rejected)).toEqual({
      "RateLimit-Limit": "100",
      "RateLimit-Remaining": "20",
      "RateLimit-Reset": "40",
      "RateLimit-Policy": "3;w=60, 100;w=60, 150;w=3600",
      "Retry-After": "40",
    });
  });

  it("throws RATE_LIMITED only for a rejected result", async () => {
    const limiter = await limiterOf(tokensPerMinute(10));
    const admitted = await limiter.consume({ key: "k", tokens: 10 });
    const rejected = await limiter.consume({ key: "k", tokens: 1 });

    expect(() => {
      throwIfRateLimited(admitted);
    }).not.toThrow();
    let caught: unknown;
    try {
      throwIfRateLimited(rejected);
    } catch (error) {
      caught = error;
    }
    expect(isSecurityError(caught)).toBe(true);
    expect((caught as { code: string }).code).toBe(
      SecurityErrorCode.RATE_LIMITED,
    );
    expect((caught as Error).message).toContain("Retry after 60 s.");
  });
});
