import { parseArgs } from "node:util";

import { BenchError, BenchErrorCode } from "./errors.js";
import { DEFAULT_SPEED_RUNS, SPEED_TEXTS } from "./speed-texts.js";
import type { SpeedText } from "./speed-texts.js";

/** Options of the speed benchmark after parsing the command line. */
export interface SpeedArgs {
  readonly texts: readonly SpeedText[];
  readonly runs: number;
  /** Whether to write the result files. */
  readonly write: boolean;
}

/** Usage text printed with an argument error. */
export const SPEED_USAGE = `usage: node bench/dist/speed.js [options]
  --texts LIST   comma-separated texts: ${SPEED_TEXTS.map((text) => text.name).join(",")} (default: all)
  --runs N       measured runs per text after one warm-up (default: ${DEFAULT_SPEED_RUNS})
  --no-write     print the tables without writing bench/results/`;

function parseTexts(value: string | undefined, problems: string[]) {
  if (value === undefined) {
    return SPEED_TEXTS;
  }
  const names = value.split(",").map((name) => name.trim());
  if (!names.every((name) => SPEED_TEXTS.some((text) => text.name === name))) {
    problems.push(
      `--texts "${value}" is invalid; use a comma-separated list of ${SPEED_TEXTS.map((text) => text.name).join(", ")}.`,
    );
  }
  return SPEED_TEXTS.filter((text) => names.includes(text.name));
}

function parseRuns(value: string | undefined, problems: string[]): number {
  if (value === undefined) {
    return DEFAULT_SPEED_RUNS;
  }
  const runs = Number(value);
  if (!Number.isInteger(runs) || runs < 1) {
    problems.push(`--runs "${value}" is invalid; use a whole number above 0.`);
  }
  return runs;
}

/**
 * Parses the speed benchmark's flags.
 * @throws {BenchError} `INVALID_ARGUMENT` listing every invalid flag.
 */
export function parseSpeedArgs(argv: readonly string[]): SpeedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv[0] === "--" ? argv.slice(1) : [...argv],
      options: {
        texts: { type: "string" },
        runs: { type: "string" },
        "no-write": { type: "boolean", default: false },
      },
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BenchError(
      BenchErrorCode.INVALID_ARGUMENT,
      `${reason}\n${SPEED_USAGE}`,
      { cause: error },
    );
  }
  const { values } = parsed;
  const problems: string[] = [];
  const args: SpeedArgs = {
    texts: parseTexts(values.texts, problems),
    runs: parseRuns(values.runs, problems),
    write: !values["no-write"],
  };
  if (problems.length > 0) {
    throw new BenchError(
      BenchErrorCode.INVALID_ARGUMENT,
      `${problems.join("\n")}\n${SPEED_USAGE}`,
    );
  }
  return args;
}
