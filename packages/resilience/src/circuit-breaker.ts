import type { IBreaker } from "cockatiel";
import { CircuitState } from "cockatiel";

import { createBreaker } from "./breakers.js";
import {
  type CircuitBreakerOptions,
  type CircuitBreakerSettings,
  readCircuitBreakerOptions,
} from "./circuit-breaker-options.js";
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

/** Signal for calls whose caller passed none; it never fires. */
const NEVER_ABORTED = new AbortController().signal;

/**
 * Internal state of a circuit breaker. `attempt` counts the openings since
 * the breaker was last closed, 1 for the first, and sets the half-open
 * delay.
 */
type BreakerState =
  | { readonly kind: "closed" }
  | {
      readonly kind: "open";
      /** The transient error that opened the breaker last. */
      readonly error: unknown;
      /**
       * `performance.now()` at opening. A monotonic clock, so a change of
       * the system time cannot hold the breaker open or end the delay early.
       */
      readonly openedAt: number;
      readonly delayMs: number;
      readonly attempt: number;
    }
  | {
      readonly kind: "half-open";
      readonly error: unknown;
      readonly delayMs: number;
      readonly attempt: number;
    }
  | { readonly kind: "isolated"; holders: number };

function probeBusyError(name: string): ResilienceError {
  return new ResilienceError(
    ResilienceErrorCode.CIRCUIT_OPEN,
    `The circuit breaker "${name}" is half-open and its probe call has not finished, so the call was rejected. Retry after the probe ends.`,
    { details: { policy: name, state: "half-open" } },
  );
}

function openError(
  name: string,
  retryAfterMs: number,
  cause: unknown,
): ResilienceError {
  return new ResilienceError(
    ResilienceErrorCode.CIRCUIT_OPEN,
    `The circuit breaker "${name}" is open, so the call was rejected. Retry after ${retryAfterMs} ms, when a call may probe the dependency.`,
    { cause, details: { policy: name, state: "open", retryAfterMs } },
  );
}

function isolatedError(name: string): ResilienceError {
  return new ResilienceError(
    ResilienceErrorCode.CIRCUIT_OPEN,
    `The circuit breaker "${name}" is isolated by hand, so the call was rejected. Dispose the isolation handle to close it.`,
    { details: { policy: name, state: "isolated", isolated: true } },
  );
}

/**
 * The state machine of a circuit breaker. Every transition increments
 * `#epoch`, and a call's outcome is recorded only while the epoch is the
 * one the call started in. So a slow call that started before the breaker
 * opened cannot open it again during a probe, and a probe that ends after
 * `isolate()` changes nothing.
 */
class BreakerMachine {
  readonly #settings: CircuitBreakerSettings;
  readonly #hub: EventHub<PolicyEvents>;
  readonly #breaker: IBreaker;
  readonly #initialCounts: unknown;
  #state: BreakerState = { kind: "closed" };
  #epoch = 0;

