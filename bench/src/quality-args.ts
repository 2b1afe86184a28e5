import { parseArgs } from "node:util";

import { BenchError, BenchErrorCode } from "./errors.js";
import { DEFAULT_RATIOS, isMethodName, METHOD_NAMES } from "./methods.js";
import type { MethodName } from "./methods.js";
import { QA_SETS } from "./qa-items.js";
import type { QaSetDefinition } from "./qa-items.js";

/** Options of the quality benchmark after parsing the command line. */
export interface QualityArgs {
  readonly sets: readonly QaSetDefinition[];
  readonly ratios: readonly number[];
  readonly methods: readonly MethodName[];
  /** Items per set; all when undefined. */
  readonly limit: number | undefined;
  /** Whether to write the result files. */
  readonly write: boolean;
}

/** Usage text printed with an argument error. */
export const QUALITY_USAGE = `usage: node bench/dist/quality.js [options]
  --sets LIST      comma-separated sets: ${QA_SETS.map((set) => set.name).join(",")} (default: all)
  --ratios LIST    comma-separated compression ratios above 1 (default: ${DEFAULT_RATIOS.join(",")})
  --methods LIST   comma-separated methods: ${METHOD_NAMES.join(",")} (default: all)
  --limit N        run only the first N items (or articles) of each set
  --no-write       print the tables without writing bench/results/`;

function splitList(value: string): string[] {
  return value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

function parseSets(value: string | undefined, problems: string[]) {
  if (value === undefined) {
    return QA_SETS;
  }
  const names = splitList(value);
  const unknown = names.filter(
    (name) => !QA_SETS.some((set) => set.name === name),
  );
  if (unknown.length > 0 || names.length === 0) {
    problems.push(
      `--sets "${value}" is invalid; use a comma-separated list of ${QA_SETS.map((set) => set.name).join(", ")}.`,
    );
  }
  return QA_SETS.filter((set) => names.includes(set.name));
}

function parseRatios(value: string | undefined, problems: string[]) {
  if (value === undefined) {
    return DEFAULT_RATIOS;
  }
  const ratios = splitList(value).map(Number);
  if (
    ratios.length === 0 ||
    ratios.some((r) => !Number.isFinite(r) || r <= 1)
  ) {
    problems.push(
      `--ratios "${value}" is invalid; use comma-separated numbers above 1, such as 4,8.`,
    );
  }
  return [...new Set(ratios)].sort((left, right) => left - right);
}

function parseMethods(value: string | undefined, problems: string[]) {
  if (value === undefined) {
    return METHOD_NAMES;
  }
  const names = splitList(value);
  if (names.length === 0 || !names.every(isMethodName)) {
    problems.push(
      `--methods "${value}" is invalid; use a comma-separated list of ${METHOD_NAMES.join(", ")}.`,
    );
  }
  return METHOD_NAMES.filter((method) => names.includes(method));
}

function parseLimit(value: string | undefined, problems: string[]) {
  if (value === undefined) {
    return undefined;
  }
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1) {
    problems.push(`--limit "${value}" is invalid; use a whole number above 0.`);
  }
  return limit;
}

/**
 * Parses the quality benchmark's flags. Sets, ratios and methods run in
 * their canonical order whatever the order given.
 * @throws {BenchError} `INVALID_ARGUMENT` listing every invalid flag.
 */
export function parseQualityArgs(argv: readonly string[]): QualityArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv[0] === "--" ? argv.slice(1) : [...argv],
      options: {
        sets: { type: "string" },
        ratios: { type: "string" },
        methods: { type: "string" },
        limit: { type: "string" },
        "no-write": { type: "boolean", default: false },
      },
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BenchError(
      BenchErrorCode.INVALID_ARGUMENT,
      `${reason}\n${QUALITY_USAGE}`,
      { cause: error },
    );
  }
  const { values } = parsed;
  const problems: string[] = [];
  const args: QualityArgs = {
    sets: parseSets(values.sets, problems),
    ratios: parseRatios(values.ratios, problems),
    methods: parseMethods(values.methods, problems),
    limit: parseLimit(values.limit, problems),
    write: !values["no-write"],
  };
  if (problems.length > 0) {
    throw new BenchError(
      BenchErrorCode.INVALID_ARGUMENT,
      `${problems.join("\n")}\n${QUALITY_USAGE}`,
    );
  }
  return args;
}
