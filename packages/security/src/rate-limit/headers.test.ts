import { describe, expect, it } from "vitest";

import { rateLimitHeaders } from "./headers.js";
import type { RateLimitOutcome, RateLimitResult } from "./types.js";

const CHECKED_AT = 1_700_000_000_000;

function outcomeOf(overrides: Partial<RateLimitOutcome>): RateLimitOutcome {
  return {
    name: "requests",
    scope: "key",
    unit: "requests",
    windowMs: 60_000,
    cost: 1,
    allowed: true,
    limit: 10,
    used: 1,
    remaining: 9,
    resetAt: CHECKED_AT + 60_000,
    retryAfterMs: 0,
    ...overrides,
  };
}

function resultOf(
  outcome: RateLimitOutcome,
  extra: readonly RateLimitOutcome[] = [],
): RateLimitResult {
  return {
    allowed: outcome.allowed,
    name: outcome.name,
    limit: outcome.limit,
    remaining: outcome.remaining,
    resetAt: outcome.resetAt,
    retryAfterMs: outcome.retryAfterMs,
    checkedAt: CHECKED_AT,
    outcomes: [outcome, ...extra],
    ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
  };
}

describe("rateLimitHeaders", () => {
  it("rounds reset and retry times up to whole seconds", () => {
    const outcome = outcomeOf({
      allowed: false,
      used: 10,
      remaining: 0,
      resetAt: CHECKED_AT + 1_001,
      retryAfterMs: 1_001,
      reason: "limit_exceeded",
    });

    const headers = rateLimitHeaders(resultOf(outcome));

    expect(headers["RateLimit-Reset"]).toBe("2");
    expect(headers["Retry-After"]).toBe("2");
    expect(headers["RateLimit-Remaining"]).toBe("0");
  });

  it("omits Retry-After when the request is admitted", () => {
    const headers = rateLimitHeaders(resultOf(outcomeOf({})));

    expect(headers["Retry-After"]).toBeUndefined();
    expect(headers["RateLimit-Limit"]).toBe("10");
    expect(headers["RateLimit-Remaining"]).toBe("9");
    expect(headers["RateLimit-Reset"]).toBe("60");
  });

  it("omits Retry-After when the cost is above the limit", () => {
    const outcome = outcomeOf({
      allowed: false,
      cost: 11,
      retryAfterMs: Number.POSITIVE_INFINITY,
      reason: "cost_above_limit",
    });

    const headers = rateLimitHeaders(resultOf(outcome));

    expect(headers["Retry-After"]).toBeUndefined();
    expect(headers["RateLimit-Reset"]).toBe("60");
  });

  it("sends a reset of 0 for an empty window", () => {
    const outcome = outcomeOf({ used: 0, remaining: 10, resetAt: CHECKED_AT });

    expect(rateLimitHeaders(resultOf(outcome))["RateLimit-Reset"]).toBe("0");
  });

  it("lists every limit in the policy, windows rounded up", () => {
    const tokens = outcomeOf({ name: "tokens", limit: 5_000, windowMs: 1_500 });

    const headers = rateLimitHeaders(resultOf(outcomeOf({}), [tokens]));

    expect(headers["RateLimit-Policy"]).toBe("10;w=60, 5000;w=2");
  });
});
