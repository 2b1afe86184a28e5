import {
  abortedError,
  ResilienceError,
  ResilienceErrorCode,
  throwIfAborted,
} from "./errors.js";
import {
  EventHub,
  type Listener,
  type PolicyEvents,
  type ResilienceLogger,
  type Subscription,
  type TimeoutEvent,
} from "./events.js";
import {
  createSubscriptions,
  type Policy,
  type PolicyFunction,
} from "./policy.js";
import {
  checkKnownKeys,
  type IssueList,
  MAX_TIMER_MS,
  readLogger,
  readName,
  readNumber,
  readOptionsObject,
  throwIfInvalid,
} from "./validation.js";

/** Options of {@link createTimeout}. */
export interface TimeoutOptions {
  /**
   * Name carried by the policy's events.
   * @default "timeout"
   */
  readonly name?: string;
  /**
   * Time limit of each call, in milliseconds.
   * @default 10000
   */
  readonly timeoutMs?: number;
  /** Receives the errors of event listeners. */
  readonly logger?: ResilienceLogger;
}

/** A cooperative timeout. */
export interface TimeoutPolicy extends Policy<"timeout"> {
  readonly timeoutMs: number;
  /** Adds a listener for `timeout`; returns its subscription. */
  onTimeout(listener: Listener<TimeoutEvent>): Subscription;
}

/** Checked settings of a timeout. */
export interface TimeoutSettings {
  readonly name: string;
  readonly timeoutMs: number;
  readonly logger: ResilienceLogger | undefined;
}

const OPTION_NAMES = ["name", "timeoutMs", "logger"];

/** Checks the options of a timeout at `path`, recording issues. */
export function readTimeoutOptions(
  value: unknown,
  path: string,
  issues: IssueList,
  defaults: { name: string },
): TimeoutSettings {
  const record = readOptionsObject(value, path, issues, "{ timeoutMs: 5000 }");
  checkKnownKeys(record, OPTION_NAMES, path, issues);
  return {
    name: readName(record, path, issues, defaults.name),
    timeoutMs: readNumber(record, "timeoutMs", path, issues, {
      default: 10_000,
      min: 1,
      max: MAX_TIMER_MS,
      integer: true,
      example: "5000",
    }),
    logger: readLogger(record, path, issues),
  };
}

function timeoutError(
  settings: TimeoutSettings,
  cause?: unknown,
): ResilienceError {
  return new ResilienceError(
    ResilienceErrorCode.TIMEOUT,
    `"${settings.name}" timed out after ${settings.timeoutMs} ms. Raise timeoutMs if the work needs longer.`,
    {
      cause,
      details: { policy: settings.name, timeoutMs: settings.timeoutMs },
    },
  );
}

/** Outcome of a call: its value, or the error to reject with. */
type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: unknown }
  | { readonly ok: false; readonly stopped: ResilienceError };

/** Calls `fn` and returns its outcome, also when it throws at once. */
async function invoke<T>(
  fn: PolicyFunction<T>,
  signal: AbortSignal,
): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn(signal) };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * Runs one call under the time limit. When the limit passes or the
 * caller's signal fires, the signal given to `fn` aborts, and `fn` has
 * until the next turn of the event loop (`setImmediate`) to settle. Work
 * that honours the signal settles by then, with its own error or a
 * partial value. Work that ignores it is left running, the call rejects,
 * and the late outcome is dropped.
 */
async function runWithTimeout<T>(
  fn: PolicyFunction<T>,
  signal: AbortSignal | undefined,
  settings: TimeoutSettings,
  hub: EventHub<PolicyEvents>,
): Promise<T> {
  throwIfAborted(signal);
  const controller = new AbortController();
  // The TIMEOUT error the signal aborted with, once the limit passed.
  const call: { timeout?: ResilienceError } = {};
  const outcome = await new Promise<Outcome<T>>((resolve) => {
    let grace: NodeJS.Immediate | undefined;
    const finish = (result: Outcome<T>): void => {
      clearTimeout(timer);
      clearImmediate(grace);
      signal?.removeEventListener("abort", onCallerAbort);
      resolve(result);
    };
    const stopWaiting = (error: ResilienceError): void => {
      grace ??= setImmediate(() => {
        finish({ ok: false, stopped: error });
      });
    };
    const timer = setTimeout(() => {
      hub.emit("timeout", {
        policy: settings.name,
        timeoutMs: settings.timeoutMs,
      });
      const reason = timeoutError(settings);
      call.timeout = reason;
      controller.abort(reason);
      stopWaiting(reason);
    }, settings.timeoutMs);
    const onCallerAbort = (): void => {
      const caller = signal as AbortSignal;
      controller.abort(caller.reason);
      stopWaiting(abortedError(caller));
    };
    signal?.addEventListener("abort", onCallerAbort, { once: true });
    void invoke(fn, controller.signal).then(finish);
  });
  // Stops whatever the work left running once the call has settled.
  controller.abort();
  if (outcome.ok) {
    return outcome.value;
  }
  if ("stopped" in outcome) {
    throw outcome.stopped;
  }
  const { timeout } = call;
  if (timeout === undefined) {
    throw outcome.error;
  }
  // Work that rethrows the signal's reason, as `signal.throwIfAborted()`
  // does, gets that TIMEOUT error back rather than one wrapping its twin.
  if (outcome.error === timeout) {
    throw timeout;
  }
  throw timeoutError(settings, outcome.error);
}

/** Builds a timeout from checked settings on a shared event hub. */
export function buildTimeout(
  settings: TimeoutSettings,
  hub: EventHub<PolicyEvents>,
): TimeoutPolicy {
  return {
    name: settings.name,
    timeoutMs: settings.timeoutMs,
    execute: (fn, signal) => runWithTimeout(fn, signal, settings, hub),
    ...createSubscriptions(hub, ["timeout"]),
    onTimeout: (listener) => hub.on("timeout", listener),
  };
}

/**
 * Creates a cooperative timeout. When `timeoutMs` passes, the signal given
 * to the function aborts with a `TIMEOUT` error as its reason, and the
 * policy waits for the function to settle. A function that rejects then
 * with that reason makes the call reject with it, and one that rejects
 * with another error makes the call reject with `TIMEOUT`, whose `cause`
 * is that error. A function that resolves anyway returns its value,
 * which is how it can return a partial result. A function that ignores the signal is left
 * running: the call rejects with `TIMEOUT` one event-loop turn after the
 * limit, and the function's late result is dropped.
 * @throws {ResilienceError} `INVALID_OPTIONS` listing every invalid option.
 */
export function createTimeout(options?: TimeoutOptions): TimeoutPolicy {
  const issues: IssueList = [];
  const settings = readTimeoutOptions(options, "", issues, {
    name: "timeout",
  });
  throwIfInvalid(issues);
  return buildTimeout(settings, new EventHub(settings.logger));
}
