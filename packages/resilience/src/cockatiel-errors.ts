import { ResilienceError, ResilienceErrorCode } from "./errors.js";

/**
 * Tells whether `error` carries cockatiel's marker property `marker`.
 * cockatiel 3.2.1's own isIsolatedCircuitError and isTaskCancelledError
 * test the bulkhead marker instead, so they are not used here
 * (https://github.com/connor4312/cockatiel/issues/100).
 */
function hasMarker(error: unknown, marker: string): boolean {
  return error instanceof Error && marker in error;
}

/**
 * Converts an error of cockatiel into a {@link ResilienceError} with the
 * original as `cause`; returns every other value unchanged.
 */
export function fromCockatielError(
  error: unknown,
  signal: AbortSignal | undefined,
  details: Readonly<Record<string, unknown>> = {},
): unknown {
  if (hasMarker(error, "isIsolatedCircuitError")) {
    return new ResilienceError(
      ResilienceErrorCode.CIRCUIT_OPEN,
      "The circuit breaker is isolated by hand, so the call was rejected. Dispose the isolation handle to close it.",
      { cause: error, details: { ...details, isolated: true } },
    );
  }
  if (hasMarker(error, "isBrokenCircuitError")) {
    return new ResilienceError(
      ResilienceErrorCode.CIRCUIT_OPEN,
      "The circuit breaker is open, so the call was rejected. Retry after the half-open delay.",
      { cause: error, details },
    );
  }
  if (hasMarker(error, "isBulkheadRejectedError")) {
    return new ResilienceError(
      ResilienceErrorCode.BULKHEAD_FULL,
      `The bulkhead is full (${String(details.maxConcurrent)} running, ${String(details.maxQueue)} queued), so the call was rejected. Retry later or raise maxConcurrent or maxQueue.`,
      { cause: error, details },
    );
  }
  if (hasMarker(error, "isTaskCancelledError")) {
    return signal?.aborted === true
      ? new ResilienceError(
          ResilienceErrorCode.ABORTED,
          "The operation was aborted by the caller's signal.",
          { cause: error, details: { ...details, reason: signal.reason } },
        )
      : new ResilienceError(
          ResilienceErrorCode.TIMEOUT,
          "The operation was cancelled before it finished.",
          { cause: error, details },
        );
  }
  return error;
}
