import { randomUUID } from "node:crypto";

import { Redis } from "ioredis";
import { describe, onTestFinished } from "vitest";

import { MemoryRateLimitStore } from "../memory-store.js";
import { RedisRateLimitStore } from "../redis-store.js";
import type { RedisRateLimitStoreOptions } from "../redis-store.js";
import type { RateLimitStore } from "../types.js";
import type { TestClock } from "./clock.js";

const REDIS_HOST = "127.0.0.1";
const REDIS_PORT = 6379;

/** Whether the Redis tests are skipped: only when RETRIEVAL_FREE_SKIP_REDIS=1. */
export const SKIP_REDIS = process.env.RETRIEVAL_FREE_SKIP_REDIS === "1";

/**
 * Connects to the test Redis and closes the connection when the test
 * finishes. Throws with the fix when Redis is unreachable, so the Redis
 * tests fail instead of passing without a server.
 */
export async function openTestRedis(): Promise<Redis> {
  const client = new Redis({
    host: REDIS_HOST,
    port: REDIS_PORT,
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  let lastError: unknown;
  client.on("error", (error: unknown) => {
    lastError = error;
  });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    // The socket error, such as ECONNREFUSED, is more specific than the
    // rejection.
    const reason =
      lastError instanceof Error
        ? lastError.message
        : error instanceof Error
          ? error.message
          : String(error);
    throw new Error(
      `Redis at ${REDIS_HOST}:${REDIS_PORT} is not reachable (${reason}). The rate-limit tests need a Redis server there without a password. Start one, for example with \`redis-server\`, or set RETRIEVAL_FREE_SKIP_REDIS=1 to skip them.`,
      { cause: error },
    );
  }
  onTestFinished(async () => {
    if (client.status === "ready") {
      await client.quit();
    } else {
      client.disconnect();
    }
  });
  return client;
}

/** Returns a random key prefix, so parallel tests never share keys. */
export function uniquePrefix(): string {
  return `retrieval-free-test:rate-limit:${randomUUID()}:`;
}

/** Returns every key under a prefix. */
export async function keysUnder(
  client: Redis,
  prefix: string,
): Promise<string[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await client.scan(
      cursor,
      "MATCH",
      `${prefix}*`,
      "COUNT",
      1000,
    );
    keys.push(...batch);
    cursor = next;
  } while (cursor !== "0");
  return keys;
}

/**
 * Opens a Redis store on a new connection and a random prefix. When the
 * test finishes, its keys are deleted and the connection is closed.
 */
export async function openRedisStore(
  options: Omit<RedisRateLimitStoreOptions, "client"> = {},
): Promise<{ store: RedisRateLimitStore; client: Redis; prefix: string }> {
  const client = await openTestRedis();
  const prefix = options.prefix ?? uniquePrefix();
  onTestFinished(async () => {
    const keys = await keysUnder(client, prefix);
    if (keys.length > 0) {
      await client.del(...keys);
    }
  });
  const store = new RedisRateLimitStore({ ...options, client, prefix });
  return { store, client, prefix };
}

/** A store backend that the shared tests run against. */
export interface StoreBackend {
  readonly name: "memory" | "Redis";
  readonly skipped: boolean;
  /** Opens an empty store that reads the given clock. */
  open(clock: TestClock): Promise<RateLimitStore>;
}

/** Every backend, the Redis one skipped when RETRIEVAL_FREE_SKIP_REDIS=1. */
export const STORE_BACKENDS: readonly StoreBackend[] = [
  {
    name: "memory",
    skipped: false,
    open: (clock) =>
      Promise.resolve(new MemoryRateLimitStore({ now: clock.now })),
  },
  {
    name: "Redis",
    skipped: SKIP_REDIS,
    open: async (clock) => (await openRedisStore({ now: clock.now })).store,
  },
];

/** Defines the same suite once per backend. */
export function describeEachStore(
  title: string,
  suite: (backend: StoreBackend) => void,
): void {
  for (const backend of STORE_BACKENDS) {
    describe.skipIf(backend.skipped)(`${title} (${backend.name} store)`, () => {
      suite(backend);
    });
  }
}