  constructor(settings: CircuitBreakerSettings, hub: EventHub<PolicyEvents>) {
    this.#settings = settings;
    this.#hub = hub;
    this.#breaker = createBreaker(
      settings.consecutiveFailures,
      settings.sampling,
    );
    this.#initialCounts = this.#breaker.state;
  }

  get state(): CircuitBreakerState {
    return this.#state.kind;
  }

  async execute<T>(fn: PolicyFunction<T>, signal?: AbortSignal): Promise<T> {
    throwIfAborted(signal);
    const state = this.#state;
    const { name } = this.#settings;
    switch (state.kind) {
      case "closed":
        return await this.#call(fn, signal);
      case "isolated":
        throw isolatedError(name);
      case "half-open":
        throw probeBusyError(name);
      case "open": {
        const retryAfterMs = Math.ceil(
          state.openedAt + state.delayMs - performance.now(),
        );
        if (retryAfterMs > 0) {
          throw openError(name, retryAfterMs, state.error);
        }
        return await this.#probe(fn, signal, state);
      }
    }
  }

  isolate(): Subscription {
    if (this.#state.kind !== "isolated") {
      this.#enter({ kind: "isolated", holders: 0 });
      this.#hub.emit("break", {
        policy: this.#settings.name,
        error: undefined,
        isolated: true,
        halfOpenAfterMs: undefined,
      });
    }
    const isolated = this.#state as { holders: number };
    isolated.holders += 1;
    let disposed = false;
    return {
      dispose: () => {
        if (disposed) {
          return;
        }
        disposed = true;
        isolated.holders -= 1;
        if (isolated.holders === 0 && this.#state === isolated) {
          // Counts from before the isolation do not describe the
          // dependency now, so they are cleared.
          this.#breaker.state = this.#initialCounts;
          this.#close();
        }
      },
    };
  }

  async #call<T>(fn: PolicyFunction<T>, signal?: AbortSignal): Promise<T> {
    const epoch = this.#epoch;
    let value: T;
    try {
      value = await fn(signal ?? NEVER_ABORTED);
    } catch (error) {
      if (
        epoch === this.#epoch &&
        this.#settings.isTransient(error) &&
        this.#breaker.failure(CircuitState.Closed)
      ) {
        this.#open(error, 1);
      }
      throw error;
    }
    if (epoch === this.#epoch) {
      this.#breaker.success(CircuitState.Closed);
    }
    return value;
  }

  async #probe<T>(
    fn: PolicyFunction<T>,
    signal: AbortSignal | undefined,
    open: { readonly error: unknown; readonly attempt: number },
  ): Promise<T> {
    const { error: opener, attempt } = open;
    this.#enter({
      kind: "half-open",
      error: opener,
      delayMs: this.#delayFor(attempt),
      attempt,
    });
    this.#hub.emit("half-open", { policy: this.#settings.name });
    const epoch = this.#epoch;
    let value: T;
    try {
      value = await fn(signal ?? NEVER_ABORTED);
    } catch (error) {
      if (epoch === this.#epoch) {
        this.#endFailedProbe(error, signal, open);
      }
      throw error;
    }
    if (epoch === this.#epoch) {
      this.#breaker.success(CircuitState.HalfOpen);
      this.#close();
    }
    return value;
  }

  /**
   * Ends a probe that failed. A transient error opens the breaker again.
   * A probe that the caller aborted does not test the dependency, so the
   * breaker returns to open with its delay already passed, and the next
   * call probes. Any other error closes it, because the dependency
   * responded.
   */
  #endFailedProbe(
    error: unknown,
    signal: AbortSignal | undefined,
    open: { readonly error: unknown; readonly attempt: number },
  ): void {
    const { attempt } = open;
    if (signal?.aborted === true) {
      const delayMs = this.#delayFor(attempt);
      this.#enter({
        kind: "open",
        error: open.error,
        openedAt: performance.now() - delayMs,
        delayMs,
        attempt,
      });
    } else if (this.#settings.isTransient(error)) {
      this.#breaker.failure(CircuitState.HalfOpen);
      this.#open(error, attempt + 1);
    } else {
      // Recorded as a successful probe, which clears the failure counts.
      // Without it the counts that opened the breaker would still be there,
      // and the next transient failure would open it again at once.
      this.#breaker.success(CircuitState.HalfOpen);
      this.#close();
    }
  }

  /**
   * Returns the half-open delay after opening number `attempt`:
   * `halfOpenAfterMs`, doubled for each opening after the first, capped at
   * `maxHalfOpenAfterMs`.
   */
  #delayFor(attempt: number): number {
    const { halfOpenAfterMs, maxHalfOpenAfterMs } = this.#settings;
    return Math.min(maxHalfOpenAfterMs, halfOpenAfterMs * 2 ** (attempt - 1));
  }

  #open(error: unknown, attempt: number): void {
    const delayMs = this.#delayFor(attempt);
    this.#enter({
      kind: "open",
      error,
      openedAt: performance.now(),
      delayMs,
      attempt,
    });
    this.#hub.emit("break", {
      policy: this.#settings.name,
      error,
      isolated: false,
      halfOpenAfterMs: delayMs,
    });
  }

  #close(): void {
    this.#enter({ kind: "closed" });
    this.#hub.emit("reset", { policy: this.#settings.name });
  }

  #enter(state: BreakerState): void {
    this.#state = state;
    this.#epoch += 1;
  }
}

/** Builds a circuit breaker from checked settings on a shared event hub. */
export function buildCircuitBreaker(
  settings: CircuitBreakerSettings,
  hub: EventHub<PolicyEvents>,
): CircuitBreaker {
  const machine = new BreakerMachine(settings, hub);
  return {
    name: settings.name,
    get state() {
      return machine.state;
    },
    isolate: () => machine.isolate(),
    execute: (fn, signal) => machine.execute(fn, signal),
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
