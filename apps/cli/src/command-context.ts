import type { InputStream } from "./read-input.js";
import type { OutputStream } from "./write-output.js";

/** Standard error as the commands use it. */
export interface ErrorStream extends OutputStream {
  readonly isTTY?: boolean;
}

/** Streams, interrupt signal and exit status of one command run. */
export interface CommandContext {
  readonly stdin: InputStream;
  readonly stdout: OutputStream;
  readonly stderr: ErrorStream;
  /** Fires on SIGINT. Commands then stop and exit with status 130. */
  readonly signal: AbortSignal;
  /** Exit status of the command, set by its action. */
  exitCode: number;
}
