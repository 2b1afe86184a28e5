/**
 * Stable error codes of the resilience package. A code is never reused for
 * a different failure.
 */
export const ResilienceErrorCode = {
  /** One or more options are invalid; see `issues`. */
  INVALID_OPTIONS: "INVALID_OPTIONS",
  /** The caller's `AbortSignal` fired; `cause` contains the signal's reason. */
  ABORTED: "ABORTED",
  /** The work did not finish within its time limit. */
  TIMEOUT: "TIMEOUT",
  /** The circuit breaker is open, isolated or busy with a half-open probe. */
  CIRCUIT_OPEN: "CIRCUIT_OPEN",
  /** The bulkhead's concurrency slots and queue are all taken. */
  BULKHEAD_FULL: "BULKHEAD_FULL",
  /** The retry budget allows no more retries in the current window. */
  RETRY_BUDGET_EXHAUSTED: "RETRY_BUDGET_EXHAUSTED",
  /** Every strategy of a fallback chain failed. */
  FALLBACK_EXHAUSTED: "FALLBACK_EXHAUSTED",
  /** A memory watermark is exceeded, so new work is shed. */
  OVERLOADED: "OVERLOADED",
  /** A worker thread failed, threw, or exited without a result. */
  WORKER_FAILED: "WORKER_FAILED",
  /** A worker thread exceeded its `resourceLimits` and was stopped. */
  WORKER_OUT_OF_MEMORY: "WORKER_OUT_OF_MEMORY",
  /** Shutdown has started, so no new work is accepted. */
  SHUTTING_DOWN: "SHUTTING_DOWN",
} as const;

/** One of the stable error codes in {@link ResilienceErrorCode}. */
export type ResilienceErrorCode =
  (typeof ResilienceErrorCode)[keyof typeof ResilienceErrorCode];

/**
 * The HTTP status that each error code maps to where it reaches HTTP. 499
 * (client closed request) is a non-standard status that nginx introduced.
 */
export const RESILIENCE_ERROR_STATUS: Readonly<
  Record<ResilienceErrorCode, number>
> = {
  INVALID_OPTIONS: 400,
  ABORTED: 499,
  TIMEOUT: 504,
  CIRCUIT_OPEN: 503,
  BULKHEAD_FULL: 503,
  RETRY_BUDGET_EXHAUSTED: 503,
  FALLBACK_EXHAUSTED: 503,
  OVERLOADED: 503,
  WORKER_FAILED: 500,
  WORKER_OUT_OF_MEMORY: 500,
  SHUTTING_DOWN: 503,
};

/**
 * Codes whose errors the default transient-error predicate retries: a
 * timed-out attempt may succeed on the next try.
 */
const TRANSIENT_CODES: ReadonlySet<ResilienceErrorCode> = new Set(["TIMEOUT"]);

/** One invalid value, with the path to it and the fix. */
export interface ResilienceIssue {
  readonly path: string;
  readonly value: unknown;
  readonly message: string;
}

/** Options of the {@link ResilienceError} constructor. */
export interface ResilienceErrorOptions {
  /** The error that caused this one. */
  readonly cause?: unknown;
  /** Every invalid value found, for `INVALID_OPTIONS`. */
  readonly issues?: readonly ResilienceIssue[];
  /** Facts about the failure that code can read, such as limits. */
  readonly details?: Readonly<Record<string, unknown>>;
}

const BRAND = Symbol.for("@retrieval-free/resilience/error");

/** The one error class of the resilience package; check `code`. */
export class ResilienceError extends Error {
  readonly code: ResilienceErrorCode;
  /** The HTTP status for this code; see {@link RESILIENCE_ERROR_STATUS}. */
  readonly status: number;
  /** Whether a retry may succeed; true only for `TIMEOUT`. */
  readonly transient: boolean;
  /** Every invalid value found; empty for other failures. */
  readonly issues: readonly ResilienceIssue[];
  /** Facts about the failure, such as the limit that was reached. */
  readonly details: Readonly<Record<string, unknown>>;
  readonly [BRAND] = true;

  constructor(
    code: ResilienceErrorCode,
    message: string,
    options: ResilienceErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.name = "ResilienceError";
    this.code = code;
    this.status = RESILIENCE_ERROR_STATUS[code];
    this.transient = TRANSIENT_CODES.has(code);
    this.issues = options.issues ?? [];
    this.details = options.details ?? {};
  }
}

/**
 * Tells whether a value is a {@link ResilienceError}, also when it comes
 * from another copy of this package.
 */
export function isResilienceError(error: unknown): error is ResilienceError {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as Record<symbol, unknown>)[BRAND] === true
  );
}

/** Creates the `ABORTED` error for a signal that fired. */
export function abortedError(
  signal: AbortSignal,
  details: Readonly<Record<string, unknown>> = {},
): ResilienceError {
  return new ResilienceError(
    ResilienceErrorCode.ABORTED,
    "The operation was aborted by the caller's signal.",
    { cause: signal.reason, details },
  );
}

/** Throws the `ABORTED` error when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) {
    throw abortedError(signal);
  }
}

/** Renders a received value for a message, cut to a readable size. */
export function describeValue(value: unknown): string {
  if (typeof value === "function") {
    return "a function";
  }
  if (typeof value === "string") {
    return JSON.stringify(
      value.length > 40 ? `${value.slice(0, 37)}...` : value,
    );
  }
  if (value === null || typeof value !== "object") {
    return String(value);
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  if (json === undefined) {
    return Array.isArray(value) ? `an array of ${value.length}` : "an object";
  }
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}
