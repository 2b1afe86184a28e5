import { computeRetryDelay } from "./backoff.js";
import {
  abortedError,
  isResilienceError,
  ResilienceError,
  ResilienceErrorCode,
  throwIfAborted,
} from "./errors.js";
import {
  EventHub,
  type GiveUpEvent,
  type GiveUpReason,
  type Listener,
  type PolicyEvents,
  type RetryEvent,
  type Subscription,
} from "./events.js";
import {
  createSubscriptions,
  type Policy,
  type PolicyFunction,
} from "./policy.js";
import type { RetryBudget } from "./retry-budget.js";
import {
  readRetryOptions,
  type RetryOptions,
  type RetrySettings,
} from "./retry-options.js";
import { isTransientError } from "./transient.js";
import { type IssueList, throwIfInvalid } from "./validation.js";

/** A policy that retries transient errors with backoff and a budget. */
export interface RetryPolicy extends Policy<"retry" | "give-up"> {
  /** The budget that limits retries, or undefined when there is none. */
  readonly budget: RetryBudget | undefined;
  /** Adds a listener for `retry`; returns its subscription. */
  onRetry(listener: Listener<RetryEvent>): Subscription;
  /** Adds a listener for `give-up`; returns its subscription. */
  onGiveUp(listener: Listener<GiveUpEvent>): Subscription;
}

/**
 * Creates the `RETRY_BUDGET_EXHAUSTED` error of a call that made
 * `attempts` calls, the last of which failed with `cause`.
 */
function budgetError(
  settings: RetrySettings,
  budget: RetryBudget,
  attempts: number,
  cause: unknown,
): ResilienceError {
  return new ResilienceError(
    ResilienceErrorCode.RETRY_BUDGET_EXHAUSTED,
    `The retry budget of "${settings.name}" allows no more retries in its window, so retry ${attempts} was not made. Wait for the dependency to recover, or raise the budget's ratio or minRetriesPerSecond.`,
    {
      cause,
      details: { policy: settings.name, attempts, ...budget.snapshot() },
    },
  );
}

/**
 * Waits `ms`, or rejects with `ABORTED` as soon as `signal` fires. The
 * timer is cleared on abort, so an aborted call leaves no timer behind.
 */
function waitForRetry(
  ms: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    // A retry listener may have aborted the signal already.
    if (signal?.aborted === true) {
      reject(abortedError(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortedError(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Returns why a call that failed with `error` after the caller's signal
 * fired stopped: `aborted` for an `ABORTED` error or a transient one, and
 * undefined for other errors, which would not have been retried anyway.
 */
function abortReason(
  error: unknown,
  settings: RetrySettings,
): GiveUpReason | undefined {
  const stoppedHere =
    isResilienceError(error) && error.code === ResilienceErrorCode.ABORTED;
  return stoppedHere || settings.isTransient(error) ? "aborted" : undefined;
}

/** Runs one call with retries; see {@link createRetryPolicy}. */
async function runWithRetries<T>(
  fn: PolicyFunction<T>,
  signal: AbortSignal | undefined,
  settings: RetrySettings,
  hub: EventHub<PolicyEvents>,
): Promise<T> {
  throwIfAborted(signal);
  settings.budget?.recordCall();
  const attemptSignal = signal ?? new AbortController().signal;
  const giveUp = (attempts: number, reason: GiveUpReason, error: unknown) => {
    hub.emit("give-up", { policy: settings.name, attempts, reason, error });
  };
  for (let attempts = 1; ; attempts++) {
    let failure: unknown;
    try {
      return await fn(attemptSignal);
    } catch (error) {
      failure = error;
    }
    if (signal?.aborted === true) {
      const reason = abortReason(failure, settings);
      if (reason !== undefined) {
        giveUp(attempts, reason, failure);
      }
      throw failure;
    }
    if (!settings.isTransient(failure)) {
      throw failure;
    }
    if (attempts > settings.maxRetries) {
      giveUp(attempts, "max-retries", failure);
      throw failure;
    }
    const { budget } = settings;
    if (budget !== undefined && !budget.tryAcquireRetry()) {
      giveUp(attempts, "budget-exhausted", failure);
      throw budgetError(settings, budget, attempts, failure);
    }
    const delayMs = computeRetryDelay(attempts, settings, settings.random);
    hub.emit("retry", {
      policy: settings.name,
      attempt: attempts,
      delayMs,
      error: failure,
    });
    try {
      await waitForRetry(delayMs, signal);
    } catch (aborted) {
      giveUp(attempts, "aborted", aborted);
      throw aborted;
    }
  }
}

/** Builds a retry policy from checked settings on a shared event hub. */
export function buildRetryPolicy(
  settings: RetrySettings,
  hub: EventHub<PolicyEvents>,
): RetryPolicy {
  return {
    name: settings.name,
    budget: settings.budget,
    execute: (fn, signal) => runWithRetries(fn, signal, settings, hub),
    ...createSubscriptions(hub, ["retry", "give-up"]),
    onRetry: (listener) => hub.on("retry", listener),
    onGiveUp: (listener) => hub.on("give-up", listener),
  };
}

/**
 * Creates a policy that retries transient errors with exponential backoff
 * and jitter, within a retry budget. Errors that `isTransient` rejects
 * pass through unchanged. After the last retry, the last error is thrown
 * unchanged. When the budget is spent, the call rejects with
 * `RETRY_BUDGET_EXHAUSTED`, whose `cause` is the last error.
 * @throws {ResilienceError} `INVALID_OPTIONS` listing every invalid option.
 */
export function createRetryPolicy(options?: RetryOptions): RetryPolicy {
  const issues: IssueList = [];
  const settings = readRetryOptions(options, "", issues, {
    name: "retry",
    isTransient: isTransientError,
  });
  throwIfInvalid(issues);
  return buildRetryPolicy(settings, new EventHub(settings.logger));
}
