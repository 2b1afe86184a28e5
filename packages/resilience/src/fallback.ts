import {
  describeValue,
  ResilienceError,
  ResilienceErrorCode,
  throwIfAborted,
} from "./errors.js";
import {
  EventHub,
  type FallbackEvent,
  type Listener,
  type PolicyEvents,
  type ResilienceLogger,
  type Subscription,
} from "./events.js";
import { createSubscriptions, type Policy } from "./policy.js";
import type { ErrorPredicate } from "./transient.js";
import {
  checkKnownKeys,
  type IssueList,
  isRecord,
  readFunction,
  readLogger,
  readName,
  readOptionsObject,
  throwIfInvalid,
} from "./validation.js";

/** One strategy of a fallback chain. */
export interface FallbackStrategy<T> {
  /** Unique name, reported in the result and in events. */
  readonly name: string;
  /** Produces the value; must honour `signal` like a policy function. */
  run(signal: AbortSignal): PromiseLike<T> | T;
}

/** One strategy that a fallback chain ran, with its error if it failed. */
export interface FallbackAttempt {
  readonly name: string;
  /** The error the strategy threw; absent for the strategy that produced the value. */
  readonly error?: unknown;
}

/** Result of a fallback chain. */
export interface FallbackResult<T> {
  readonly value: T;
  /** Name of the strategy that produced `value`. */
  readonly strategy: string;
  /** Every strategy run, in order; the last one produced `value`. */
  readonly attempts: readonly FallbackAttempt[];
}

/** Options of {@link createFallbackChain}. */
export interface FallbackOptions {
  /**
   * Name carried by the chain's events.
   * @default "fallback"
   */
  readonly name?: string;
  /**
   * Tells which errors move the chain on to the next strategy. Any other
   * error is rethrown unchanged.
   * @default every error
   */
  readonly shouldFallback?: ErrorPredicate;
  /** Receives the errors of event listeners. */
  readonly logger?: ResilienceLogger;
}

/** A fallback chain: strategies tried in order until one succeeds. */
export interface FallbackChain<T> extends Pick<
  Policy<"fallback">,
  "name" | "on" | "onAny"
> {
  /** Names of the strategies, in the order they are tried. */
  readonly strategies: readonly string[];
  /**
   * Runs the strategies in order and returns the first value produced.
   * @throws the error of a strategy that `shouldFallback` rejects,
   * unchanged.
   * @throws {ResilienceError} `FALLBACK_EXHAUSTED` when every strategy
   * failed, with the last error as `cause` and every attempt in
   * `details.attempts`; `ABORTED` when `signal` fired between strategies.
   */
  execute(signal?: AbortSignal): Promise<FallbackResult<T>>;
  /** Adds a listener for `fallback`; returns its subscription. */
  onFallback(listener: Listener<FallbackEvent>): Subscription;
}

const OPTION_NAMES = ["name", "shouldFallback", "logger"];

function checkStrategies(value: unknown, issues: IssueList): void {
  if (!Array.isArray(value) || value.length === 0) {
    issues.push({
      path: "strategies",
      value,
      message: `strategies must be a non-empty array of { name, run(signal) } objects (received ${describeValue(value)}).`,
    });
    return;
  }
  const seen = new Set<string>();
  value.forEach((entry: unknown, index) => {
    const name = isRecord(entry) ? entry.name : undefined;
    const valid =
      isRecord(entry) &&
      typeof name === "string" &&
      name.trim() !== "" &&
      typeof entry.run === "function" &&
      !seen.has(name);
    if (!valid) {
      issues.push({
        path: `strategies[${index}]`,
        value: entry,
        message: `strategies[${index}] must be an object { name, run(signal) } with a unique non-empty name, such as { name: "hashing", run: (signal) => encode(text) } (received ${describeValue(entry)}).`,
      });
    }
    if (typeof name === "string") {
      seen.add(name);
    }
  });
}

function exhaustedError(
  name: string,
  attempts: readonly FallbackAttempt[],
): ResilienceError {
  const summary = attempts
    .map((attempt) => `${attempt.name}: ${errorMessage(attempt.error)}`)
    .join("; ");
  return new ResilienceError(
    ResilienceErrorCode.FALLBACK_EXHAUSTED,
    `Every strategy of the fallback chain "${name}" failed (${summary}).`,
    { cause: attempts.at(-1)?.error, details: { policy: name, attempts } },
  );
}

function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) {
    return describeValue(error);
  }
  return error.message === ""
    ? `${error.name} without a message`
    : error.message;
}

async function runChain<T>(
  strategies: readonly FallbackStrategy<T>[],
  settings: { name: string; shouldFallback: ErrorPredicate },
  hub: EventHub<PolicyEvents>,
  signal: AbortSignal | undefined,
): Promise<FallbackResult<T>> {
  const runSignal = signal ?? new AbortController().signal;
  const attempts: FallbackAttempt[] = [];
  for (const [index, strategy] of strategies.entries()) {
    throwIfAborted(signal);
    try {
      const value = await strategy.run(runSignal);
      attempts.push({ name: strategy.name });
      return { value, strategy: strategy.name, attempts };
    } catch (error) {
      attempts.push({ name: strategy.name, error });
      if (signal?.aborted === true || !settings.shouldFallback(error)) {
        throw error;
      }
      const next = strategies[index + 1];
      if (next !== undefined) {
        hub.emit("fallback", {
          policy: settings.name,
          from: strategy.name,
          to: next.name,
          error,
        });
      }
    }
  }
  throw exhaustedError(settings.name, attempts);
}

/**
 * Creates a chain that tries `strategies` in order, usually from the best
 * to the cheapest, and records which one produced the value. A strategy
 * that throws an error that `shouldFallback` accepts moves the chain on
 * and emits `fallback`. When the caller's signal fires, the chain stops
 * and rethrows.
 * @throws {ResilienceError} `INVALID_OPTIONS` listing every invalid
 * strategy and option.
 */
export function createFallbackChain<T>(
  strategies: readonly FallbackStrategy<T>[],
  options?: FallbackOptions,
): FallbackChain<T> {
  const issues: IssueList = [];
  checkStrategies(strategies, issues);
  const record = readOptionsObject(options, "", issues, "{ shouldFallback }");
  checkKnownKeys(record, OPTION_NAMES, "", issues);
  const settings = {
    name: readName(record, "", issues, "fallback"),
    shouldFallback: readFunction<ErrorPredicate>(
      record,
      "shouldFallback",
      "",
      issues,
      () => true,
      "matchStatus(429, 503)",
    ),
  };
  const hub = new EventHub<PolicyEvents>(readLogger(record, "", issues));
  throwIfInvalid(issues);
  const ordered = [...strategies];
  return {
    name: settings.name,
    strategies: ordered.map((strategy) => strategy.name),
    execute: (signal) => runChain(ordered, settings, hub, signal),
    ...createSubscriptions(hub, ["fallback"]),
    onFallback: (listener) => hub.on("fallback", listener),
  };
}
