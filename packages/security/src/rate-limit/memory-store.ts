import { describeValue, SecurityErrorCode } from "../errors.js";
import type { SecurityIssue } from "../errors.js";
import { SlidingLog } from "./sliding-log.js";
import type {
  RateLimitConsumeOptions,
  RateLimitStore,
  RateLimitStoreResult,
  RateLimitWindow,
  RateLimitWindowState,
} from "./types.js";
import {
  checkClock,
  checkKnownOptions,
  checkWindows,
  fieldsOf,
  readClock,
  throwIfIssues,
} from "./validate.js";

/** Options of {@link MemoryRateLimitStore}. */
export interface MemoryRateLimitStoreOptions {
  /**
   * Clock in ms since the epoch. Inject one in tests to move time without
   * timers.
   * @default Date.now
   */
  readonly now?: () => number;
}

/**
 * Minimum number of calls between two sweeps, so a store with few windows
 * does not sweep on every call.
 */
const MIN_CALLS_BETWEEN_SWEEPS = 64;

/**
 * A {@link RateLimitStore} in a `Map`, for one process. Its counts are not
 * shared between processes or servers, so use {@link RedisRateLimitStore}
 * there.
 *
 * Entries expire by their timestamps, so correctness never depends on a
 * timer. Each call prunes the windows it touches. A call also sweeps all
 * windows and drops the empty ones once the calls since the last sweep
 * reach half the number of windows that sweep left, and at least 64. So
 * an expired window that no call touches is dropped within that many
 * calls after it expires, also when every call uses a new key. A sweep checks the windows
 * left by the last one plus at most those created since, so its amortised
 * cost is O(1) per window that a call names. {@link prune} sweeps at once.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly logs = new Map<string, SlidingLog>();
  private readonly now: () => number;
  private callsSinceSweep = 0;
  /** Calls after which the next call sweeps, set by the last sweep. */
  private sweepAfterCalls = MIN_CALLS_BETWEEN_SWEEPS;

  /**
   * @throws SecurityError INVALID_OPTIONS listing every invalid or unknown
   * option.
   */
  constructor(options: MemoryRateLimitStoreOptions = {}) {
    checkMemoryOptions(options);
    this.now = options.now ?? Date.now;
  }

  /** Number of windows stored, expired ones not yet swept included. */
  get size(): number {
    return this.logs.size;
  }

  /**
   * Checks every window and charges all of them when each one fits. The
   * call runs without awaiting, so it is atomic within the process.
   */
  consume(
    windows: readonly RateLimitWindow[],
    options: RateLimitConsumeOptions = {},
  ): Promise<RateLimitStoreResult> {
    // The executor runs at once and turns a throw into a rejection.
    return new Promise((resolve) => {
      resolve(this.consumeNow(windows, options.dryRun === true));
    });
  }

  /** Deletes the windows with these keys. */
  reset(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      this.logs.delete(key);
    }
    return Promise.resolve();
  }

  /** Drops every expired entry and every window left empty. */
  prune(): void {
    this.sweep(readClock(this.now));
  }

  private consumeNow(
    windows: readonly RateLimitWindow[],
    dryRun: boolean,
  ): RateLimitStoreResult {
    checkWindows(windows);
    const now = readClock(this.now);
    this.sweepIfDue(now);

    const logs = windows.map((window) => this.logFor(window, now));
    let states = windows.map((window, index) =>
      (logs[index] as SlidingLog).stateFor(
        window.cost,
        window.limit,
        window.windowMs,
        now,
      ),
    );
    const allowed = states.every((state) => state.allowed);

    if (allowed && !dryRun) {
      states = windows.map((window, index) =>
        this.charge(logs[index] as SlidingLog, window, now),
      );
    }
    windows.forEach((window, index) => {
      if ((logs[index] as SlidingLog).isEmpty) {
        this.logs.delete(window.key);
      }
    });
    return { allowed, now, windows: states };
  }

  /** Returns the pruned log of a window, a new one when none is stored. */
  private logFor(window: RateLimitWindow, now: number): SlidingLog {
    let log = this.logs.get(window.key);
    if (log === undefined) {
      log = new SlidingLog(window.windowMs);
      this.logs.set(window.key, log);
    }
    log.prune(now, window.windowMs);
    return log;
  }

  private charge(
    log: SlidingLog,
    window: RateLimitWindow,
    now: number,
  ): RateLimitWindowState {
    log.add(now, window.cost);
    return {
      allowed: true,
      used: log.used,
      resetAt: log.resetAt(window.windowMs, now),
      retryAfterMs: 0,
    };
  }

  private sweepIfDue(now: number): void {
    this.callsSinceSweep++;
    if (this.callsSinceSweep >= this.sweepAfterCalls) {
      this.sweep(now);
    }
  }

  private sweep(now: number): void {
    this.callsSinceSweep = 0;
    for (const [key, log] of this.logs) {
      log.prune(now, log.windowMs);
      if (log.isEmpty) {
        this.logs.delete(key);
      }
    }
    this.sweepAfterCalls = Math.max(
      MIN_CALLS_BETWEEN_SWEEPS,
      Math.ceil(this.logs.size / 2),
    );
  }
}

function checkMemoryOptions(options: unknown): void {
  const issues: SecurityIssue[] = [];
  const fields = fieldsOf(options);
  if (fields === undefined) {
    issues.push({
      path: "",
      value: options,
      message: `The options must be an object such as { now: Date.now } (received ${describeValue(options)}).`,
    });
  } else {
    checkKnownOptions(issues, fields, ["now"]);
    checkClock(issues, fields.now);
  }
  throwIfIssues(
    SecurityErrorCode.INVALID_OPTIONS,
    "option",
    issues,
    "MemoryRateLimitStore",
  );
}
