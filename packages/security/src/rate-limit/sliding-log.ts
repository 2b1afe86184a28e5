import type { RateLimitWindowState } from "./types.js";

/** Entries a log may skip at its head before it copies the live ones down. */
const COMPACT_AFTER = 64;

/**
 * A sliding log of one window: (time, cost) entries in time order and
 * their running total. An entry made at time `t` counts while
 * `now - t < windowMs`, so it counts at `t + windowMs - 1` and not at
 * `t + windowMs`. Entries with the same time are merged, so a log keeps
 * at most one entry per millisecond of the window and at most `limit`
 * entries, because every stored entry costs at least 1.
 */
export class SlidingLog {
  private times: number[] = [];
  private costs: number[] = [];
  /** Index of the oldest entry that counts. Entries before it expired. */
  private head = 0;
  private total = 0;
  /** Length of the window of the last call, used to sweep idle logs. */
  windowMs: number;

  constructor(windowMs: number) {
    this.windowMs = windowMs;
  }

  /** Points counted in the window as of the last prune. */
  get used(): number {
    return this.total;
  }

  /** Tells whether the log has no entry left. */
  get isEmpty(): boolean {
    return this.head === this.times.length;
  }

  /** Drops the entries that no longer count at `now`. */
  prune(now: number, windowMs: number): void {
    this.windowMs = windowMs;
    const cutoff = now - windowMs;
    while (this.head < this.times.length) {
      if ((this.times[this.head] as number) > cutoff) {
        break;
      }
      this.total -= this.costs[this.head] as number;
      this.head++;
    }
    if (this.head > COMPACT_AFTER && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.costs = this.costs.slice(this.head);
      this.head = 0;
    }
  }

  /** Adds an entry, keeping time order when the clock went back. */
  add(time: number, cost: number): void {
    if (cost === 0) {
      return;
    }
    this.total += cost;
    let index = this.times.length;
    while (index > this.head && (this.times[index - 1] as number) > time) {
      index--;
    }
    if (index > this.head && this.times[index - 1] === time) {
      this.costs[index - 1] = (this.costs[index - 1] as number) + cost;
      return;
    }
    this.times.splice(index, 0, time);
    this.costs.splice(index, 0, cost);
  }

  /**
   * Returns the state of the window at `now` for a request of `cost`.
   * Call {@link prune} with the same `now` first.
   */
  stateFor(
    cost: number,
    limit: number,
    windowMs: number,
    now: number,
  ): RateLimitWindowState {
    const allowed = this.total + cost <= limit;
    return {
      allowed,
      used: this.total,
      resetAt: this.resetAt(windowMs, now),
      retryAfterMs: allowed ? 0 : this.waitFor(cost, limit, windowMs, now),
    };
  }

  /** Time when the oldest entry leaves the window, or `now` when empty. */
  resetAt(windowMs: number, now: number): number {
    return this.isEmpty ? now : (this.times[this.head] as number) + windowMs;
  }

  /**
   * Returns the milliseconds until enough of the oldest entries leave the
   * window for `cost` to fit, or `Infinity` when `cost` is above `limit`.
   */
  private waitFor(
    cost: number,
    limit: number,
    windowMs: number,
    now: number,
  ): number {
    if (cost > limit) {
      return Number.POSITIVE_INFINITY;
    }
    const needed = this.total + cost - limit;
    let freed = 0;
    for (let index = this.head; index < this.times.length; index++) {
      freed += this.costs[index] as number;
      if (freed >= needed) {
        return (this.times[index] as number) + windowMs - now;
      }
    }
    // Unreachable: when cost <= limit, freeing every entry always suffices.
    return Number.POSITIVE_INFINITY;
  }
}
