/**
 * Stable error codes of the security package. A code is never reused for
 * a different failure.
 */
export const SecurityErrorCode = {
  /** One or more options are invalid; see `issues`. */
  INVALID_OPTIONS: "INVALID_OPTIONS",
  /** The input is not of the type the function takes. */
  INVALID_INPUT: "INVALID_INPUT",
} as const;

/** One of the stable error codes in {@link SecurityErrorCode}. */
export type SecurityErrorCode =
  (typeof SecurityErrorCode)[keyof typeof SecurityErrorCode];

/** One invalid value, with the path to it and the fix. */
export interface SecurityIssue {
  readonly path: string;
  readonly value: unknown;
  readonly message: string;
}

const BRAND = Symbol.for("@retrieval-free/security/error");

/** The one error class of the security package; check `code`. */
export class SecurityError extends Error {
  readonly code: SecurityErrorCode;
  /** Every invalid value found; empty for other failures. */
  readonly issues: readonly SecurityIssue[];
  readonly [BRAND] = true;

  constructor(
    code: SecurityErrorCode,
    message: string,
    options: { cause?: unknown; issues?: readonly SecurityIssue[] } = {},
  ) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.name = "SecurityError";
    this.code = code;
    this.issues = options.issues ?? [];
  }
}

/**
 * Tells whether a value is a {@link SecurityError}, also when it comes
 * from another copy of this package.
 */
export function isSecurityError(error: unknown): error is SecurityError {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as Record<symbol, unknown>)[BRAND] === true
  );
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
