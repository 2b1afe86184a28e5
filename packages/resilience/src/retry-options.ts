import type { BackoffSettings } from "./backoff.js";
import type { ResilienceLogger } from "./events.js";
import {
  buildRetryBudget,
  isRetryBudget,
  readRetryBudgetOptions,
  type RetryBudget,
  type RetryBudgetOptions,
} from "./retry-budget.js";
import type { ErrorPredicate } from "./transient.js";
import {
  checkKnownKeys,
  type IssueList,
  MAX_TIMER_MS,
  readFunction,
  readLogger,
  readName,
  readNumber,
  readOptionsObject,
} from "./validation.js";

/** Options of {@link createRetryPolicy}. */
export interface RetryOptions {
  /**
   * Name carried by the policy's events.
   * @default "retry"
   */
  readonly name?: string;
  /**
   * Retries after the first call; a call runs at most `maxRetries + 1`
   * times.
   * @default 3
   */
  readonly maxRetries?: number;
  /**
   * Nominal delay before the first retry, in milliseconds.
   * @default 100
   */
  readonly initialDelayMs?: number;
  /**
   * Cap on the nominal delay, in milliseconds.
   * @default 10000
   */
  readonly maxDelayMs?: number;
  /**
   * Factor by which the nominal delay grows with each retry.
   * @default 2
   */
  readonly multiplier?: number;
  /**
   * Share of each delay, from 0 to 1, that jitter may remove at random.
   * @default 0.5
   */
  readonly jitter?: number;
  /**
   * Source of random numbers in [0, 1) for jitter.
   * @default Math.random
   */
  readonly random?: () => number;
  /**
   * A shared budget, the options of a new one, or false for no budget.
   * @default a new budget with the defaults of {@link RetryBudgetOptions}
   */
  readonly budget?: RetryBudget | RetryBudgetOptions | false;
  /**
   * Tells which errors are retried; the others pass through at once.
   * @default isTransientError
   */
  readonly isTransient?: ErrorPredicate;
  /** Receives the errors of event listeners. */
  readonly logger?: ResilienceLogger;
}

/** Checked settings of a retry policy. */
export interface RetrySettings extends BackoffSettings {
  readonly name: string;
  readonly maxRetries: number;
  readonly random: () => number;
  readonly budget: RetryBudget | undefined;
  readonly isTransient: ErrorPredicate;
  readonly logger: ResilienceLogger | undefined;
}

const OPTION_NAMES = [
  "name",
  "maxRetries",
  "initialDelayMs",
  "maxDelayMs",
  "multiplier",
  "jitter",
  "random",
  "budget",
  "isTransient",
  "logger",
];

function readBudget(
  value: unknown,
  path: string,
  issues: IssueList,
): RetryBudget | undefined {
  if (value === false) {
    return undefined;
  }
  if (isRetryBudget(value)) {
    return value;
  }
  const budgetPath = path === "" ? "budget" : `${path}.budget`;
  return buildRetryBudget(readRetryBudgetOptions(value, budgetPath, issues));
}

function readDelays(
  record: Record<string, unknown>,
  path: string,
  issues: IssueList,
): BackoffSettings {
  const delay = { min: 0, max: MAX_TIMER_MS, integer: false };
  return {
    initialDelayMs: readNumber(record, "initialDelayMs", path, issues, {
      ...delay,
      default: 100,
      example: "100",
    }),
    maxDelayMs: readNumber(record, "maxDelayMs", path, issues, {
      ...delay,
      default: 10_000,
      example: "10000",
    }),
    multiplier: readNumber(record, "multiplier", path, issues, {
      default: 2,
      min: 1,
      max: 100,
      example: "2",
    }),
    jitter: readNumber(record, "jitter", path, issues, {
      default: 0.5,
      min: 0,
      max: 1,
      example: "0.5",
    }),
  };
}

/**
 * Checks the options of a retry policy at `path`, recording issues.
 * `isTransient` is the predicate used when the options have none.
 */
export function readRetryOptions(
  value: unknown,
  path: string,
  issues: IssueList,
  defaults: { name: string; isTransient: ErrorPredicate },
): RetrySettings {
  const record = readOptionsObject(value, path, issues, "{ maxRetries: 3 }");
  checkKnownKeys(record, OPTION_NAMES, path, issues);
  return {
    name: readName(record, path, issues, defaults.name),
    maxRetries: readNumber(record, "maxRetries", path, issues, {
      default: 3,
      min: 0,
      max: 100,
      integer: true,
      example: "3",
    }),
    ...readDelays(record, path, issues),
    random: readFunction(
      record,
      "random",
      path,
      issues,
      Math.random,
      "Math.random",
    ),
    budget: readBudget(record.budget, path, issues),
    isTransient: readFunction(
      record,
      "isTransient",
      path,
      issues,
      defaults.isTransient,
      "(error) => error.status === 503",
    ),
    logger: readLogger(record, path, issues),
  };
}
