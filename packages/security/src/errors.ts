/**
 * Stable error codes of the security package. A code is never reused for
 * a different failure.
 */
export const SecurityErrorCode = {
  /** One or more options are invalid; see `issues`. */
  INVALID_OPTIONS: "INVALID_OPTIONS",
  /** The input is not of the type the function takes. */
  INVALID_INPUT: "INVALID_INPUT",
  /** An optional peer dependency that this feature needs is not installed. */
  DEPENDENCY_MISSING: "DEPENDENCY_MISSING",
  /** A key, usage, rate-limit or audit backend failed; see `cause`. */
  STORE_FAILED: "STORE_FAILED",
  /** A record with this id already exists. */
  CONFLICT: "CONFLICT",
  /** No record has this id. */
  NOT_FOUND: "NOT_FOUND",
  /** The API key is malformed, unknown, expired or revoked. */
  API_KEY_INVALID: "API_KEY_INVALID",
  /** The API key is valid but lacks a scope the action needs. */
  PERMISSION_DENIED: "PERMISSION_DENIED",
  /** The rate limit of the key or tenant is used up; retry after the reset. */
  RATE_LIMITED: "RATE_LIMITED",
  /** The data subject was erased; its personal data cannot be read. */
  SUBJECT_ERASED: "SUBJECT_ERASED",
  /** The audit log does not verify: an entry or checkpoint was altered. */
  AUDIT_TAMPERED: "AUDIT_TAMPERED",
  /** The input was blocked by the threat scanner. */
  THREAT_BLOCKED: "THREAT_BLOCKED",
  /** A model file does not match its manifest, or the manifest is invalid. */
  MODEL_INTEGRITY_FAILED: "MODEL_INTEGRITY_FAILED",
  /** A model's signature is missing where required, or does not verify. */
  MODEL_SIGNATURE_INVALID: "MODEL_SIGNATURE_INVALID",
  /** A model's source is not on the allow-list. */
  MODEL_SOURCE_NOT_ALLOWED: "MODEL_SOURCE_NOT_ALLOWED",
  /** A model file has a format that can run code when loaded (pickle). */
  MODEL_FORMAT_REFUSED: "MODEL_FORMAT_REFUSED",
} as const;

/** One of the stable error codes in {@link SecurityErrorCode}. */
export type SecurityErrorCode =
  (typeof SecurityErrorCode)[keyof typeof SecurityErrorCode];

/** The HTTP status that each error code maps to where it reaches HTTP. */
export const SECURITY_ERROR_STATUS: Readonly<
  Record<SecurityErrorCode, number>
> = {
  INVALID_OPTIONS: 400,
  INVALID_INPUT: 400,
  DEPENDENCY_MISSING: 500,
  STORE_FAILED: 503,
  CONFLICT: 409,
  NOT_FOUND: 404,
  API_KEY_INVALID: 401,
  PERMISSION_DENIED: 403,
  RATE_LIMITED: 429,
  SUBJECT_ERASED: 410,
  AUDIT_TAMPERED: 500,
  THREAT_BLOCKED: 400,
  MODEL_INTEGRITY_FAILED: 500,
  MODEL_SIGNATURE_INVALID: 500,
  MODEL_SOURCE_NOT_ALLOWED: 500,
  MODEL_FORMAT_REFUSED: 500,
};

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
  /** The HTTP status for this code; see {@link SECURITY_ERROR_STATUS}. */
  readonly status: number;
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
    this.status = SECURITY_ERROR_STATUS[code];
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
