/** A handle that removes the listener it was returned for. */
export interface Subscription {
  dispose(): void;
}

/**
 * A logger in the shape of pino's: a fields object first, then a short
 * message. The package logs nothing unless one is passed.
 */
export interface ResilienceLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

/** A function that receives one event payload. */
export type Listener<E> = (event: E) => void;

/** A function that receives every event with its name. */
export type AnyListener<M extends object> = (
  name: keyof M & string,
  event: M[keyof M],
) => void;

/** Something that emits the events of the map `M` to `onAny` listeners. */
export interface EventSource<M extends object> {
  /** Adds a listener for every event; returns its subscription. */
  onAny(listener: AnyListener<M>): Subscription;
}

type StoredListener = (event: never) => unknown;

/**
 * Typed synchronous event emitter. A listener that throws or rejects never
 * breaks the call that emitted the event: its error goes to the logger,
 * or is dropped when there is none.
 */
export class EventHub<M extends object> implements EventSource<M> {
  readonly #listeners = new Map<keyof M, Set<StoredListener>>();
  readonly #anyListeners = new Set<AnyListener<M>>();
  readonly #logger: ResilienceLogger | undefined;

  constructor(logger?: ResilienceLogger) {
    this.#logger = logger;
  }

  /** Adds a listener for one event; returns its subscription. */
  on<K extends keyof M>(name: K, listener: Listener<M[K]>): Subscription {
    let set = this.#listeners.get(name);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(name, set);
    }
    const stored = listener as StoredListener;
    set.add(stored);
    return { dispose: () => set.delete(stored) };
  }

  /** Adds a listener for every event; returns its subscription. */
  onAny(listener: AnyListener<M>): Subscription {
    this.#anyListeners.add(listener);
    return { dispose: () => this.#anyListeners.delete(listener) };
  }

  /** Calls the listeners of `name`, then the listeners of every event. */
  emit<K extends keyof M & string>(name: K, event: M[K]): void {
    const listeners = [...(this.#listeners.get(name) ?? [])];
    for (const listener of listeners) {
      this.#call(name, () => (listener as Listener<M[K]>)(event));
    }
    for (const listener of [...this.#anyListeners]) {
      this.#call(name, () => listener(name, event));
    }
  }

  #call(name: string, invoke: () => unknown): void {
    try {
      const result = invoke();
      if (isThenable(result)) {
        result.then(undefined, (error: unknown) => {
          this.#report(name, error);
        });
      }
    } catch (error) {
      this.#report(name, error);
    }
  }

  #report(name: string, error: unknown): void {
    try {
      this.#logger?.warn({ err: error, event: name }, "event listener failed");
    } catch {
      // A failing logger must not break the call either.
    }
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

/** Payload of `retry`: a failed attempt is retried after `delayMs`. */
export interface RetryEvent {
  /** Name of the policy that emitted the event. */
  readonly policy: string;
  /** Number of this retry, starting at 1 for the second call. */
  readonly attempt: number;
  /** Delay before the retry, in milliseconds, with jitter applied. */
  readonly delayMs: number;
  /** The transient error of the failed attempt. */
  readonly error: unknown;
}

/** Reason a retry policy stopped retrying a transient error. */
export type GiveUpReason = "max-retries" | "budget-exhausted" | "aborted";

/** Payload of `give-up`: a transient error is returned to the caller. */
export interface GiveUpEvent {
  /** Name of the policy that emitted the event. */
  readonly policy: string;
  /** Number of calls made, the first one included. */
  readonly attempts: number;
  readonly reason: GiveUpReason;
  /** The error of the last attempt. */
  readonly error: unknown;
}

/** Payload of `break`: the circuit breaker opened. */
export interface BreakEvent {
  /** Name of the policy that emitted the event. */
  readonly policy: string;
  /** The failure that opened the breaker; undefined when isolated. */
  readonly error: unknown;
  /** Whether the breaker was isolated by hand. */
  readonly isolated: boolean;
  /** Delay until the next half-open probe, in ms; undefined when isolated. */
  readonly halfOpenAfterMs: number | undefined;
}

/** Payload of `half-open` and `reset`. */
export interface BreakerStateEvent {
  /** Name of the policy that emitted the event. */
  readonly policy: string;
}

/** Payload of `fallback`: a strategy failed and the next one runs. */
export interface FallbackEvent {
  /** Name of the fallback chain. */
  readonly policy: string;
  /** Name of the strategy that failed. */
  readonly from: string;
  /** Name of the strategy that runs next. */
  readonly to: string;
  readonly error: unknown;
}

/** Payload of `timeout`: the time limit passed and the signal aborted. */
export interface TimeoutEvent {
  /** Name of the policy that emitted the event. */
  readonly policy: string;
  readonly timeoutMs: number;
}

/** Payload of `bulkhead-rejected`: a call found no slot and no queue room. */
export interface BulkheadRejectedEvent {
  /** Name of the policy that emitted the event. */
  readonly policy: string;
  readonly maxConcurrent: number;
  readonly maxQueue: number;
}

/** Payloads of the events that policies emit, by event name. */
export interface PolicyEvents {
  retry: RetryEvent;
  "give-up": GiveUpEvent;
  break: BreakEvent;
  "half-open": BreakerStateEvent;
  reset: BreakerStateEvent;
  fallback: FallbackEvent;
  timeout: TimeoutEvent;
  "bulkhead-rejected": BulkheadRejectedEvent;
}
