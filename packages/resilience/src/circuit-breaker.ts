import type {
  CircuitBreakerPolicy,
  IBackoff,
  IBackoffFactory,
  IHalfOpenAfterBackoffContext,
} from "cockatiel";
import { CircuitState, circuitBreaker, handleWhen } from "cockatiel";

import { createBreaker, stateName } from "./breakers.js";
import {
  type CircuitBreakerOptions,
  type CircuitBreakerSettings,
  readCircuitBreakerOptions,
} from "./circuit-breaker-options.js";
import { fromCockatielError } from "./cockatiel-errors.js";
import {
  ResilienceError,
  ResilienceErrorCode,
  throwIfAborted,
} from "./errors.js";
import {
  type BreakEvent,
  type BreakerStateEvent,
  EventHub,
  type Listener,
  type PolicyEvents,
  type Subscription,
} from "./events.js";
import {
  createSubscriptions,
  type Policy,
  type PolicyFunction,
} from "./policy.js";
import { isTransientError } from "./transient.js";
import { type IssueList, throwIfInvalid } from "./validation.js";

/** State of a circuit breaker. */
export type CircuitBreakerState = "closed" | "open" | "half-open" | "isolated";

/**
 * A circuit breaker. While it is open, calls reject with `CIRCUIT_OPEN`
 * without reaching the dependency. After the half-open delay, the next
 * call probes the dependency, and every other call rejects until the probe
 * ends. A successful probe closes the breaker, and a failed one opens it
 * again with the next delay.
 */
export interface CircuitBreaker extends Policy<
  "break" | "half-open" | "reset"
> {
  /** Current state. It stays `open` after the delay until a call probes. */
  readonly state: CircuitBreakerState;
  /** Holds the breaker open until the returned handle is disposed. */
  isolate(): Subscription;
  /** Adds a listener for `break`; returns its subscription. */
  onBreak(listener: Listener<BreakEvent>): Subscription;
  /** Adds a listener for `half-open`; returns its subscription. */
  onHalfOpen(listener: Listener<BreakerStateEvent>): Subscription;
  /** Adds a listener for `reset`; returns its subscription. */
  onReset(listener: Listener<BreakerStateEvent>): Subscription;
}

/**
 * Creates the half-open delay: `halfOpenAfterMs` after the breaker opens,
 * doubled after each failed probe up to `maxHalfOpenAfterMs`. `record`
 * receives each delay, so the `break` event can report it.
 */
function createHalfOpenBackoff(
  settings: CircuitBreakerSettings,
  record: (delayMs: number) => void,
): IBackoffFactory<IHalfOpenAfterBackoffContext> {
  const next = (
    context: IHalfOpenAfterBackoffContext,
  ): IBackoff<IHalfOpenAfterBackoffContext> => {
    const duration = Math.min(
      settings.maxHalfOpenAfterMs,
      settings.halfOpenAfterMs * 2 ** Math.max(0, context.attempt - 1),
    );
    record(duration);
    return { duration, next };
  };
  return { next };
}

function forwardEvents(
  inner: CircuitBreakerPolicy,
  hub: EventHub<PolicyEvents>,
  name: string,
  lastDelay: () => number,
): void {
  inner.onBreak((reason) => {
    const isolated = "isolated" in reason;
    hub.emit("break", {
      policy: name,
      error: "error" in reason ? reason.error : undefined,
      isolated,
      halfOpenAfterMs: isolated ? undefined : lastDelay(),
    });
  });
  inner.onHalfOpen(() => {
    hub.emit("half-open", { policy: name });
  });
  inner.onReset(() => {
    hub.emit("reset", { policy: name });
  });
}

function probeBusyError(name: string): ResilienceError {
  return new ResilienceError(
    ResilienceErrorCode.CIRCUIT_OPEN,
    `The circuit breaker "${name}" is half-open and its probe call has not finished, so the call was rejected. Retry after the probe ends.`,
    { details: { policy: name, state: "half-open" } },
  );
}

/**
 * Returns the details of a `CIRCUIT_OPEN` error: the state, and the time
 * until the next probe may run, in ms.
 */
function openDetails(
  inner: CircuitBreakerPolicy,
  name: string,
  halfOpenAfterMs: number,
): Record<string, unknown> {
  // NOTE: cockatiel 3.2 declares the toJSON() snapshot as `unknown`. The
  // openedAt field read here may be missing in other versions, and
  // retryAfterMs is then undefined.
  const snapshot = inner.toJSON() as { ownState?: { openedAt?: unknown } };
  const openedAt = snapshot.ownState?.openedAt;
  const retryAfterMs =
    inner.state === CircuitState.Open && typeof openedAt === "number"
      ? Math.max(0, openedAt + halfOpenAfterMs - Date.now())
      : undefined;
  return { policy: name, state: stateName(inner.state), retryAfterMs };
}

/** Creates the `execute` method of a circuit breaker around cockatiel's. */
function createExecute(
  inner: CircuitBreakerPolicy,
  name: string,
  lastDelayMs: () => number,
): CircuitBreaker["execute"] {
  return async <T>(fn: PolicyFunction<T>, signal?: AbortSignal) => {
    throwIfAborted(signal);
    // cockatiel 3.2 makes calls wait for the probe; reject them instead.
    if (inner.state === CircuitState.HalfOpen) {
      throw probeBusyError(name);
    }
    try {
      return await inner.execute(
        ({ signal: callSignal }) => fn(callSignal),
        signal,
      );
    } catch (error) {
      throw fromCockatielError(
        error,
        signal,
        openDetails(inner, name, lastDelayMs()),
      );
    }
  };
}

/** Builds a circuit breaker from checked settings on a shared event hub. */
export function buildCircuitBreaker(
  settings: CircuitBreakerSettings,
  hub: EventHub<PolicyEvents>,
): CircuitBreaker {
  let lastDelayMs = settings.halfOpenAfterMs;
  const inner = circuitBreaker(
    handleWhen((error) => settings.isTransient(error)),
    {
      breaker: createBreaker(settings.consecutiveFailures, settings.sampling),
      halfOpenAfter: createHalfOpenBackoff(settings, (delayMs) => {
        lastDelayMs = delayMs;
      }),
    },
  );
  forwardEvents(inner, hub, settings.name, () => lastDelayMs);
  return {
    name: settings.name,
    get state() {
      return stateName(inner.state);
    },
    isolate: () => inner.isolate(),
    execute: createExecute(inner, settings.name, () => lastDelayMs),
    ...createSubscriptions(hub, ["break", "half-open", "reset"]),
    onBreak: (listener) => hub.on("break", listener),
    onHalfOpen: (listener) => hub.on("half-open", listener),
    onReset: (listener) => hub.on("reset", listener),
  };
}

/**
 * Creates a circuit breaker that counts transient errors only. It opens on
 * `consecutiveFailures` in a row, on a failure ratio over a window
 * (`sampling`), or on either when both are set. A non-transient error
 * during a probe closes the breaker, because the dependency responded.
 * @throws {ResilienceError} `INVALID_OPTIONS` listing every invalid option.
 */
export function createCircuitBreaker(
  options?: CircuitBreakerOptions,
): CircuitBreaker {
  const issues: IssueList = [];
  const settings = readCircuitBreakerOptions(options, "", issues, {
    name: "circuit-breaker",
    isTransient: isTransientError,
  });
  throwIfInvalid(issues);
  return buildCircuitBreaker(settings, new EventHub(settings.logger));
}
