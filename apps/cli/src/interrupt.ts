import { CliError } from "./cli-error.js";
import { ExitCode } from "./exit-codes.js";

/**
 * Aborts `controller` on the first SIGINT (Ctrl-C), so that the running
 * command stops at its next check and exits with status 130. A second
 * SIGINT exits at once. Returns a function that removes the handler.
 *
 * NOTE: the engine checks the signal between its stages, so a stage that
 * is running finishes before the command stops.
 */
export function abortOnInterrupt(controller: AbortController): () => void {
  const listener = (): void => {
    if (controller.signal.aborted) {
      process.exit(ExitCode.INTERRUPTED);
    }
    controller.abort(new CliError(ExitCode.INTERRUPTED, "interrupted."));
  };
  process.on("SIGINT", listener);
  return () => {
    process.off("SIGINT", listener);
  };
}

/** Raises the exit-130 error once `signal` has fired. */
export function throwIfInterrupted(signal: AbortSignal): void {
  if (signal.aborted) {
    throw new CliError(ExitCode.INTERRUPTED, "interrupted.");
  }
}
