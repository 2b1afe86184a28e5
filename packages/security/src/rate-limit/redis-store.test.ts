import { createHash, randomUUID } from "node:crypto";

import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";

import { isSecurityError, SecurityErrorCode } from "../errors.js";
import type { SecurityError } from "../errors.js";
import { RateLimiter } from "./limiter.js";
import { evalScript, RedisRateLimitStore } from "./redis-store.js";
import type { RedisRateLimitStoreOptions } from "./redis-store.js";
import { createTestClock } from "./test-support/clock.js";
import {
  keysUnder,
  openRedisStore,
  openTestRedis,
  SKIP_REDIS,
} from "./test-support/stores.js";
import type { RateLimitWindow } from "./types.js";

async function errorOf(action: () => unknown): Promise<SecurityError> {
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

function windowOf(key: string, cost = 1, windowMs = 5_000): RateLimitWindow {
  return { key, limit: 10, windowMs, cost };
}

describe("RedisRateLimitStore options", () => {
  it("lists every invalid option with its path", async () => {
    const options = {
      client: {},
      prefix: "",
      clock: "atomic",
    } as unknown as RedisRateLimitStoreOptions;

    const error = await errorOf(() => new RedisRateLimitStore(options));

    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.issues.map((issue) => issue.path)).toEqual([
      "client",
      "prefix",
      "clock",
    ]);
  });

  it("rejects now together with the Redis clock", async () => {
    const client = new Redis({ lazyConnect: true });

    const error = await errorOf(
      () => new RedisRateLimitStore({ client, clock: "redis", now: Date.now }),
    );

    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.issues.map((issue) => issue.path)).toEqual(["now"]);
  });

  it("rejects unknown options and names the valid ones", async () => {
    const client = new Redis({ lazyConnect: true });
    const options = {
      client,
      password: "secret",
    } as unknown as RedisRateLimitStoreOptions;

    const error = await errorOf(() => new RedisRateLimitStore(options));

    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.message).toBe(
      '1 invalid option of RedisRateLimitStore: Unknown option "password". Valid options are client, prefix, clock, now.',
    );
    expect(error.issues[0]?.value).toBeUndefined();
  });

  it("ends the reason of a failed command with one period", async () => {
    // A client closed before it connected rejects every command with
    // "Connection is closed.", so this needs no Redis server.
    const client = new Redis({ lazyConnect: true });
    client.disconnect();
    const store = new RedisRateLimitStore({ client, prefix: "unused:" });

    const error = await errorOf(() => store.consume([windowOf("k")]));

    expect(error.code).toBe(SecurityErrorCode.STORE_FAILED);
    expect(error.message).toContain(
      "keys k): Connection is closed. Check that Redis is reachable",
    );
  });

  it.skipIf(SKIP_REDIS)(
    "wraps a failed command in STORE_FAILED (needs a Redis server)",
    async () => {
      const client = await openTestRedis();
      client.disconnect();
      const store = new RedisRateLimitStore({ client, prefix: "unused:" });

      const error = await errorOf(() => store.consume([windowOf("k")]));

      expect(error.code).toBe(SecurityErrorCode.STORE_FAILED);
      expect(error.cause).toBeInstanceOf(Error);
      expect(error.message).toContain("unused:");
    },
  );
});

