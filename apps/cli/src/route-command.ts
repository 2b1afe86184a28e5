import { MEGA_TOKEN_LEVELS, route } from "@retrieval-free/core-engine";
import type { MegaTokenLevel, MegaTokenSet } from "@retrieval-free/core-engine";
import { readMegaTokensFile } from "@retrieval-free/core-engine/node";
import { Command, Option } from "commander";

import type { CommandContext } from "./command-context.js";
import { ExitCode } from "./exit-codes.js";
import { readError } from "./file-errors.js";
import { throwIfInterrupted } from "./interrupt.js";
import { stringifyJson } from "./json-output.js";
import { loadModelOption, modelOption } from "./model-option.js";
import { parseNumber } from "./option-parsers.js";
import type { RouteFormat } from "./route-output.js";
import {
  renderRouteText,
  ROUTE_FORMATS,
  toRouteEntries,
} from "./route-output.js";
import { writeOutput } from "./write-output.js";

/** Parsed options of `rfcc route`, as commander returns them. */
export interface RouteFlags {
  readonly query: string;
  readonly top: number;
  readonly level: MegaTokenLevel;
  readonly format: RouteFormat;
  /** Folder of the ONNX encoder that built the set, given with `--model`. */
  readonly model?: string;
}

function isSystemError(error: unknown): boolean {
  return typeof (error as { syscall?: unknown } | null)?.syscall === "string";
}

async function loadSet(path: string): Promise<MegaTokenSet> {
  try {
    return await readMegaTokensFile(path);
  } catch (error) {
    // Engine errors (a corrupt or newer file) carry their own message and
    // exit status, so only file-system errors need wording here.
    throw isSystemError(error) ? readError(path, error) : error;
  }
}

/** Runs `rfcc route` and returns its exit status. */
export async function runRoute(
  file: string,
  flags: RouteFlags,
  context: CommandContext,
): Promise<ExitCode> {
  const set = await loadSet(file);
  const encoder = await loadModelOption(flags.model);
  throwIfInterrupted(context.signal);
  const { top } = await route(set, flags.query, {
    k: flags.top,
    level: flags.level,
    signal: context.signal,
    ...(encoder === undefined ? {} : { encoder }),
  });
  const entries = toRouteEntries(top, set);
  if (flags.format === "json") {
    await writeOutput(context.stdout, stringifyJson(entries));
    return ExitCode.SUCCESS;
  }
  if (entries.length === 0) {
    await writeOutput(
      context.stderr,
      `rfcc: ${file} has no mega-tokens at level ${flags.level}.\n`,
    );
  }
  await writeOutput(context.stdout, renderRouteText(entries));
  return ExitCode.SUCCESS;
}

const ROUTE_DESCRIPTION = `Ranks the mega-tokens saved by \`rfcc compress --mega-tokens FILE\` against
a query and prints the best ones with their exact source text. Routing
needs no index: each token is scored by its cosine to the query, blended
with its ancestors' scores, and the weights of a level sum to 1.`;

const ROUTE_EXAMPLES = `
Examples:
  $ rfcc compress book.txt --ratio 10 --mega-tokens book.rfmt
  $ rfcc route book.rfmt --query "Who is the captain?" --top 3
  $ rfcc route book.rfmt --query "storms" --level section --format json`;

/** Creates the `route` command, whose action stores its exit status in `context`. */
export function createRouteCommand(context: CommandContext): Command {
  return new Command("route")
    .summary("rank saved mega-tokens against a query")
    .description(ROUTE_DESCRIPTION)
    .argument(
      "<FILE>",
      "mega-token file written by rfcc compress --mega-tokens",
    )
    .requiredOption(
      "--query <TEXT>",
      "question to route; an empty query ranks by salience",
    )
    .option(
      "--top <K>",
      "number of mega-tokens to print, a whole number of at least 1",
      parseNumber,
      5,
    )
    .addOption(
      new Option(
        "--level <LEVEL>",
        "level whose mega-tokens compete, from finest to coarsest",
      )
        .choices(MEGA_TOKEN_LEVELS)
        .default("segment"),
    )
    .addOption(
      new Option("--format <FORMAT>", "output format on standard output")
        .choices(ROUTE_FORMATS)
        .default("text"),
    )
    .addOption(
      modelOption(
        "encode the query with the ONNX sentence encoder in DIR, the one that built FILE; leave it out for files built with the built-in model or the hashing encoder",
      ),
    )
    .addHelpText("after", ROUTE_EXAMPLES)
    .action(async (file: string, flags: RouteFlags) => {
      context.exitCode = await runRoute(file, flags, context);
    });
}
