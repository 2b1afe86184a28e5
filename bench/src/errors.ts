/**
 * Stable error codes of the benchmark scripts. Each failure ends the run
 * with exit status 2 and the message, which names the value and the fix.
 */
export const BenchErrorCode = {
  /** No data folder exists at any of the places searched. */
  DATA_NOT_FOUND: "DATA_NOT_FOUND",
  /** A data file is missing or a line of it has the wrong shape. */
  INVALID_DATA: "INVALID_DATA",
  /** A command-line flag is unknown or has an invalid value. */
  INVALID_ARGUMENT: "INVALID_ARGUMENT",
  /** A speed worker process exited with an error or printed no result. */
  WORKER_FAILED: "WORKER_FAILED",
} as const;

/** One of the codes in {@link BenchErrorCode}. */
export type BenchErrorCode =
  (typeof BenchErrorCode)[keyof typeof BenchErrorCode];

/** The one error class of the benchmark scripts. */
export class BenchError extends Error {
  /** Stable machine-readable code. */
  readonly code: BenchErrorCode;

  constructor(code: BenchErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BenchError";
    this.code = code;
  }
}

/** Tells whether a value is a {@link BenchError}. */
export function isBenchError(error: unknown): error is BenchError {
  return error instanceof BenchError;
}

/**
 * Runs a script's main function and turns a failure into an exit status:
 * 2 with the message alone for a {@link BenchError}, 1 with the stack for
 * anything else, which is a bug in the scripts or the engine.
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (isBenchError(error)) {
      console.error(`error: ${error.message}`);
      process.exitCode = 2;
      return;
    }
    console.error(error);
    process.exitCode = 1;
  });
}
