/** Whose traffic a limit counts: one API key's, or one tenant's. */
export type RateLimitScope = "key" | "tenant";

/**
 * Unit that a limit counts: `requests` charges 1 point per request, and
 * `tokens` charges the request's `tokens`.
 */
export type RateLimitUnit = "requests" | "tokens";

/**
 * Why a limit rejects a request:
 * - `limit_exceeded`: the points counted in the window plus the cost are
 *   above the limit, so the request fits after `retryAfterMs`.
 * - `cost_above_limit`: the cost alone is above the limit, so the request
 *   never fits and must be split.
 */
export type RateLimitRejection = "limit_exceeded" | "cost_above_limit";

/** One sliding-window limit of a {@link RateLimiter}. */
export interface RateLimitRule {
  /**
   * Name of the limit, such as `key-tokens-per-minute`: letters, digits,
   * `.`, `_` and `-`, unique within a limiter. It is part of the store key,
   * so limiters that share a store and a name share the counts.
   */
  readonly name: string;
  /** Whose traffic the limit counts. @default "key" */
  readonly scope?: RateLimitScope;
  /** Unit that the limit counts. @default "requests" */
  readonly unit?: RateLimitUnit;
  /** Maximum points counted in any window, a positive integer. */
  readonly limit: number;
  /** Length of the sliding window in milliseconds, a positive integer. */
  readonly windowMs: number;
}

/** One request to check against the limits of a {@link RateLimiter}. */
export interface RateLimitRequest {
  /** API key id, required when a limit has scope `key`. */
  readonly key?: string;
  /**
   * Tenant id, required when a limit has scope `tenant`. When given, the
   * key's windows are stored under the tenant, so pass the same tenant for
   * a key every time.
   */
  readonly tenant?: string;
  /**
   * Cost of the request for `tokens` limits, a non-negative integer such
   * as its token count. Required when a limit counts tokens.
   */
  readonly tokens?: number;
}

/** The outcome of one limit for one request. */
export interface RateLimitOutcome {
  readonly name: string;
  readonly scope: RateLimitScope;
  readonly unit: RateLimitUnit;
  readonly windowMs: number;
  /** Points this request costs in this limit. */
  readonly cost: number;
  /**
   * Whether this limit alone admits the request. The request is charged
   * only when every limit of the call admits it.
   */
  readonly allowed: boolean;
  readonly limit: number;
  /** Points counted in the window after the call. */
  readonly used: number;
  /** `limit - used`, never below 0. */
  readonly remaining: number;
  /**
   * Time in ms since the epoch when the oldest entry counted in the window
   * leaves it and frees its cost. It equals `checkedAt` when the window is
   * empty.
   */
  readonly resetAt: number;
  /**
   * Milliseconds until a request of this cost fits: 0 when it fits now,
   * `Infinity` when the cost is above the limit. When the window holds more
   * than 2000 entries, {@link RedisRateLimitStore} may return an upper
   * bound in place of the exact wait, because it reads at most 1000
   * entries from each end of the log.
   */
  readonly retryAfterMs: number;
  readonly reason?: RateLimitRejection;
}

/**
 * The result of a {@link RateLimiter} call. The top-level `limit`,
 * `remaining`, `resetAt` and `retryAfterMs` come from the deciding limit
 * named in `name`. For a rejected request that is the rejecting limit
 * with the longest wait, and for an admitted one the limit with the
 * smallest share of its points remaining.
 */
export interface RateLimitResult {
  /** Whether the request is admitted, and so charged unless it was a peek. */
  readonly allowed: boolean;
  /** Name of the deciding limit. */
  readonly name: string;
  readonly limit: number;
  readonly remaining: number;
  readonly resetAt: number;
  readonly retryAfterMs: number;
  readonly reason?: RateLimitRejection;
  /** Time of the decision in ms since the epoch, from the store's clock. */
  readonly checkedAt: number;
  /** Every limit's outcome, in the order of the limiter's rules. */
  readonly outcomes: readonly RateLimitOutcome[];
}

/** One sliding window that a store call checks and charges. */
export interface RateLimitWindow {
  /**
   * Store key of the window. With Redis Cluster, all keys of one call must
   * contain the same hash tag, such as `{tenant-42}`.
   */
  readonly key: string;
  /** Maximum points counted in the window, a positive integer. */
  readonly limit: number;
  /** Length of the window in milliseconds, a positive integer. */
  readonly windowMs: number;
  /** Points the request costs, a non-negative integer. 0 charges nothing. */
  readonly cost: number;
}

/** The state of one window after a store call. */
export interface RateLimitWindowState {
  /** Whether the cost fits in this window. */
  readonly allowed: boolean;
  /** Points counted in the window after the call. */
  readonly used: number;
  /** See {@link RateLimitOutcome.resetAt}. */
  readonly resetAt: number;
  /** See {@link RateLimitOutcome.retryAfterMs}. */
  readonly retryAfterMs: number;
}

/** The result of one store call over several windows. */
export interface RateLimitStoreResult {
  /** Whether every window admits its cost, the only case that charges. */
  readonly allowed: boolean;
  /** Time of the decision in ms since the epoch. */
  readonly now: number;
  /** One state per window, in the order given. */
  readonly windows: readonly RateLimitWindowState[];
}

/** Options of {@link RateLimitStore.consume}. */
export interface RateLimitConsumeOptions {
  /** Checks the windows without charging them. @default false */
  readonly dryRun?: boolean;
}

/**
 * A backend of sliding-window logs. `consume` is atomic over all windows
 * of one call: it charges every window or none, and concurrent calls never
 * count more than a window's limit.
 */
export interface RateLimitStore {
  /** Checks every window and charges all of them when each one fits. */
  consume(
    windows: readonly RateLimitWindow[],
    options?: RateLimitConsumeOptions,
  ): Promise<RateLimitStoreResult>;
  /** Deletes the windows with these keys. */
  reset(keys: readonly string[]): Promise<void>;
}
