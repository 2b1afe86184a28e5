/**
 * Stable error codes of the observability package. A code is never reused
 * for a different failure.
 */
export const ObservabilityErrorCode = {
  /** One or more options are invalid; see `issues`. */
  INVALID_OPTIONS: "INVALID_OPTIONS",
  /** An optional peer dependency that this feature needs is not installed. */
  DEPENDENCY_MISSING: "DEPENDENCY_MISSING",
  /** A health check did not settle within its timeout. */
  HEALTH_CHECK_TIMEOUT: "HEALTH_CHECK_TIMEOUT",
  /** A webhook notification failed after every retry; see `cause`. */
  WEBHOOK_FAILED: "WEBHOOK_FAILED",
  /** A raw request path was given where a route template is expected. */
  RAW_PATH_REJECTED: "RAW_PATH_REJECTED",
  /** The component was closed and cannot be used any more. */
  CLOSED: "CLOSED",
} as const;

/** One of the stable error codes in {@link ObservabilityErrorCode}. */
export type ObservabilityErrorCode =
  (typeof ObservabilityErrorCode)[keyof typeof ObservabilityErrorCode];

/** One invalid value, with the path to it and the fix. */
export interface ObservabilityIssue {
  readonly path: string;
  readonly value: unknown;
  readonly message: string;
}

const BRAND = Symbol.for("@retrieval-free/observability/error");

/** The one error class of the observability package; check `code`. */
export class ObservabilityError extends Error {
  readonly code: ObservabilityErrorCode;
  /** Every invalid value found; empty for other failures. */
  readonly issues: readonly ObservabilityIssue[];
  readonly [BRAND] = true;

  constructor(
    code: ObservabilityErrorCode,
    message: string,
    options: { cause?: unknown; issues?: readonly ObservabilityIssue[] } = {},
  ) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.name = "ObservabilityError";
    this.code = code;
    this.issues = options.issues ?? [];
  }
}

/**
 * Tells whether a value is an {@link ObservabilityError}, also when it
 * comes from another copy of this package.
 */
export function isObservabilityError(
  error: unknown,
): error is ObservabilityError {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as Record<symbol, unknown>)[BRAND] === true
  );
}

/**
 * Throws one INVALID_OPTIONS error that lists every issue, or returns when
 * there are none.
 */
export function throwIfIssues(
  subject: string,
  issues: readonly ObservabilityIssue[],
): void {
  if (issues.length === 0) {
    return;
  }
  const lines = issues.map((issue) => `${issue.path}: ${issue.message}`);
  throw new ObservabilityError(
    ObservabilityErrorCode.INVALID_OPTIONS,
    `Invalid ${subject}: ${lines.join("; ")}`,
    { issues },
  );
}
