import { CommanderError } from "commander";

import type { CommandContext } from "./command-context.js";
import { ExitCode } from "./exit-codes.js";
import { formatFailure, toFailure } from "./failure.js";
import { abortOnInterrupt } from "./interrupt.js";
import { createProgram } from "./program.js";

const COMMANDS = new Set(["compress", "route"]);

// Commander's codes for help and version output, which end with status 0.
const INFORMATION_CODES = new Set([
  "commander.helpDisplayed",
  "commander.version",
]);

function helpHint(argv: readonly string[]): string {
  const [name] = argv;
  const command =
    name !== undefined && COMMANDS.has(name) ? `rfcc ${name}` : "rfcc";
  return `run \`${command} --help\` for usage.`;
}

function report(
  error: unknown,
  argv: readonly string[],
  context: CommandContext,
): number {
  if (error instanceof CommanderError) {
    if (INFORMATION_CODES.has(error.code)) {
      return ExitCode.SUCCESS;
    }
    if (error.code === "commander.help") {
      // A non-zero status means that help went to standard error because
      // no command was given.
      return error.exitCode === 0 ? ExitCode.SUCCESS : ExitCode.USAGE_ERROR;
    }
  }
  const debug = process.env.RFCC_DEBUG === "1";
  const failure = context.signal.aborted
    ? { exitCode: ExitCode.INTERRUPTED, lines: ["interrupted."] }
    : toFailure(error, debug);
  const shown =
    failure.exitCode === ExitCode.USAGE_ERROR
      ? { ...failure, lines: [...failure.lines, helpHint(argv)] }
      : failure;
  process.stderr.write(formatFailure(shown, error, debug));
  return failure.exitCode;
}

/**
 * Runs `rfcc` with the arguments after the script name and returns the
 * exit status. Every error is printed on standard error as `rfcc: ...`
 * lines, with the stack trace only when the RFCC_DEBUG environment
 * variable is 1.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const controller = new AbortController();
  const removeHandler = abortOnInterrupt(controller);
  // Write errors reach writeOutput's callback. Without a listener, the
  // stream's "error" event would crash the process, for example on EPIPE.
  process.stdout.on("error", () => undefined);
  const context: CommandContext = {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    signal: controller.signal,
    exitCode: ExitCode.SUCCESS,
  };
  try {
    await createProgram(context).parseAsync(argv, { from: "user" });
    return context.exitCode;
  } catch (error) {
    return report(error, argv, context);
  } finally {
    removeHandler();
  }
}
