import type { ExitCode } from "./exit-codes.js";

/**
 * A failure with a message meant for the user and the exit status it
 * ends with. The message is one plain sentence without the `rfcc:` prefix.
 */
export class CliError extends Error {
  /** Exit status of the process. */
  readonly exitCode: ExitCode;
  /** Further lines printed after the message, each with the `rfcc:` prefix. */
  readonly details: readonly string[];

  constructor(
    exitCode: ExitCode,
    message: string,
    options: { cause?: unknown; details?: readonly string[] } = {},
  ) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.name = "CliError";
    this.exitCode = exitCode;
    this.details = options.details ?? [];
  }
}
