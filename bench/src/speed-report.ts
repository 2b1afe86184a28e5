import type { CompressTimings } from "@retrieval-free/core-engine";

import { formatNumber, renderTable } from "./markdown.js";
import type { SpeedWorkerResult } from "./speed-result.js";
import type { SpeedText } from "./speed-texts.js";

/** One measured text with its definition. */
export interface SpeedEntry {
  readonly text: SpeedText;
  readonly result: SpeedWorkerResult;
}

const STAGES: readonly [keyof CompressTimings, string][] = [
  ["segmentMs", "segment"],
  ["tokenizeMs", "tokenize"],
  ["encodeMs", "encode"],
  ["scoreMs", "score"],
  ["selectMs", "select"],
  ["assembleMs", "assemble"],
  ["megaTokensMs", "mega-tokens"],
  ["totalMs", "total"],
];

function tokensPerSecond(tokens: number, ms: number): string {
  return Math.round((tokens / ms) * 1000).toLocaleString("en-US");
}

/** Renders the main table: sizes, median times, throughput and peak RSS. */
export function renderSpeedTable(entries: readonly SpeedEntry[]): string {
  const rows = entries.map(({ text, result }) => {
    const tokenizeMs = result.tokenize.medianMs;
    const plainMs = result.compress.medianMs;
    const queryMs = result.compressWithQuery.medianMs;
    const modelMs = result.compressWithModel.medianMs;
    const lexicalMs = result.compressLexicalOnly.medianMs;
    return [
      text.title,
      result.tokens.toLocaleString("en-US"),
      formatNumber(tokenizeMs, 0),
      formatNumber(plainMs, 0),
      formatNumber(plainMs / tokenizeMs, 2),
      tokensPerSecond(result.tokens, plainMs),
      formatNumber(queryMs, 0),
      formatNumber(queryMs / tokenizeMs, 2),
      tokensPerSecond(result.tokens, queryMs),
      formatNumber(lexicalMs, 0),
      formatNumber(modelMs, 0),
      formatNumber(modelMs / plainMs, 2),
      formatNumber(modelMs / lexicalMs, 2),
      formatNumber(result.maxRssKiB / 1024, 0),
    ];
  });
  return renderTable(
    [
      "text",
      "tokens",
      "tokenize ms",
      "compress ms",
      "compress / tokenize",
      "tokens/s",
      "compress+query ms",
      "compress / tokenize",
      "tokens/s",
      "lexical only ms",
      "built-in model ms",
      "model / hashing",
      "model / lexical",
      "peak RSS MiB",
    ],
    rows,
  );
}

/** Renders the engine's per-stage timings of each text's median run. */
export function renderStageTable(entries: readonly SpeedEntry[]): string {
  const rows = entries.flatMap(({ text, result }) =>
    [
      { mode: "no query", measurement: result.compress },
      { mode: "query", measurement: result.compressWithQuery },
      { mode: "built-in model", measurement: result.compressWithModel },
      { mode: "lexical only", measurement: result.compressLexicalOnly },
    ].map(({ mode, measurement }) => [
      `${text.title}, ${mode}`,
      ...STAGES.map(([key]) => formatNumber(measurement.medianTimings[key], 0)),
    ]),
  );
  return renderTable(["median run", ...STAGES.map(([, label]) => label)], rows);
}

/** Renders the output size of each compression, to show the work was real. */
export function renderOutputTable(entries: readonly SpeedEntry[]): string {
  const rows = entries.flatMap(({ text, result }) =>
    [
      { mode: "no query", measurement: result.compress },
      { mode: "query", measurement: result.compressWithQuery },
      { mode: "built-in model", measurement: result.compressWithModel },
      { mode: "lexical only", measurement: result.compressLexicalOnly },
    ].map(({ mode, measurement }) => [
      `${text.title}, ${mode}`,
      measurement.budgetTokens.toLocaleString("en-US"),
      measurement.compressedTokens.toLocaleString("en-US"),
      formatNumber(measurement.achievedRatio, 2),
      measurement.megaTokens.toLocaleString("en-US"),
    ]),
  );
  return renderTable(
    ["compression", "budget", "output tokens", "achieved ratio", "mega-tokens"],
    rows,
  );
}
