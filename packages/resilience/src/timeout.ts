import { TimeoutStrategy, timeout } from "cockatiel";

import { fromCockatielError } from "./cockatiel-errors.js";
import {
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

/**
 * Runs `fn` with a signal that aborts when cockatiel's signal does. The
 * reason is the caller's reason when the caller aborted, and otherwise a
 * `TIMEOUT` error, so `fetch` and similar APIs reject with it.
 */
async function runWithTimeoutReason<T>(
  fn: PolicyFunction<T>,
  timerSignal: AbortSignal,
  callerSignal: AbortSignal | undefined,
  onTimeout: () => ResilienceError,
): Promise<T> {
  const controller = new AbortController();
  const forward = (): void => {
    controller.abort(
      callerSignal?.aborted === true ? callerSignal.reason : onTimeout(),
    );
  };
  if (timerSignal.aborted) {
    forward();
  }
  timerSignal.addEventListener("abort", forward, { once: true });
  try {
    return await fn(controller.signal);
  } finally {
    timerSignal.removeEventListener("abort", forward);
  }
}

/** Builds a timeout from checked settings on a shared event hub. */
export function buildTimeout(
  settings: TimeoutSettings,
  hub: EventHub<PolicyEvents>,
): TimeoutPolicy {
  const inner = timeout(settings.timeoutMs, {
    strategy: TimeoutStrategy.Cooperative,
    abortOnReturn: true,
  });
  const execute = async <T>(fn: PolicyFunction<T>, signal?: AbortSignal) => {
    throwIfAborted(signal);
    const call = { timedOut: false };
    const onTimeout = (): ResilienceError => {
      call.timedOut = true;
      hub.emit("timeout", {
        policy: settings.name,
        timeoutMs: settings.timeoutMs,
      });
      return timeoutError(settings);
    };
    try {
      return await inner.execute(
        ({ signal: timerSignal }) =>
          runWithTimeoutReason(fn, timerSignal, signal, onTimeout),
        signal,
      );
    } catch (error) {
      throw call.timedOut
        ? timeoutError(settings, error)
        : fromCockatielError(error, signal, { policy: settings.name });
    }
  };
  return {
    name: settings.name,
    timeoutMs: settings.timeoutMs,
    execute,
    ...createSubscriptions(hub, ["timeout"]),
    onTimeout: (listener) => hub.on("timeout", listener),
  };
}

/**
 * Creates a cooperative timeout. When `timeoutMs` passes, the signal given
 * to the function aborts with a `TIMEOUT` error as its reason, and the
 * policy waits for the function to settle. A function that rejects then
 * makes the call reject with `TIMEOUT`, whose `cause` is its error. A
 * function that resolves anyway returns its value, which is how it can
 * return a partial result. A function that ignores the signal keeps the
 * caller waiting until it finishes.
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
