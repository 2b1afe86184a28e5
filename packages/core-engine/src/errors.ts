/**
 * Stable error codes of the core engine. A code is never reused for a
 * different failure; `docs/errors.md` lists each with its fix.
 */
export const CoreEngineErrorCode = {
  /** One or more compression options are invalid; see `issues`. */
  INVALID_OPTIONS: "INVALID_OPTIONS",
  /** The input is neither a string nor a list of `{ id, text }` documents. */
  INVALID_INPUT: "INVALID_INPUT",
  /** A custom token counter threw or returned something other than a count. */
  TOKENIZER_FAILED: "TOKENIZER_FAILED",
  /** An encoder threw, or returned vectors of the wrong number or size. */
  ENCODER_FAILED: "ENCODER_FAILED",
  /**
   * A model folder, model file, tokenizer or encoder config is missing,
   * malformed or of a shape the ONNX encoder does not support.
   */
  INVALID_MODEL: "INVALID_MODEL",
  /**
   * ONNX Runtime's native package could not be loaded on this platform,
   * so no ONNX model can run.
   */
  RUNTIME_UNAVAILABLE: "RUNTIME_UNAVAILABLE",
  /** Routing needs an encoder that the mega-token set cannot recreate. */
  ENCODER_REQUIRED: "ENCODER_REQUIRED",
  /** Bytes or JSON given as a mega-token set are not one. */
  INVALID_MEGA_TOKENS: "INVALID_MEGA_TOKENS",
  /** A mega-token set was written by a newer, unknown format version. */
  UNSUPPORTED_MEGA_TOKENS_VERSION: "UNSUPPORTED_MEGA_TOKENS_VERSION",
  /** The caller's `AbortSignal` fired before the work finished. */
  ABORTED: "ABORTED",
} as const;

/** One of the stable error codes in {@link CoreEngineErrorCode}. */
export type CoreEngineErrorCode =
  (typeof CoreEngineErrorCode)[keyof typeof CoreEngineErrorCode];

/** One problem found while validating a value, with the path to it. */
export interface ValidationIssue {
  /** Dotted path of the invalid field, such as `ratio` or `preserve.1`. */
  readonly path: string;
  /** The invalid value as received. */
  readonly value: unknown;
  /** A full sentence naming the problem and the fix. */
  readonly message: string;
}

const BRAND = Symbol.for("@retrieval-free/core-engine/error");

/** Options accepted by the {@link CoreEngineError} constructor. */
export interface CoreEngineErrorOptions {
  /** The underlying error, kept as the ES2022 `cause`. */
  readonly cause?: unknown;
  /** Every validation problem, for `INVALID_OPTIONS` and `INVALID_INPUT`. */
  readonly issues?: readonly ValidationIssue[];
}

/**
 * The one error class of the core engine. Check `code` rather than the
 * message, which may be reworded between versions.
 */
export class CoreEngineError extends Error {
  /** Stable machine-readable code. */
  readonly code: CoreEngineErrorCode;
  /** Every validation problem found; empty for other failures. */
  readonly issues: readonly ValidationIssue[];
  readonly [BRAND] = true;

  constructor(
    code: CoreEngineErrorCode,
    message: string,
    options: CoreEngineErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.name = "CoreEngineError";
    this.code = code;
    this.issues = options.issues ?? [];
  }
}

/**
 * Tells whether a value is a {@link CoreEngineError}, also when it comes
 * from another copy of this package installed alongside.
 */
export function isCoreEngineError(error: unknown): error is CoreEngineError {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as Record<symbol, unknown>)[BRAND] === true
  );
}

/** Raises `ABORTED` when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) {
    throw new CoreEngineError(
      CoreEngineErrorCode.ABORTED,
      "The operation was aborted by its AbortSignal.",
      { cause: signal.reason },
    );
  }
}
