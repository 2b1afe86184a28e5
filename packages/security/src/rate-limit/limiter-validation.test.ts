import { describe, expect, it } from "vitest";

import { isSecurityError, SecurityErrorCode } from "../errors.js";
import type { SecurityError } from "../errors.js";
import { RateLimiter } from "./limiter.js";
import type { RateLimiterOptions } from "./limiter.js";
import { MemoryRateLimitStore } from "./memory-store.js";
import { createTestClock } from "./test-support/clock.js";
import { describeEachStore } from "./test-support/stores.js";
import type { StoreBackend } from "./test-support/stores.js";
import type { RateLimitRequest, RateLimitStore } from "./types.js";

function errorOf(action: () => unknown): SecurityError {
  try {
    action();
  } catch (error) {
    if (isSecurityError(error)) {
      return error;
    }
    throw error;
  }
  throw new Error("The call did not throw.");
}

async function asyncErrorOf(
  action: () => Promise<unknown>,
): Promise<SecurityError> {
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

const COMBINED = new RateLimiter({
  store: new MemoryRateLimitStore(),
  limits: [
    { name: "key-requests", limit: 10, windowMs: 60_000 },
    {
      name: "tenant-tokens",
      scope: "tenant",
      unit: "tokens",
      limit: 100,
      windowMs: 60_000,
    },
  ],
});

describe("RateLimiter options", () => {
  it("lists every invalid option with its path", () => {
    const options = {
      store: {},
      limits: [
        {
          name: "bad name",
          scope: "user",
          unit: "bytes",
          limit: 0,
          windowMs: -1,
        },
        { name: "twice", limit: 1.5, windowMs: 1_000 },
        { name: "twice", limit: 1, windowMs: Number.POSITIVE_INFINITY },
        null,
      ],
    } as unknown as RateLimiterOptions;

    const error = errorOf(() => new RateLimiter(options));

    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.issues.map((issue) => issue.path)).toEqual([
      "store",
      "limits[0].name",
      "limits[0].scope",
      "limits[0].unit",
      "limits[0].limit",
      "limits[0].windowMs",
      "limits[1].limit",
      "limits[2].name",
      "limits[2].windowMs",
      "limits[3]",
    ]);
    expect(error.issues[4]?.value).toBe(0);
    expect(error.issues[4]?.message).toContain("positive integer");
  });

  it("rejects an empty list of limits", () => {
    const error = errorOf(
      () => new RateLimiter({ store: new MemoryRateLimitStore(), limits: [] }),
    );

    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.issues[0]?.path).toBe("limits");
  });

  it("rejects unknown options and names the valid ones", () => {
    const options = {
      store: new MemoryRateLimitStore(),
      limits: [{ name: "requests", limit: 1, windowMs: 1_000, bogus: 1 }],
      now: Date.now,
    } as unknown as RateLimiterOptions;

    const error = errorOf(() => new RateLimiter(options));

    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.issues.map((issue) => issue.path)).toEqual([
      "now",
      "limits[0].bogus",
    ]);
    expect(error.issues[0]?.message).toBe(
      'Unknown option "now". Valid options are store, limits. Pass it to the store, such as new MemoryRateLimitStore({ now }) or new RedisRateLimitStore({ client, prefix, clock, now }).',
    );
    expect(error.issues[1]?.message).toBe(
      'Unknown option "bogus" in limits[0]. Valid options are name, scope, unit, limit, windowMs.',
    );
    expect(error.issues[1]?.value).toBeUndefined();
  });

  it("counts the invalid options in the message", () => {
    const store = new MemoryRateLimitStore();
    const one = errorOf(() => new RateLimiter({ store, limits: [] }));
    const two = errorOf(
      () =>
        new RateLimiter({
          store,
          limits: [{ name: "requests", limit: 0, windowMs: 0 }],
        }),
    );

    expect(one.message).toMatch(/^1 invalid option of RateLimiter: limits /u);
    expect(two.message).toMatch(
      /^2 invalid options of RateLimiter: limits\[0\]\.limit /u,
    );
  });

  it("fills in the default scope and unit", () => {
    const limiter = new RateLimiter({
      store: new MemoryRateLimitStore(),
      limits: [{ name: "requests", limit: 1, windowMs: 1_000 }],
    });

    expect(limiter.limits[0]?.scope).toBe("key");
    expect(limiter.limits[0]?.unit).toBe("requests");
  });
});

