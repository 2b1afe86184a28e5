import {
  checkKnownKeys,
  type IssueList,
  isRecord,
  MAX_TIMER_MS,
  readNumber,
  readOptionsObject,
  throwIfInvalid,
} from "./validation.js";

/** Options of {@link createRetryBudget}. */
export interface RetryBudgetOptions {
  /**
   * Retries allowed per call in the window, on top of the minimum; 0.2
   * lets retries add at most 20% to the load.
   * @default 0.2
   */
  readonly ratio?: number;
  /**
   * Retries per second that are always allowed, so a caller with few calls
   * can still retry.
   * @default 10
   */
  readonly minRetriesPerSecond?: number;
  /**
   * Length of the sliding window, in milliseconds.
   * @default 10000
   */
  readonly windowMs?: number;
}

/** Counts of a retry budget's current window. */
export interface RetryBudgetSnapshot {
  /** First attempts recorded in the window. */
  readonly calls: number;
  /** Retries granted in the window. */
  readonly retries: number;
  /** Retries the window allows in total, granted ones included. */
  readonly allowedRetries: number;
}

/**
 * A limit on retries shared by the calls of one or more retry policies,
 * so a failing dependency does not receive a retry storm.
 */
export interface RetryBudget {
  /** Records the first attempt of a call. */
  recordCall(): void;
  /** Grants and records one retry; returns false when the budget is spent. */
  tryAcquireRetry(): boolean;
  /** Returns the counts of the current window. */
  snapshot(): RetryBudgetSnapshot;
}

/** Checked settings of a retry budget. */
export interface RetryBudgetSettings {
  readonly ratio: number;
  readonly minRetriesPerSecond: number;
  readonly windowMs: number;
}

const OPTION_NAMES = ["ratio", "minRetriesPerSecond", "windowMs"];

/** Number of slices the window is divided into. */
const SLICES = 10;

/** Checks the options of a retry budget at `path`, recording issues. */
export function readRetryBudgetOptions(
  value: unknown,
  path: string,
  issues: IssueList,
): RetryBudgetSettings {
  const record = readOptionsObject(value, path, issues, "{ ratio: 0.2 }");
  checkKnownKeys(record, OPTION_NAMES, path, issues);
  return {
    ratio: readNumber(record, "ratio", path, issues, {
      default: 0.2,
      min: 0,
      example: "0.2",
    }),
    minRetriesPerSecond: readNumber(
      record,
      "minRetriesPerSecond",
      path,
      issues,
      { default: 10, min: 0, example: "10" },
    ),
    windowMs: readNumber(record, "windowMs", path, issues, {
      default: 10_000,
      min: SLICES,
      max: MAX_TIMER_MS,
      integer: true,
      example: "10000",
    }),
  };
}

/** Tells whether a value has the methods of a {@link RetryBudget}. */
export function isRetryBudget(value: unknown): value is RetryBudget {
  return (
    isRecord(value) &&
    typeof value.recordCall === "function" &&
    typeof value.tryAcquireRetry === "function" &&
    typeof value.snapshot === "function"
  );
}

interface Slice {
  index: number;
  calls: number;
  retries: number;
}

/**
 * Retry budget over a sliding window. A retry is granted while the
 * retries granted in the window, this one included, number at most
 * `minRetriesPerSecond * windowMs / 1000 + ratio * calls`, where `calls`
 * counts first attempts in the window. The window is kept as 10 slices of
 * `windowMs / 10`, so a count leaves it between 0.9 and 1 window after it
 * was recorded. Time comes from `Date.now()`.
 */
class SlidingRetryBudget implements RetryBudget {
  readonly #settings: RetryBudgetSettings;
  readonly #sliceMs: number;
  readonly #slices: Slice[];

  constructor(settings: RetryBudgetSettings) {
    this.#settings = settings;
    this.#sliceMs = settings.windowMs / SLICES;
    this.#slices = Array.from({ length: SLICES }, () => ({
      index: -1,
      calls: 0,
      retries: 0,
    }));
  }

  recordCall(): void {
    this.#currentSlice().calls += 1;
  }

  tryAcquireRetry(): boolean {
    const { retries, allowedRetries } = this.snapshot();
    if (retries + 1 > allowedRetries) {
      return false;
    }
    this.#currentSlice().retries += 1;
    return true;
  }

  snapshot(): RetryBudgetSnapshot {
    const current = this.#currentSlice().index;
    let calls = 0;
    let retries = 0;
    for (const slice of this.#slices) {
      if (slice.index > current - SLICES) {
        calls += slice.calls;
        retries += slice.retries;
      }
    }
    const { minRetriesPerSecond, ratio, windowMs } = this.#settings;
    const reserve = (minRetriesPerSecond * windowMs) / 1000;
    return { calls, retries, allowedRetries: reserve + ratio * calls };
  }

  #currentSlice(): Slice {
    const index = Math.floor(Date.now() / this.#sliceMs);
    // The position is always from 0 to SLICES - 1, also for a clock
    // before 1970.
    const slice = this.#slices[((index % SLICES) + SLICES) % SLICES] as Slice;
    if (slice.index !== index) {
      slice.index = index;
      slice.calls = 0;
      slice.retries = 0;
    }
    return slice;
  }
}

/** Creates a retry budget from checked settings. */
export function buildRetryBudget(settings: RetryBudgetSettings): RetryBudget {
  return new SlidingRetryBudget(settings);
}

/**
 * Creates a retry budget that one or more retry policies can share.
 * @throws {ResilienceError} `INVALID_OPTIONS` listing every invalid option.
 */
export function createRetryBudget(options?: RetryBudgetOptions): RetryBudget {
  const issues: IssueList = [];
  const settings = readRetryBudgetOptions(options, "", issues);
  throwIfInvalid(issues);
  return buildRetryBudget(settings);
}
