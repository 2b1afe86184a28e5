import {
  buildBulkhead,
  type Bulkhead,
  type BulkheadOptions,
  readBulkheadOptions,
} from "./bulkhead.js";
import { buildCircuitBreaker, type CircuitBreaker } from "./circuit-breaker.js";
import {
  type CircuitBreakerOptions,
  readCircuitBreakerOptions,
} from "./circuit-breaker-options.js";
import { describeValue, throwIfAborted } from "./errors.js";
import {
  EventHub,
  type PolicyEvents,
  type ResilienceLogger,
} from "./events.js";
import type { MemoryGuard } from "./memory-guard.js";
import {
  createSubscriptions,
  type Policy,
  type PolicyFunction,
} from "./policy.js";
import { buildRetryPolicy, type RetryPolicy } from "./retry.js";
import { readRetryOptions, type RetryOptions } from "./retry-options.js";
import {
  buildTimeout,
  readTimeoutOptions,
  type TimeoutOptions,
  type TimeoutPolicy,
} from "./timeout.js";
import { type ErrorPredicate, isTransientError } from "./transient.js";
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

/** Options of {@link createResiliencePolicy}; each part is off when absent. */
export interface ResiliencePolicyOptions {
  /**
   * Name of the policy; each part is named `<name>.<part>` unless its own
   * options set a name.
   * @default "policy"
   */
  readonly name?: string;
  /**
   * Tells which errors are retried and counted by the breaker, for parts
   * whose options have no `isTransient`.
   * @default isTransientError
   */
  readonly isTransient?: ErrorPredicate;
  /** Sheds calls while memory is above a watermark, before queueing. */
  readonly memoryGuard?: MemoryGuard;
  /** Limits concurrent calls; outermost, so a retrying call keeps its slot. */
  readonly bulkhead?: BulkheadOptions;
  /** Retries transient failures, breaker rejections excluded. */
  readonly retry?: RetryOptions;
  /** Counts every attempt, so retries can open it. */
  readonly circuitBreaker?: CircuitBreakerOptions;
  /** Limits each attempt, innermost. */
  readonly timeout?: TimeoutOptions;
  /** Receives the errors of event listeners of every part. */
  readonly logger?: ResilienceLogger;
}

/** Events of a composed policy: every policy event but `fallback`. */
export type ResiliencePolicyEventName = Exclude<keyof PolicyEvents, "fallback">;

/** A policy composed of a bulkhead, retry, circuit breaker and timeout. */
export interface ResiliencePolicy extends Policy<ResiliencePolicyEventName> {
  readonly bulkhead: Bulkhead | undefined;
  readonly retry: RetryPolicy | undefined;
  readonly circuitBreaker: CircuitBreaker | undefined;
  readonly timeout: TimeoutPolicy | undefined;
}

const OPTION_NAMES = [
  "name",
  "isTransient",
  "memoryGuard",
  "bulkhead",
  "retry",
  "circuitBreaker",
  "timeout",
  "logger",
];

const EVENT_NAMES: readonly ResiliencePolicyEventName[] = [
  "retry",
  "give-up",
  "break",
  "half-open",
  "reset",
  "timeout",
  "bulkhead-rejected",
];

interface Parts {
  readonly bulkhead: Bulkhead | undefined;
  readonly retry: RetryPolicy | undefined;
  readonly circuitBreaker: CircuitBreaker | undefined;
  readonly timeout: TimeoutPolicy | undefined;
}

function readMemoryGuard(
  value: unknown,
  issues: IssueList,
): MemoryGuard | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (isRecord(value) && typeof value.check === "function") {
    return value as unknown as MemoryGuard;
  }
  issues.push({
    path: "memoryGuard",
    value,
    message: `memoryGuard must be the result of createMemoryGuard() (received ${describeValue(value)}).`,
  });
  return undefined;
}

function buildParts(
  record: Record<string, unknown>,
  name: string,
  isTransient: ErrorPredicate,
  issues: IssueList,
  hub: EventHub<PolicyEvents>,
): Parts {
  const present = (key: string): boolean => record[key] !== undefined;
  const named = (part: string) => ({ name: `${name}.${part}`, isTransient });
  const bulkhead = present("bulkhead")
    ? readBulkheadOptions(
        record.bulkhead,
        "bulkhead",
        issues,
        named("bulkhead"),
      )
    : undefined;
  const retry = present("retry")
    ? readRetryOptions(record.retry, "retry", issues, named("retry"))
    : undefined;
  const breaker = present("circuitBreaker")
    ? readCircuitBreakerOptions(
        record.circuitBreaker,
        "circuitBreaker",
        issues,
        named("circuit-breaker"),
      )
    : undefined;
  const timeout = present("timeout")
    ? readTimeoutOptions(record.timeout, "timeout", issues, named("timeout"))
    : undefined;
  throwIfInvalid(issues);
  return {
    bulkhead: bulkhead && buildBulkhead(bulkhead, hub),
    retry: retry && buildRetryPolicy(retry, hub),
    circuitBreaker: breaker && buildCircuitBreaker(breaker, hub),
    timeout: timeout && buildTimeout(timeout, hub),
  };
}

/** Wraps `fn` in each present part, innermost first. */
function composeFunction<T>(
  fn: PolicyFunction<T>,
  parts: Parts,
): PolicyFunction<T> {
  let wrapped = fn;
  for (const part of [parts.timeout, parts.circuitBreaker, parts.retry]) {
    if (part !== undefined) {
      const inner = wrapped;
      wrapped = (signal) => part.execute(inner, signal);
    }
  }
  return wrapped;
}

/**
 * Creates one policy from the parts whose options are given, nested from
 * the outside in as memory guard, bulkhead, retry, circuit breaker and
 * timeout. Each attempt thus has its own time limit and counts in the
 * breaker, and the retries of one call keep its bulkhead slot. A
 * `CIRCUIT_OPEN` rejection is not retried. All parts share one set of
 * listeners. Invalid options of every part are reported together.
 * @throws {ResilienceError} `INVALID_OPTIONS` listing every invalid option.
 */
export function createResiliencePolicy(
  options?: ResiliencePolicyOptions,
): ResiliencePolicy {
  const issues: IssueList = [];
  const record = readOptionsObject(options, "", issues, "{ retry: {} }");
  checkKnownKeys(record, OPTION_NAMES, "", issues);
  const name = readName(record, "", issues, "policy");
  const isTransient = readFunction(
    record,
    "isTransient",
    "",
    issues,
    isTransientError,
    "(error) => error.status === 503",
  );
  const memoryGuard = readMemoryGuard(record.memoryGuard, issues);
  const hub = new EventHub<PolicyEvents>(readLogger(record, "", issues));
  const parts = buildParts(record, name, isTransient, issues, hub);
  const execute = async <T>(fn: PolicyFunction<T>, signal?: AbortSignal) => {
    throwIfAborted(signal);
    memoryGuard?.check();
    const wrapped = composeFunction(fn, parts);
    if (parts.bulkhead !== undefined) {
      return parts.bulkhead.execute(wrapped, signal);
    }
    return wrapped(signal ?? new AbortController().signal);
  };
  return {
    name,
    ...parts,
    execute,
    ...createSubscriptions(hub, EVENT_NAMES),
  };
}
