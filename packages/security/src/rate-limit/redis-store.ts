import { randomBytes } from "node:crypto";

import type { Cluster, Redis } from "ioredis";

import { describeValue, SecurityError, SecurityErrorCode } from "../errors.js";
import type { SecurityIssue } from "../errors.js";
import { RATE_LIMIT_SCRIPT, RATE_LIMIT_SCRIPT_SHA } from "./redis-script.js";
import type {
  RateLimitConsumeOptions,
  RateLimitStore,
  RateLimitStoreResult,
  RateLimitWindow,
  RateLimitWindowState,
} from "./types.js";
import {
  asSentence,
  checkClock,
  checkKnownOptions,
  checkWindows,
  fieldsOf,
  readClock,
  throwIfIssues,
} from "./validate.js";

/**
 * Source of the time that a {@link RedisRateLimitStore} stamps entries
 * with:
 * - `local`: the store's `now()`, sent to Redis with each call. Every
 *   process that shares the keys needs a synchronised clock (NTP), because
 *   a clock that runs ahead charges entries that count for longer.
 * - `redis`: the Redis server's `TIME`, one clock for every process, which
 *   `now` cannot replace in tests.
 */
export type RedisRateLimitClock = "local" | "redis";

/** Options of {@link RedisRateLimitStore}. */
export interface RedisRateLimitStoreOptions {
  /**
   * An ioredis 5 `Redis` or `Cluster` client that the caller creates,
   * configures and closes. The store only sends commands through it.
   *
   * NOTE: the tests run against a single Redis server only. Cluster
   * support rests on the hash tags in the keys that {@link RateLimiter}
   * builds, which keep all keys of one call in one slot.
   */
  readonly client: Redis | Cluster;
  /** Prefix of every key the store writes. @default "rate-limit:" */
  readonly prefix?: string;
  /** Source of entry times. @default "local" */
  readonly clock?: RedisRateLimitClock;
  /**
   * Clock in ms since the epoch for the `local` clock. Inject one in tests
   * to move time without timers.
   * @default Date.now
   */
  readonly now?: () => number;
}

/** A Lua script and the SHA-1 that EVALSHA names it by. */
export interface RedisScript {
  readonly source: string;
  readonly sha: string;
}

const RATE_LIMIT: RedisScript = {
  source: RATE_LIMIT_SCRIPT,
  sha: RATE_LIMIT_SCRIPT_SHA,
};

/**
 * Runs a script by EVALSHA, and by EVAL when the server has not cached it
 * (a NOSCRIPT reply), which also caches it for the next call.
 */
export async function evalScript(
  client: Redis | Cluster,
  script: RedisScript,
  keys: readonly string[],
  args: readonly string[],
): Promise<unknown> {
  try {
    return await client.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) {
      throw error;
    }
    return client.eval(script.source, keys.length, ...keys, ...args);
  }
}

