import { resolve } from "node:path";
import {
  BUILT_IN_TOKENIZERS,
  PROTECTED_CLASSES,
  compress,
  resolveOptions,
} from "@retrieval-free/core-engine";
import type {
  CompressOptions,
  CompressResult,
  InputDocument,
} from "@retrieval-free/core-engine";
import { writeMegaTokensFile } from "@retrieval-free/core-engine/node";
import { Command, Option } from "commander";

import type { CommandContext } from "./command-context.js";
import type { CompressFlags } from "./compress-flags.js";
import { ENCODER_CHOICES, toCompressOptions } from "./compress-flags.js";
import { COMPRESS_FORMATS, renderCompressOutput } from "./compress-output.js";
import { CliError } from "./cli-error.js";
import { ExitCode } from "./exit-codes.js";
import { writeError } from "./file-errors.js";
import {
  collect,
  parseNumber,
  parseProtectedClass,
  parseRegExp,
} from "./option-parsers.js";
import { loadModelOption, modelOption } from "./model-option.js";
import { ProgressBar } from "./progress-bar.js";
import { readDocuments } from "./read-input.js";
import { summaryLines } from "./summary.js";
import { writeOutput } from "./write-output.js";

/** Inputs of at most this many UTF-16 code units show no progress bar. */
export const PROGRESS_MIN_CHARACTERS = 200_000;

function totalLength(documents: readonly InputDocument[]): number {
  return documents.reduce((sum, document) => sum + document.text.length, 0);
}

async function runEngine(
  documents: readonly InputDocument[],
  options: CompressOptions,
  context: CommandContext,
  showProgress: boolean,
): Promise<CompressResult> {
  const bar = showProgress ? new ProgressBar(context.stderr) : undefined;
  try {
    return await compress(documents, {
      ...options,
      signal: context.signal,
      ...(bar === undefined
        ? {}
        : { onProgress: (event) => bar.update(event) }),
    });
  } finally {
    bar?.clear();
  }
}

async function saveMegaTokens(
  path: string,
  result: CompressResult,
  context: CommandContext,
): Promise<void> {
  if (result.megaTokens === undefined) {
    await writeOutput(
      context.stderr,
      `rfcc: ${path} was not written: the input has no text to build mega-tokens from.\n`,
    );
    return;
  }
  try {
    await writeMegaTokensFile(path, result.megaTokens);
  } catch (error) {
    throw writeError(path, error);
  }
}

/** Runs `rfcc compress` and returns its exit status. */
export async function runCompress(
  files: readonly string[],
  flags: CompressFlags,
  context: CommandContext,
): Promise<ExitCode> {
  const options = toCompressOptions(flags);
  // Validating first reports option errors before any input is read.
  resolveOptions(options);
  rejectOverwritingInput(files, flags.megaTokens);
  if (flags.encoder === "none" && flags.megaTokens !== undefined) {
    throw new CliError(
      ExitCode.USAGE_ERROR,
      "--mega-tokens needs vectors, and --encoder none computes none; leave out one of the two.",
    );
  }
  rejectRepeatedInput(files);
  const encoder = await loadModelOption(flags.model);
  const documents = await readDocuments(files, {
    format: flags.inputFormat,
    stdin: context.stdin,
    signal: context.signal,
  });
  const showProgress =
    flags.progress &&
    context.stderr.isTTY === true &&
    totalLength(documents) > PROGRESS_MIN_CHARACTERS;
  const result = await runEngine(
    documents,
    encoder === undefined ? options : { ...options, encoder },
    context,
    showProgress,
  );

  if (flags.megaTokens !== undefined) {
    await saveMegaTokens(flags.megaTokens, result, context);
  }
  await writeOutput(context.stdout, renderCompressOutput(result, flags));
  const summary = summaryLines(result, flags.quiet === true);
  await writeOutput(
    context.stderr,
    summary.map((line) => `rfcc: ${line}\n`).join(""),
  );
  return result.budgetMet ? ExitCode.SUCCESS : ExitCode.BUDGET_EXCEEDED;
}

/**
 * Raises an input error when the same file is given twice: each file is a
 * document whose id is its path, and ids must differ.
 */
function rejectRepeatedInput(files: readonly string[]): void {
  const seen = new Set<string>();
  // Standard input given twice is a usage error that readDocuments reports.
  for (const file of files.filter((name) => name !== "-")) {
    if (seen.has(file)) {
      throw new CliError(
        ExitCode.INPUT_ERROR,
        `${file} is given twice; pass each file once, because each file is one document named by its path.`,
      );
    }
    seen.add(file);
  }
}

