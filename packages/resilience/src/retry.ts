import type {
  IBackoff,
  IBackoffFactory,
  IRetryBackoffContext,
  RetryPolicy as CockatielRetryPolicy,
} from "cockatiel";
import { handleWhen, retry } from "cockatiel";

import { computeRetryDelay } from "./backoff.js";
import {
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

type BackoffContext = IRetryBackoffContext<unknown>;

function lastFailure(context: BackoffContext): unknown {
  return "error" in context.result
    ? context.result.error
    : context.result.value;
}

/**
 * Creates cockatiel's backoff: each step first takes a retry from the
 * budget. When the budget is spent, the step throws, which makes
 * cockatiel 3.2 reject the call with that error instead of retrying.
 */
function createBackoff(
  settings: RetrySettings,
  budgetErrors: WeakSet<object>,
): IBackoffFactory<BackoffContext> {
  const next = (context: BackoffContext): IBackoff<BackoffContext> => {
    if (settings.budget !== undefined && !settings.budget.tryAcquireRetry()) {
      const error = new ResilienceError(
        ResilienceErrorCode.RETRY_BUDGET_EXHAUSTED,
        `The retry budget of "${settings.name}" allows no more retries in its window, so retry ${context.attempt} was not made. Wait for the dependency to recover, or raise the budget's ratio or minRetriesPerSecond.`,
        {
          cause: lastFailure(context),
          details: { policy: settings.name, ...settings.budget.snapshot() },
        },
      );
      budgetErrors.add(error);
      throw error;
    }
    const duration = computeRetryDelay(
      context.attempt,
      settings,
      settings.random,
    );
    return { duration, next };
  };
  return { next };
}

interface CallState {
  attempts: number;
  readonly signal: AbortSignal | undefined;
}

function giveUpReason(
  error: unknown,
  settings: RetrySettings,
  call: CallState,
  budgetErrors: WeakSet<object>,
): GiveUpReason | undefined {
  if (typeof error === "object" && error !== null && budgetErrors.has(error)) {
    return "budget-exhausted";
  }
  if (call.signal?.aborted === true) {
    const stoppedHere =
      isResilienceError(error) && error.code === ResilienceErrorCode.ABORTED;
    return stoppedHere || settings.isTransient(error) ? "aborted" : undefined;
  }
  return settings.isTransient(error) ? "max-retries" : undefined;
}

function emitGiveUp(
  hub: EventHub<PolicyEvents>,
  settings: RetrySettings,
  attempts: number,
  reason: GiveUpReason,
  error: unknown,
): void {
  hub.emit("give-up", {
    policy: settings.name,
    attempts,
    reason,
    error: reason === "budget-exhausted" ? (error as Error).cause : error,
  });
}

/** Creates the `execute` method of a retry policy around cockatiel's. */
function createExecute(
  inner: CockatielRetryPolicy,
  settings: RetrySettings,
  hub: EventHub<PolicyEvents>,
  budgetErrors: WeakSet<object>,
): RetryPolicy["execute"] {
  return async <T>(fn: PolicyFunction<T>, signal?: AbortSignal) => {
    throwIfAborted(signal);
    settings.budget?.recordCall();
    const call: CallState = { attempts: 0, signal };
    try {
      return await inner.execute(({ signal: attemptSignal }) => {
        // cockatiel 3.2 waits out a backoff delay even when the signal
        // fires during it, so the next attempt stops here instead.
        throwIfAborted(signal);
        call.attempts += 1;
        return fn(attemptSignal);
      }, signal);
    } catch (error) {
      const reason = giveUpReason(error, settings, call, budgetErrors);
      if (reason !== undefined) {
        emitGiveUp(hub, settings, call.attempts, reason, error);
      }
      throw error;
    }
  };
}

/** Builds a retry policy from checked settings on a shared event hub. */
export function buildRetryPolicy(
  settings: RetrySettings,
  hub: EventHub<PolicyEvents>,
): RetryPolicy {
  const budgetErrors = new WeakSet<object>();
  const inner = retry(
    handleWhen((error) => settings.isTransient(error)),
    {
      maxAttempts: settings.maxRetries,
      backoff: createBackoff(settings, budgetErrors),
    },
  );
  inner.onRetry((event) => {
    hub.emit("retry", {
      policy: settings.name,
      attempt: event.attempt,
      delayMs: event.delay,
      error: "error" in event ? event.error : event.value,
    });
  });
  return {
    name: settings.name,
    budget: settings.budget,
    execute: createExecute(inner, settings, hub, budgetErrors),
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