/**
 * A {@link RateLimitStore} in Redis, shared by every process that uses the
 * same Redis and prefix. Each call runs one Lua script, so Redis checks
 * and charges all of its windows atomically.
 *
 * Each window is a sorted set of entries scored by time plus a running
 * total of their costs, at `<prefix>log:<key>` and `<prefix>total:<key>`.
 * Both keys expire one window after the newest entry, so idle windows
 * vanish without a sweep. Failures raise `STORE_FAILED` with the Redis
 * error as `cause`. Tested with Redis 7.0.
 *
 * For a rejected request, the script reads at most 1000 entries
 * (`MAX_WAIT_SCAN_ENTRIES`) from each end of a window's log to find
 * `retryAfterMs`, so a call never blocks Redis for a time that grows with
 * the log. In a log of more than 2000 entries that wait may be an upper
 * bound.
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly client: Redis | Cluster;
  private readonly prefix: string;
  private readonly clock: RedisRateLimitClock;
  private readonly now: () => number;

  /**
   * @throws SecurityError INVALID_OPTIONS listing every invalid or unknown
   * option.
   */
  constructor(options: RedisRateLimitStoreOptions) {
    checkRedisOptions(options);
    this.client = options.client;
    this.prefix = options.prefix ?? "rate-limit:";
    this.clock = options.clock ?? "local";
    this.now = options.now ?? Date.now;
  }

  /** Checks every window and charges all of them when each one fits. */
  async consume(
    windows: readonly RateLimitWindow[],
    options: RateLimitConsumeOptions = {},
  ): Promise<RateLimitStoreResult> {
    checkWindows(windows);
    const keys = windows.flatMap((window) => this.keysOf(window.key));
    const time = this.clock === "local" ? String(readClock(this.now)) : "";
    const args = [
      time,
      randomBytes(12).toString("base64url"),
      options.dryRun === true ? "1" : "0",
      ...windows.flatMap((window) => [
        String(window.limit),
        String(window.windowMs),
        String(window.cost),
      ]),
    ];
    let reply: unknown;
    try {
      reply = await evalScript(this.client, RATE_LIMIT, keys, args);
    } catch (error) {
      throw this.storeFailed("check the windows", windows, error);
    }
    return parseReply(reply, windows.length);
  }

  /** Deletes the windows with these keys. */
  async reset(keys: readonly string[]): Promise<void> {
    try {
      await Promise.all(
        keys.map((key) => this.client.del(...this.keysOf(key))),
      );
    } catch (error) {
      throw this.storeFailed(
        "reset the windows",
        keys.map((key) => ({ key })),
        error,
      );
    }
  }

  private keysOf(key: string): [string, string] {
    return [`${this.prefix}log:${key}`, `${this.prefix}total:${key}`];
  }

  private storeFailed(
    action: string,
    windows: readonly { readonly key: string }[],
    cause: unknown,
  ): SecurityError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const keys = windows.map((window) => window.key).join(", ");
    return new SecurityError(
      SecurityErrorCode.STORE_FAILED,
      `The Redis rate-limit store failed to ${action} (prefix ${describeValue(this.prefix)}, keys ${keys}): ${asSentence(reason)} Check that Redis is reachable and that the client is connected.`,
      { cause },
    );
  }
}

const REDIS_OPTIONS = ["client", "prefix", "clock", "now"];

function checkClient(issues: SecurityIssue[], client: unknown): void {
  const fields = fieldsOf(client);
  if (
    typeof fields?.evalsha !== "function" ||
    typeof fields.eval !== "function"
  ) {
    issues.push({
      path: "client",
      value: client,
      message: `client must be an ioredis 5 Redis or Cluster instance, such as new Redis("redis://127.0.0.1:6379") (received ${describeValue(client)}).`,
    });
  }
}

function checkRedisOptions(options: unknown): void {
  const issues: SecurityIssue[] = [];
  const fields = fieldsOf(options) ?? {};
  checkKnownOptions(issues, fields, REDIS_OPTIONS);
  checkClient(issues, fields.client);
  const { prefix, clock, now } = fields;
  if (prefix !== undefined && (typeof prefix !== "string" || prefix === "")) {
    issues.push({
      path: "prefix",
      value: prefix,
      message: `prefix must be a non-empty string such as "rate-limit:" (received ${describeValue(prefix)}).`,
    });
  }
  if (clock !== undefined && clock !== "local" && clock !== "redis") {
    issues.push({
      path: "clock",
      value: clock,
      message: `clock must be "local" or "redis" (received ${describeValue(clock)}).`,
    });
  }
  checkClock(issues, now);
  if (clock === "redis" && now !== undefined) {
    issues.push({
      path: "now",
      value: now,
      message:
        'now is used only by the "local" clock. Remove it or set clock to "local".',
    });
  }
  throwIfIssues(
    SecurityErrorCode.INVALID_OPTIONS,
    "option",
    issues,
    "RedisRateLimitStore",
  );
}

function parseReply(reply: unknown, count: number): RateLimitStoreResult {
  if (
    !Array.isArray(reply) ||
    reply.length !== 2 + 4 * count ||
    !reply.every((value) => typeof value === "number")
  ) {
    throw new SecurityError(
      SecurityErrorCode.STORE_FAILED,
      `The Redis rate-limit script returned ${describeValue(reply)}, not ${2 + 4 * count} integers. Check that the server runs Redis Lua scripts unchanged.`,
    );
  }
  const [now, allowed, ...states] = reply as [number, number, ...number[]];
  const windows: RateLimitWindowState[] = [];
  for (let index = 0; index < count; index++) {
    const [fits, used, resetAt, wait] = states.slice(
      4 * index,
      4 * index + 4,
    ) as [number, number, number, number];
    windows.push({
      allowed: fits === 1,
      used,
      resetAt,
      retryAfterMs: wait < 0 ? Number.POSITIVE_INFINITY : wait,
    });
  }
  return {
    allowed: allowed === 1,
    now,
    windows,
  };
}