/** Raises a usage error when --mega-tokens names one of the input files. */
function rejectOverwritingInput(
  files: readonly string[],
  megaTokens: string | undefined,
): void {
  if (megaTokens === undefined) {
    return;
  }
  const target = resolve(megaTokens);
  const clash = files.find((file) => file !== "-" && resolve(file) === target);
  if (clash !== undefined) {
    throw new CliError(
      ExitCode.USAGE_ERROR,
      `--mega-tokens names the input file ${clash}; choose another path, such as ${clash}.rfmt.`,
    );
  }
}

const COMPRESS_DESCRIPTION = `Compresses documents into a token budget. The output is extractive: every
kept span is an exact slice of its source. Each FILE is a document whose
id is the path as given; "-" or no FILE reads standard input (id "-").
Files ending in .md, .markdown, .mdown or .mkd are read as Markdown; the
format of other inputs is detected.
Pass exactly one of --ratio and --target-tokens.`;

const COMPRESS_EXAMPLES = `
Examples:
  $ rfcc compress report.txt --ratio 8
  $ rfcc compress notes.md --target-tokens 2000 --query "What was decided?"
  $ cat a.txt | rfcc compress --ratio 4 --format json > result.json
  $ rfcc compress book.txt --ratio 10 --mega-tokens book.rfmt`;

function budgetOptions(command: Command): Command {
  return command
    .option(
      "--ratio <N>",
      "compression factor above 1: the output keeps at most 1/N of the input tokens",
      parseNumber,
    )
    .option(
      "--target-tokens <N>",
      "token budget of the whole output, in tokens of --tokenizer",
      parseNumber,
    )
    .option(
      "--query <TEXT>",
      "question the output must serve; without one, the most informative text is kept",
    )
    .addOption(
      new Option(
        "--tokenizer <NAME>",
        "tokenizer of the target LLM, used for every count",
      )
        .choices(BUILT_IN_TOKENIZERS)
        .default("o200k_base"),
    )
    .addOption(
      new Option(
        "--encoder <NAME>",
        'encoder that scores text and builds mega-tokens: "built-in" (the model that ships with the engine), "hashing" (no model, faster, word features only) or "none" (term statistics only, no mega-tokens)',
      )
        .choices(ENCODER_CHOICES)
        .default("built-in"),
    )
    .addOption(
      modelOption(
        "score text and build mega-tokens with the ONNX sentence encoder in DIR (model.onnx, tokenizer.json, and encoder.json or a sentence-transformers pooling config) instead of the built-in model",
      ).conflicts("encoder"),
    );
}

function selectionOptions(command: Command): Command {
  return command
    .option(
      "--preserve <REGEX>",
      "keep every sentence that contains a match of this JavaScript regular expression, written as PATTERN or /PATTERN/FLAGS (repeatable)",
      collect(parseRegExp),
    )
    .option(
      "--preserve-class <NAME>",
      `keep every sentence that contains text of a built-in class (repeatable): ${PROTECTED_CLASSES.join(", ")}`,
      collect(parseProtectedClass),
    )
    .option(
      "--separator <TEXT>",
      'marker written where text was left out between two kept spans of a document (default: "…" spaced like its context)',
    )
    .addOption(
      new Option(
        "--granularity <LEVEL>",
        'what may be left out: "sentence" (whole sentences and other units) or "token" (also low-information words inside kept sentences, for higher ratios)',
      )
        .choices(["sentence", "token"])
        .default("sentence"),
    )
    .addOption(
      new Option(
        "--input-format <FORMAT>",
        "read every input as this format instead of detecting it",
      ).choices(["text", "markdown"]),
    );
}

function outputOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--format <FORMAT>", "output format on standard output")
        .choices(COMPRESS_FORMATS)
        .default("text"),
    )
    .option(
      "--mega-tokens <FILE>",
      "also write the mega-token hierarchy to FILE, for `rfcc route`",
    )
    .option("--no-vectors", "leave mega-token vectors out of the JSON output")
    .option(
      "--quiet",
      "print no summary on standard error; the reason for an output over budget is still printed",
    )
    .option(
      "--no-progress",
      `never show the progress bar, which is otherwise shown on a terminal for inputs over ${PROGRESS_MIN_CHARACTERS.toLocaleString("en-US")} characters`,
    );
}

/** Creates the `compress` command, whose action stores its exit status in `context`. */
export function createCompressCommand(context: CommandContext): Command {
  const command = new Command("compress")
    .summary("compress documents into a token budget")
    .description(COMPRESS_DESCRIPTION)
    .argument("[FILE...]", 'documents to compress; "-" reads standard input');
  budgetOptions(command);
  selectionOptions(command);
  outputOptions(command);
  return command
    .addHelpText("after", COMPRESS_EXAMPLES)
    .action(async (files: string[], flags: CompressFlags) => {
      context.exitCode = await runCompress(files, flags, context);
    });
}