describe("RateLimiter requests", () => {
  it("lists every missing field", async () => {
    const error = await asyncErrorOf(() => COMBINED.consume({}));

    expect(error.code).toBe(SecurityErrorCode.INVALID_INPUT);
    expect(error.issues.map((issue) => issue.path)).toEqual([
      "key",
      "tenant",
      "tokens",
    ]);
    expect(error.issues[0]?.message).toContain("is missing");
  });

  it("rejects tokens that are not a non-negative integer", async () => {
    for (const tokens of [-1, 1.5, Number.NaN, "3"]) {
      const request = { key: "k", tenant: "t", tokens } as RateLimitRequest;

      const error = await asyncErrorOf(() => COMBINED.consume(request));

      expect(error.code).toBe(SecurityErrorCode.INVALID_INPUT);
      expect(error.issues[0]?.path).toBe("tokens");
      expect(error.issues[0]?.value).toBe(tokens);
    }
  });

  it("rejects a request that is not an object", async () => {
    const error = await asyncErrorOf(() =>
      COMBINED.consume(null as unknown as RateLimitRequest),
    );

    expect(error.code).toBe(SecurityErrorCode.INVALID_INPUT);
    expect(error.issues[0]?.path).toBe("request");
  });

  it("counts the invalid fields in the message", async () => {
    const one = await asyncErrorOf(() =>
      COMBINED.consume({ key: "k", tenant: "t" }),
    );
    const three = await asyncErrorOf(() => COMBINED.consume({}));
    const notObject = await asyncErrorOf(() =>
      COMBINED.consume(null as unknown as RateLimitRequest),
    );

    expect(one.message).toMatch(/^1 invalid field of the request: tokens /u);
    expect(three.message).toMatch(/^3 invalid fields of the request: key /u);
    expect(notObject.message).toMatch(/^1 invalid request: The request /u);
  });

  it("resets without tokens", async () => {
    await expect(
      COMBINED.reset({ key: "k", tenant: "t" }),
    ).resolves.toBeUndefined();
  });
});

describe("RateLimiter stores", () => {
  it("wraps a store's plain error in STORE_FAILED", async () => {
    const failure = new Error("disk full");
    const store: RateLimitStore = {
      consume: () => Promise.reject(failure),
      reset: () => Promise.resolve(),
    };
    const limiter = new RateLimiter({
      store,
      limits: [{ name: "requests", limit: 1, windowMs: 1_000 }],
    });

    const error = await asyncErrorOf(() => limiter.consume({ key: "k" }));

    expect(error.code).toBe(SecurityErrorCode.STORE_FAILED);
    expect(error.cause).toBe(failure);
    expect(error.message).toContain("disk full");
  });

  it("ends a store failure with one period", async () => {
    const store: RateLimitStore = {
      consume: () => Promise.reject(new Error("Connection is closed.")),
      reset: () => Promise.reject(new Error("disk full")),
    };
    const limiter = new RateLimiter({
      store,
      limits: [{ name: "requests", limit: 1, windowMs: 1_000 }],
    });

    const consumed = await asyncErrorOf(() => limiter.consume({ key: "k" }));
    const reset = await asyncErrorOf(() => limiter.reset({ key: "k" }));

    expect(consumed.message).toBe(
      "The rate-limit store failed: Connection is closed.",
    );
    expect(reset.message).toBe("The rate-limit store failed: disk full.");
  });

  it("rejects a store reply with the wrong number of windows", async () => {
    const store: RateLimitStore = {
      consume: () => Promise.resolve({ allowed: true, now: 0, windows: [] }),
      reset: () => Promise.resolve(),
    };
    const limiter = new RateLimiter({
      store,
      limits: [{ name: "requests", limit: 1, windowMs: 1_000 }],
    });

    const error = await asyncErrorOf(() => limiter.consume({ key: "k" }));

    expect(error.code).toBe(SecurityErrorCode.STORE_FAILED);
  });
});

describeEachStore("RateLimiter ids", (backend: StoreBackend) => {
  async function limiterOf(): Promise<RateLimiter> {
    return new RateLimiter({
      store: await backend.open(createTestClock()),
      limits: [
        { name: "key-requests", limit: 10, windowMs: 60_000 },
        { name: "tenant-requests", scope: "tenant", limit: 10, windowMs: 1 },
      ],
    });
  }

  it("rejects a key or tenant with a lone surrogate", async () => {
    const limiter = await limiterOf();
    const cases = [
      { request: { key: "k\uD800", tenant: "t" }, path: "key" },
      { request: { key: "k", tenant: "\uDFFFt" }, path: "tenant" },
    ];

    for (const { request, path } of cases) {
      for (const call of [
        () => limiter.consume(request),
        () => limiter.peek(request),
        () => limiter.reset(request),
      ]) {
        const error = await asyncErrorOf(call);

        expect(error.code).toBe(SecurityErrorCode.INVALID_INPUT);
        expect(error.issues.map((issue) => issue.path)).toEqual([path]);
        expect(error.message).toContain("lone UTF-16 surrogate");
      }
    }
  });

  it("rejects a key longer than 256 characters", async () => {
    const limiter = await limiterOf();

    const error = await asyncErrorOf(() =>
      limiter.consume({ key: "k".repeat(257), tenant: "t" }),
    );

    expect(error.code).toBe(SecurityErrorCode.INVALID_INPUT);
    expect(error.issues.map((issue) => issue.path)).toEqual(["key"]);
    expect(error.message).toContain("at most 256 characters");
  });

  it("accepts surrogate pairs and 256-character ids", async () => {
    const limiter = await limiterOf();

    const emoji = await limiter.consume({ key: "\u{1F600}", tenant: "é" });
    const longest = await limiter.consume({
      key: "k".repeat(256),
      tenant: "t".repeat(256),
    });

    expect(emoji.allowed).toBe(true);
    expect(longest.allowed).toBe(true);
  });
});
