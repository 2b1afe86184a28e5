import type { CompressTimings } from "@retrieval-free/core-engine";

/** Timings of one compression mode over the measured runs. */
export interface CompressMeasurement {
  /** Wall time of each run, in milliseconds, in run order. */
  readonly runsMs: readonly number[];
  readonly medianMs: number;
  /** Per-stage timings the engine reported for the median run. */
  readonly medianTimings: CompressTimings;
  readonly compressedTokens: number;
  readonly budgetTokens: number;
  readonly achievedRatio: number;
  /** Mega-tokens built; 0 when the hierarchy is off. */
  readonly megaTokens: number;
}

/** Measurements of one worker process for one text. */
export interface SpeedWorkerResult {
  readonly file: string;
  readonly characters: number;
  /** o200k_base tokens of the whole text. */
  readonly tokens: number;
  /** Time to load the tokenizer's rank table, in milliseconds. */
  readonly tokenizerLoadMs: number;
  readonly tokenize: {
    readonly runsMs: readonly number[];
    readonly medianMs: number;
  };
  readonly compress: CompressMeasurement;
  readonly compressWithQuery: CompressMeasurement;
  /** Without a query, with the built-in model as the encoder. */
  readonly compressWithModel: CompressMeasurement;
  /** Without a query and without vectors (`encoder: "none"`). */
  readonly compressLexicalOnly: CompressMeasurement;
  /** Peak resident set size of the worker, in KiB. */
  readonly maxRssKiB: number;
}
