import type { SamplingSettings } from "./breakers.js";
import type { ResilienceLogger } from "./events.js";
import type { ErrorPredicate } from "./transient.js";
import {
  checkKnownKeys,
  type IssueList,
  joinPath,
  MAX_TIMER_MS,
  readFunction,
  readLogger,
  readName,
  readNumber,
  readOptionsObject,
} from "./validation.js";

/** Options of the sampling trip condition of a circuit breaker. */
export interface SamplingOptions {
  /**
   * Share of failed calls in the window, from 0 to 1 exclusive, above
   * which the breaker opens.
   * @default 0.5
   */
  readonly failureRatio?: number;
  /**
   * Length of the sliding window, in milliseconds.
   * @default 30000
   */
  readonly windowMs?: number;
  /**
   * Calls the window must hold before the ratio can open the breaker.
   * @default 10
   */
  readonly minThroughput?: number;
}

/** Options of {@link createCircuitBreaker}. */
export interface CircuitBreakerOptions {
  /**
   * Name carried by the policy's events.
   * @default "circuit-breaker"
   */
  readonly name?: string;
  /**
   * Consecutive transient failures that open the breaker.
   * @default 5, or no such condition when `sampling` is set
   */
  readonly consecutiveFailures?: number;
  /**
   * Opens the breaker on a failure ratio over a window. With
   * `consecutiveFailures` also set, either condition opens it.
   * @default no sampling
   */
  readonly sampling?: SamplingOptions;
  /**
   * Delay after opening before a call may probe the dependency, in ms.
   * @default 10000
   */
  readonly halfOpenAfterMs?: number;
  /**
   * Cap on the half-open delay, which doubles after each failed probe.
   * @default halfOpenAfterMs, so the delay stays constant
   */
  readonly maxHalfOpenAfterMs?: number;
  /**
   * Tells which errors count as failures; the others pass through and
   * count as neither failure nor success.
   * @default isTransientError
   */
  readonly isTransient?: ErrorPredicate;
  /** Receives the errors of event listeners. */
  readonly logger?: ResilienceLogger;
}

/** Checked settings of a circuit breaker. */
export interface CircuitBreakerSettings {
  readonly name: string;
  readonly consecutiveFailures: number | undefined;
  readonly sampling: SamplingSettings | undefined;
  readonly halfOpenAfterMs: number;
  readonly maxHalfOpenAfterMs: number;
  readonly isTransient: ErrorPredicate;
  readonly logger: ResilienceLogger | undefined;
}

const OPTION_NAMES = [
  "name",
  "consecutiveFailures",
  "sampling",
  "halfOpenAfterMs",
  "maxHalfOpenAfterMs",
  "isTransient",
  "logger",
];

const SAMPLING_NAMES = ["failureRatio", "windowMs", "minThroughput"];

function readSampling(
  value: unknown,
  path: string,
  issues: IssueList,
): SamplingSettings | undefined {
  if (value === undefined) {
    return undefined;
  }
  const record = readOptionsObject(
    value,
    path,
    issues,
    "{ failureRatio: 0.5 }",
  );
  checkKnownKeys(record, SAMPLING_NAMES, path, issues);
  return {
    failureRatio: readNumber(record, "failureRatio", path, issues, {
      default: 0.5,
      min: 0,
      max: 1,
      minExclusive: true,
      maxExclusive: true,
      example: "0.5",
    }),
    windowMs: readNumber(record, "windowMs", path, issues, {
      default: 30_000,
      min: 10,
      max: MAX_TIMER_MS,
      integer: true,
      example: "30000",
    }),
    minThroughput: readNumber(record, "minThroughput", path, issues, {
      default: 10,
      min: 1,
      integer: true,
      example: "10",
    }),
  };
}

function readHalfOpen(
  record: Record<string, unknown>,
  path: string,
  issues: IssueList,
): Pick<CircuitBreakerSettings, "halfOpenAfterMs" | "maxHalfOpenAfterMs"> {
  const delay = { min: 1, max: MAX_TIMER_MS, integer: true };
  const halfOpenAfterMs = readNumber(record, "halfOpenAfterMs", path, issues, {
    ...delay,
    default: 10_000,
    example: "10000",
  });
  const maxHalfOpenAfterMs = readNumber(
    record,
    "maxHalfOpenAfterMs",
    path,
    issues,
    { ...delay, default: halfOpenAfterMs, example: "60000" },
  );
  if (maxHalfOpenAfterMs < halfOpenAfterMs) {
    issues.push({
      path: joinPath(path, "maxHalfOpenAfterMs"),
      value: maxHalfOpenAfterMs,
      message: `${joinPath(path, "maxHalfOpenAfterMs")} must be at least halfOpenAfterMs (${halfOpenAfterMs}) (received ${maxHalfOpenAfterMs}).`,
    });
  }
  return { halfOpenAfterMs, maxHalfOpenAfterMs };
}

/**
 * Checks the options of a circuit breaker at `path`, recording issues.
 * `isTransient` is the predicate used when the options have none.
 */
export function readCircuitBreakerOptions(
  value: unknown,
  path: string,
  issues: IssueList,
  defaults: { name: string; isTransient: ErrorPredicate },
): CircuitBreakerSettings {
  const record = readOptionsObject(
    value,
    path,
    issues,
    "{ halfOpenAfterMs: 10000 }",
  );
  checkKnownKeys(record, OPTION_NAMES, path, issues);
  const sampling = readSampling(
    record.sampling,
    joinPath(path, "sampling"),
    issues,
  );
  const consecutive =
    record.consecutiveFailures === undefined && sampling !== undefined
      ? undefined
      : readNumber(record, "consecutiveFailures", path, issues, {
          default: 5,
          min: 1,
          integer: true,
          example: "5",
        });
  return {
    name: readName(record, path, issues, defaults.name),
    consecutiveFailures: consecutive,
    sampling,
    ...readHalfOpen(record, path, issues),
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
