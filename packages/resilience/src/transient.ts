/**
 * Network error codes (`error.code`) that the default predicate treats as
 * transient: the connection was reset, timed out or refused, DNS lookup
 * failed temporarily, or the peer closed the pipe.
 */
export const TRANSIENT_ERROR_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ETIMEDOUT",
  "ECONNREFUSED",
  "EAI_AGAIN",
  "EPIPE",
]);

/**
 * HTTP statuses (read by {@link statusOf}) that the default predicate
 * treats as transient.
 */
export const TRANSIENT_HTTP_STATUSES: ReadonlySet<number> = new Set([
  408, 425, 429, 500, 502, 503, 504,
]);

/** A function that classifies a thrown value. */
export type ErrorPredicate = (error: unknown) => boolean;

/** Depth to which `cause` chains are followed, so cycles end. */
const MAX_CAUSE_DEPTH = 5;

function numericStatus(record: Record<string, unknown>): number | undefined {
  const { status, statusCode } = record;
  if (typeof status === "number") {
    return status;
  }
  return typeof statusCode === "number" ? statusCode : undefined;
}

/**
 * Returns the HTTP status of an error: its `status` or `statusCode` field,
 * or else the `status` or `statusCode` of its `response`, where axios and
 * got put it.
 */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) {
    return undefined;
  }
  const record = error as Record<string, unknown>;
  const own = numericStatus(record);
  if (own !== undefined) {
    return own;
  }
  const { response } = record;
  return typeof response === "object" && response !== null
    ? numericStatus(response as Record<string, unknown>)
    : undefined;
}

function classify(error: object): boolean | undefined {
  const { transient, code } = error as Record<string, unknown>;
  if (typeof transient === "boolean") {
    return transient;
  }
  if (typeof code === "string" && TRANSIENT_ERROR_CODES.has(code)) {
    return true;
  }
  const status = statusOf(error);
  return status === undefined ? undefined : TRANSIENT_HTTP_STATUSES.has(status);
}

/**
 * Tells whether a retry may succeed where this error failed. An error is
 * transient when it has `transient: true`, a code in
 * {@link TRANSIENT_ERROR_CODES}, or a status in
 * {@link TRANSIENT_HTTP_STATUSES}. `transient: false` or another status
 * make it permanent. Otherwise its `cause` chain is checked the same way,
 * so a fetch `TypeError` caused by `ECONNREFUSED` is transient. Every other
 * value is permanent.
 */
export function isTransientError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH; depth++) {
    if (typeof current !== "object" || current === null) {
      return false;
    }
    const verdict = classify(current);
    if (verdict !== undefined) {
      return verdict;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Creates a predicate that matches errors whose status, as
 * {@link statusOf} reads it, is one of `statuses`, such as
 * `matchStatus(429, 401)`.
 */
export function matchStatus(...statuses: readonly number[]): ErrorPredicate {
  const listed = new Set(statuses);
  return (error) => {
    const status = statusOf(error);
    return status !== undefined && listed.has(status);
  };
}
