/**
 * Stable error codes of the config package. A code is never reused for a
 * different failure.
 */
export const ConfigErrorCode = {
  /** One or more options are invalid; see `issues`. */
  INVALID_OPTIONS: "INVALID_OPTIONS",
  /** The merged configuration does not match the schema; see `issues`. */
  INVALID_CONFIG: "INVALID_CONFIG",
  /** A config file is missing, unreadable, or not valid JSON or YAML. */
  CONFIG_FILE_UNREADABLE: "CONFIG_FILE_UNREADABLE",
  /** One or more flag definitions are invalid; see `issues`. */
  INVALID_FLAG_DEFINITION: "INVALID_FLAG_DEFINITION",
  /** No flag has the requested key. */
  FLAG_NOT_FOUND: "FLAG_NOT_FOUND",
  /** The flag's value has another type than the caller requested. */
  FLAG_TYPE_MISMATCH: "FLAG_TYPE_MISMATCH",
} as const;

/** One of the stable error codes in {@link ConfigErrorCode}. */
export type ConfigErrorCode =
  (typeof ConfigErrorCode)[keyof typeof ConfigErrorCode];

/** One invalid value, with the path to it, what was expected and the fix. */
export interface ConfigIssue {
  /** Dot-separated path, such as `server.port`; empty for the root. */
  readonly path: string;
  /** The received value, or `"[redacted]"` where the path is secret. */
  readonly value: unknown;
  /** A description of the problem and of the expected form. */
  readonly message: string;
  /** The source that set the value, such as `env RF_SERVER__PORT`. */
  readonly source?: string;
}

const BRAND = Symbol.for("@retrieval-free/config/error");

/** The one error class of the config package; check `code`. */
export class ConfigError extends Error {
  readonly code: ConfigErrorCode;
  /** Every invalid value found; empty for other failures. */
  readonly issues: readonly ConfigIssue[];
  readonly [BRAND] = true;

  constructor(
    code: ConfigErrorCode,
    message: string,
    options: { cause?: unknown; issues?: readonly ConfigIssue[] } = {},
  ) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.name = "ConfigError";
    this.code = code;
    this.issues = options.issues ?? [];
  }
}

/**
 * Tells whether a value is a {@link ConfigError}, also when it comes from
 * another copy of this package.
 */
export function isConfigError(error: unknown): error is ConfigError {
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

/**
 * Builds the error message that lists every issue, one per line, so a log
 * line shows all of them.
 */
export function formatIssues(summary: string, issues: readonly ConfigIssue[]) {
  const lines = issues.map((issue) => {
    const where = issue.path === "" ? "(root)" : issue.path;
    const from = issue.source === undefined ? "" : ` (from ${issue.source})`;
    return `  - ${where}${from}: ${issue.message}; received ${describeValue(issue.value)}`;
  });
  return [summary, ...lines].join("\n");
}
