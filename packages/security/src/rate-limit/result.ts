import { SecurityError, SecurityErrorCode } from "../errors.js";
import type { ResolvedRule } from "./limiter-validation.js";
import type {
  RateLimitOutcome,
  RateLimitResult,
  RateLimitStoreResult,
  RateLimitWindow,
  RateLimitWindowState,
} from "./types.js";

function outcomeOf(
  rule: ResolvedRule,
  window: RateLimitWindow,
  state: RateLimitWindowState,
): RateLimitOutcome {
  const outcome = {
    name: rule.name,
    scope: rule.scope,
    unit: rule.unit,
    windowMs: rule.windowMs,
    cost: window.cost,
    allowed: state.allowed,
    limit: rule.limit,
    used: state.used,
    remaining: Math.max(0, rule.limit - state.used),
    resetAt: state.resetAt,
    retryAfterMs: state.allowed ? 0 : state.retryAfterMs,
  };
  if (state.allowed) {
    return outcome;
  }
  return {
    ...outcome,
    reason: window.cost > rule.limit ? "cost_above_limit" : "limit_exceeded",
  };
}

/**
 * Picks the outcome that the top-level fields report: the rejecting limit
 * with the longest wait, or else the limit with the smallest share of its
 * points remaining, the first one on ties.
 */
function decidingOutcome(
  outcomes: readonly RateLimitOutcome[],
): RateLimitOutcome {
  let deciding = outcomes[0] as RateLimitOutcome;
  for (const outcome of outcomes.slice(1)) {
    if (deciding.allowed !== outcome.allowed) {
      deciding = outcome.allowed ? deciding : outcome;
    } else if (!outcome.allowed) {
      deciding =
        outcome.retryAfterMs > deciding.retryAfterMs ? outcome : deciding;
    } else {
      const share = outcome.remaining / outcome.limit;
      deciding =
        share < deciding.remaining / deciding.limit ? outcome : deciding;
    }
  }
  return deciding;
}

/** Builds a limiter result from the store's states of its windows. */
export function combineOutcomes(
  rules: readonly ResolvedRule[],
  windows: readonly RateLimitWindow[],
  stored: RateLimitStoreResult,
): RateLimitResult {
  if (stored.windows.length !== windows.length) {
    throw new SecurityError(
      SecurityErrorCode.STORE_FAILED,
      `The rate-limit store returned ${stored.windows.length} window states for ${windows.length} windows, but a store must return one state per window, in order.`,
    );
  }
  const outcomes = rules.map((rule, index) =>
    outcomeOf(
      rule,
      windows[index] as RateLimitWindow,
      stored.windows[index] as RateLimitWindowState,
    ),
  );
  const deciding = decidingOutcome(outcomes);
  const result = {
    allowed: stored.allowed,
    name: deciding.name,
    limit: deciding.limit,
    remaining: deciding.remaining,
    resetAt: deciding.resetAt,
    retryAfterMs: stored.allowed ? 0 : deciding.retryAfterMs,
    checkedAt: stored.now,
    outcomes,
  };
  return deciding.reason === undefined || stored.allowed
    ? result
    : { ...result, reason: deciding.reason };
}

function describeWindow(windowMs: number): string {
  return windowMs % 1000 === 0 ? `${windowMs / 1000} s` : `${windowMs} ms`;
}

/**
 * Throws a `RATE_LIMITED` {@link SecurityError} when the result rejects the
 * request, with the limit and the wait in its message. It does nothing
 * when the request is admitted. Set the headers from the result before
 * calling it, because the error carries only the message.
 */
export function throwIfRateLimited(result: RateLimitResult): void {
  if (result.allowed) {
    return;
  }
  const outcome = result.outcomes.find(
    (candidate) => candidate.name === result.name,
  );
  const unit = outcome?.unit ?? "requests";
  const window = describeWindow(outcome?.windowMs ?? 0);
  const cost = outcome?.cost ?? 0;
  const message =
    result.reason === "cost_above_limit"
      ? `The request costs ${cost} ${unit}, above rate limit "${result.name}" of ${result.limit} ${unit} per ${window}, so it is never admitted. Split it into smaller requests.`
      : `Rate limit "${result.name}" of ${result.limit} ${unit} per ${window} is exceeded: the request costs ${cost} and ${result.remaining} remain. Retry after ${Math.ceil(result.retryAfterMs / 1000)} s.`;
  throw new SecurityError(SecurityErrorCode.RATE_LIMITED, message);
}
