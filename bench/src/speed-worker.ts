import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";

import { compress, loadTokenizer } from "@retrieval-free/core-engine";
import type {
  CompressResult,
  CompressTimings,
} from "@retrieval-free/core-engine";

import { BenchError, BenchErrorCode, runMain } from "./errors.js";
import type { CompressMeasurement, SpeedWorkerResult } from "./speed-result.js";
import { SPEED_RATIO } from "./speed-texts.js";
import { median, medianIndex } from "./stats.js";

// Started by speed.js with --expose-gc, so each run starts with a collected
// heap; without the flag the runs still work, only noisier.
const collectGarbage = (globalThis as { gc?: () => void }).gc;

interface Timed<T> {
  readonly value: T;
  readonly ms: number;
}

async function time<T>(work: () => Promise<T> | T): Promise<Timed<T>> {
  collectGarbage?.();
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

/** Summary of one compression run, kept instead of its result. */
interface RunSummary {
  readonly ms: number;
  readonly timings: CompressTimings;
  readonly compressedTokens: number;
  readonly budgetTokens: number;
  readonly achievedRatio: number;
  readonly megaTokens: number;
}

/**
 * Times one compression and keeps only its summary, so the results of
 * earlier runs (a book's mega-tokens take tens of megabytes) do not stay
 * on the heap and slow the garbage collection of later runs.
 */
async function timeCompression(
  work: () => Promise<CompressResult>,
): Promise<RunSummary> {
  const { value, ms } = await time(work);
  return {
    ms,
    timings: value.timings,
    compressedTokens: value.compressedTokens,
    budgetTokens: value.request.budgetTokens,
    achievedRatio: value.ratio,
    megaTokens: value.megaTokens?.tokens.length ?? 0,
  };
}

function toMeasurement(runs: readonly RunSummary[]): CompressMeasurement {
  const runsMs = runs.map((run) => run.ms);
  const middle = runs[medianIndex(runsMs)];
  if (middle === undefined) {
    throw new Error("toMeasurement needs at least one run");
  }
  return {
    runsMs,
    medianMs: middle.ms,
    medianTimings: middle.timings,
    compressedTokens: middle.compressedTokens,
    budgetTokens: middle.budgetTokens,
    achievedRatio: middle.achievedRatio,
    megaTokens: middle.megaTokens,
  };
}

function parseWorkerArgs() {
  const { values } = parseArgs({
    options: {
      file: { type: "string" },
      query: { type: "string" },
      runs: { type: "string" },
    },
  });
  const runs = Number(values.runs);
  if (values.file === undefined || values.query === undefined || !(runs >= 1)) {
    throw new BenchError(
      BenchErrorCode.INVALID_ARGUMENT,
      "usage: node bench/dist/speed-worker.js --file PATH --query TEXT --runs N",
    );
  }
  return { file: values.file, query: values.query, runs };
}

/**
 * Measures one text: tokenizer load, then one warm-up of each operation,
 * then `runs` rounds of count, compress and compress with a query. Prints
 * a {@link SpeedWorkerResult} as one JSON line on stdout.
 */
async function main(): Promise<void> {
  const { file, query, runs } = parseWorkerArgs();
  const text = await readFile(file, "utf8");
  const load = await time(() => loadTokenizer("o200k_base"));
  // The baseline is the tokenizer library's own count, called directly, so
  // no work of the engine's wrapper is part of it.
  const library = await import("gpt-tokenizer/encoding/o200k_base");
  const asPlainText = { disallowedSpecial: new Set<string>() };
  const counter = {
    count: (value: string): number => library.countTokens(value, asPlainText),
  };
  const hashing = "hashing" as const;
  const generic = () =>
    compress(text, { ratio: SPEED_RATIO, encoder: hashing });
  const focused = () =>
    compress(text, { ratio: SPEED_RATIO, query, encoder: hashing });
  // The default encoder, as a caller who sets none gets it.
  const modelled = () => compress(text, { ratio: SPEED_RATIO });
  const lexical = () =>
    compress(text, { ratio: SPEED_RATIO, encoder: "none" as const });
  counter.count(text);
  await generic();
  await focused();
  await modelled();
  await lexical();
  const counts: Timed<number>[] = [];
  const plain: RunSummary[] = [];
  const withQuery: RunSummary[] = [];
  const withModel: RunSummary[] = [];
  const lexicalOnly: RunSummary[] = [];
  for (let run = 0; run < runs; run++) {
    counts.push(await time(() => counter.count(text)));
    plain.push(await timeCompression(generic));
    withQuery.push(await timeCompression(focused));
    withModel.push(await timeCompression(modelled));
    lexicalOnly.push(await timeCompression(lexical));
  }
  const countMs = counts.map((run) => run.ms);
  const result: SpeedWorkerResult = {
    file,
    characters: text.length,
    tokens: counts[0]?.value ?? 0,
    tokenizerLoadMs: load.ms,
    tokenize: { runsMs: countMs, medianMs: median(countMs) },
    compress: toMeasurement(plain),
    compressWithQuery: toMeasurement(withQuery),
    compressWithModel: toMeasurement(withModel),
    compressLexicalOnly: toMeasurement(lexicalOnly),
    maxRssKiB: process.resourceUsage().maxRSS,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

runMain(main);
