import { inspect } from "node:util";

import {
  CoreEngineErrorCode,
  isCoreEngineError,
} from "@retrieval-free/core-engine";
import type { CoreEngineError } from "@retrieval-free/core-engine";
import { CommanderError } from "commander";

import { CliError } from "./cli-error.js";
import { ExitCode } from "./exit-codes.js";

/** Exit status and message lines for an error that ends a command. */
export interface Failure {
  readonly exitCode: ExitCode;
  /** Sentences for standard error, each printed after `rfcc: `. */
  readonly lines: readonly string[];
}

const ENGINE_EXIT_CODES: Record<CoreEngineErrorCode, ExitCode> = {
  INVALID_OPTIONS: ExitCode.USAGE_ERROR,
  INVALID_INPUT: ExitCode.INPUT_ERROR,
  INVALID_MEGA_TOKENS: ExitCode.INPUT_ERROR,
  UNSUPPORTED_MEGA_TOKENS_VERSION: ExitCode.INPUT_ERROR,
  // A set built with an encoder that the CLI cannot load (without --model,
  // any encoder but the built-in one) is unusable input.
  ENCODER_REQUIRED: ExitCode.INPUT_ERROR,
  INVALID_MODEL: ExitCode.INPUT_ERROR,
  TOKENIZER_FAILED: ExitCode.INTERNAL_ERROR,
  ENCODER_FAILED: ExitCode.INTERNAL_ERROR,
  RUNTIME_UNAVAILABLE: ExitCode.INTERNAL_ERROR,
  ABORTED: ExitCode.INTERRUPTED,
};

/**
 * Engine option names as they appear in validation messages, and the
 * command-line flags that set them. `k` and `level` are only replaced at
 * the start of a message, where they name the option.
 */
const FLAG_OF_OPTION: readonly (readonly [RegExp, string])[] = [
  [/\btargetTokens\b/g, "--target-tokens"],
  [/\bratio\b/g, "--ratio"],
  [/^tokenizer\b/g, "--tokenizer"],
  [/^preserve\b/g, "--preserve"],
  [/^separator\b/g, "--separator"],
  [/^query\b/g, "--query"],
  [/^k\b/g, "--top"],
  [/^level\b/g, "--level"],
];

/** Rewrites an option problem in terms of the command's flags. */
function inFlagTerms(message: string): string {
  return FLAG_OF_OPTION.reduce(
    (text, [pattern, flag]) => text.replace(pattern, flag),
    message,
  );
}

function engineFailure(error: CoreEngineError): Failure {
  const exitCode = ENGINE_EXIT_CODES[error.code];
  if (error.code === CoreEngineErrorCode.ABORTED) {
    return { exitCode, lines: ["interrupted."] };
  }
  const lines =
    error.issues.length > 0
      ? error.issues.map((issue) =>
          error.code === CoreEngineErrorCode.INVALID_OPTIONS
            ? inFlagTerms(issue.message)
            : issue.message,
        )
      : [
          error.code === CoreEngineErrorCode.ENCODER_REQUIRED
            ? encoderInFlagTerms(error.message)
            : error.message,
        ];
  return { exitCode, lines };
}

/** Rewrites the engine's advice on encoders in terms of `--model`. */
function encoderInFlagTerms(message: string): string {
  return message
    .replace(
      "leave options.encoder out, because routing recreates the built-in hashing encoder that built them.",
      "run without --model, since the file was built with the built-in hashing encoder.",
    )
    .replace(
      "pass it as options.encoder.",
      "pass the folder of that model with --model DIR.",
    )
    .replace(
      "pass the encoder that built them.",
      "pass the folder of the model that built them with --model DIR.",
    );
}

function commanderFailure(error: CommanderError): Failure {
  // Commander writes "error: unknown option '--x'". The caller adds the
  // "rfcc: " prefix, and every message ends as a sentence.
  // A suggestion such as "(Did you mean --ratio?)" comes on a line of its
  // own; every line becomes a sentence of its own.
  const lines = error.message
    .replace(/^error: /, "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => line.replace(/^\((.*)\)$/, "$1"))
    .map((line) => (/[.!?]$/.test(line) ? line : `${line}.`));
  return { exitCode: ExitCode.USAGE_ERROR, lines };
}

/**
 * Maps an error thrown by a command to its exit status and message lines.
 * Errors of unknown kind are internal failures. Unless `debug` is set,
 * their lines end with a hint on how to see the stack trace.
 */
export function toFailure(error: unknown, debug: boolean): Failure {
  if (error instanceof CliError) {
    return {
      exitCode: error.exitCode,
      lines: [error.message, ...error.details],
    };
  }
  if (isCoreEngineError(error)) {
    return engineFailure(error);
  }
  if (error instanceof CommanderError) {
    return commanderFailure(error);
  }
  const message = error instanceof Error ? error.message : String(error);
  const lines = [`internal error: ${message}`];
  if (!debug) {
    lines.push("set RFCC_DEBUG=1 to print the stack trace.");
  }
  return { exitCode: ExitCode.INTERNAL_ERROR, lines };
}

/**
 * Renders a failure for standard error: one `rfcc: ` line per sentence,
 * then the stack trace and causes when `debug` is set.
 */
export function formatFailure(
  failure: Failure,
  error: unknown,
  debug: boolean,
): string {
  const lines = failure.lines.map((line) => `rfcc: ${line}\n`).join("");
  return debug ? `${lines}${inspect(error, { depth: 8 })}\n` : lines;
}