describe.skipIf(SKIP_REDIS)(
  "RedisRateLimitStore (needs a Redis server)",
  () => {
    it("stores each window under the prefix with a TTL", async () => {
      const clock = createTestClock();
      const { store, client, prefix } = await openRedisStore({
        now: clock.now,
      });

      await store.consume([windowOf("{t}:a", 3, 60_000)]);

      const keys = await keysUnder(client, prefix);
      expect(keys.sort()).toEqual([
        `${prefix}log:{t}:a`,
        `${prefix}total:{t}:a`,
      ]);
      const ttl = await client.pttl(`${prefix}log:{t}:a`);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
      expect(await client.get(`${prefix}total:{t}:a`)).toBe("3");
    });

    it("deletes the keys of a window that emptied", async () => {
      const clock = createTestClock();
      const { store, client, prefix } = await openRedisStore({
        now: clock.now,
      });
      await store.consume([windowOf("a")]);

      clock.advance(5_000);
      const result = await store.consume([windowOf("a", 0)]);

      expect(result.windows[0]?.used).toBe(0);
      expect(await keysUnder(client, prefix)).toEqual([]);
    });

    it("stores same-millisecond requests as separate members", async () => {
      const clock = createTestClock();
      const { store, client, prefix } = await openRedisStore({
        now: clock.now,
      });

      await store.consume([windowOf("a", 2)]);
      await store.consume([windowOf("a", 2)]);

      expect(await client.zcard(`${prefix}log:a`)).toBe(2);
      expect(await client.get(`${prefix}total:a`)).toBe("4");
    });

    it("rebuilds a missing total from the log", async () => {
      const clock = createTestClock();
      const { store, client, prefix } = await openRedisStore({
        now: clock.now,
      });
      await store.consume([windowOf("a", 4)]);
      await store.consume([windowOf("a", 3)]);

      await client.del(`${prefix}total:a`);
      const result = await store.consume([windowOf("a", 0)]);

      expect(result.windows[0]?.used).toBe(7);
      expect(await client.get(`${prefix}total:a`)).toBe("7");
      expect(await client.pttl(`${prefix}total:a`)).toBeGreaterThan(0);
    });

    it("admits exactly 5 of 100 requests over 4 connections", async () => {
      const clock = createTestClock();
      const first = await openRedisStore({ now: clock.now });
      const stores = [first.store];
      for (let index = 0; index < 3; index++) {
        const client = await openTestRedis();
        stores.push(
          new RedisRateLimitStore({
            client,
            prefix: first.prefix,
            now: clock.now,
          }),
        );
      }
      const window = { key: "shared", limit: 5, windowMs: 60_000, cost: 1 };

      const results = await Promise.all(
        Array.from({ length: 100 }, (_, index) =>
          (stores[index % 4] as RedisRateLimitStore).consume([window]),
        ),
      );

      expect(results.filter((result) => result.allowed)).toHaveLength(5);
    });

    it("stamps entries with the Redis server time", async () => {
      const { store } = await openRedisStore({ clock: "redis" });
      const limiter = new RateLimiter({
        store,
        limits: [{ name: "requests", limit: 1, windowMs: 60_000 }],
      });
      const before = Date.now();

      const result = await limiter.consume({ key: "k" });
      const rejected = await limiter.consume({ key: "k" });

      // The server runs on this machine, so both clocks agree to within a
      // second.
      expect(Math.abs(result.checkedAt - before)).toBeLessThan(1_000);
      expect(result.resetAt).toBe(result.checkedAt + 60_000);
      expect(rejected.allowed).toBe(false);
      expect(rejected.retryAfterMs).toBeGreaterThan(58_000);
    });

    it("runs an uncached script by EVAL, then by EVALSHA", async () => {
      const client = await openTestRedis();
      const source = `return ARGV[1] .. "-${randomUUID()}"`;
      const sha = createHash("sha1").update(source).digest("hex");
      const cachedBefore = await client.script("EXISTS", sha);

      const first = await evalScript(client, { source, sha }, [], ["a"]);
      const cachedAfter = await client.script("EXISTS", sha);
      const second = await evalScript(client, { source, sha }, [], ["b"]);

      expect(cachedBefore).toEqual([0]);
      expect(cachedAfter).toEqual([1]);
      expect(String(first)).toMatch(/^a-/);
      expect(String(second)).toMatch(/^b-/);
    });

    it("rejects a window key with a lone surrogate", async () => {
      const { store, client, prefix } = await openRedisStore();

      const error = await errorOf(() => store.consume([windowOf("a\uD800")]));

      expect(error.code).toBe(SecurityErrorCode.INVALID_INPUT);
      expect(error.issues.map((issue) => issue.path)).toEqual([
        "windows[0].key",
      ]);
      expect(await keysUnder(client, prefix)).toEqual([]);
    });

    it("bounds the entries read to find the wait", async () => {
      const clock = createTestClock();
      const { store, client, prefix } = await openRedisStore({
        now: clock.now,
      });
      // 5000 entries of cost 1, the one at index i made at start + i ms.
      const start = clock.now();
      const scored = Array.from({ length: 5_000 }, (_, index) => [
        start + index,
        `1:entry-${index}`,
      ]);
      await client.zadd(`${prefix}log:a`, ...scored.flat());
      await client.set(`${prefix}total:a`, "5000");
      clock.advance(5_000);
      const windowMs = 10_000;
      const waitOf = async (cost: number): Promise<number | undefined> => {
        const window = { key: "a", limit: 5_000, windowMs, cost };
        const result = await store.consume([window]);
        return result.windows[0]?.retryAfterMs;
      };
      const leaves = (index: number): number => index + windowMs - 5_000;

      // Found among the 1000 oldest entries.
      expect(await waitOf(10)).toBe(leaves(9));
      // Found among the 1000 newest entries.
      expect(await waitOf(4_995)).toBe(leaves(4_994));
      // Between the two reads: the exact wait is leaves(2_499), and the
      // bound is when the oldest of the 1000 newest entries leaves.
      expect(await waitOf(2_500)).toBe(leaves(4_000));
    });

    it("resets only the windows named", async () => {
      const { store, client, prefix } = await openRedisStore({
        now: createTestClock().now,
      });
      await store.consume([windowOf("a"), windowOf("b")]);

      await store.reset(["a"]);

      expect((await keysUnder(client, prefix)).sort()).toEqual([
        `${prefix}log:b`,
        `${prefix}total:b`,
      ]);
    });
  },
);
