import type { Encoder, TokenCounter } from "@retrieval-free/core-engine";

import {
  bm25Order,
  fitSentences,
  randomOrder,
  truncateHead,
} from "./baselines.js";
import type { BaselineOutput } from "./baselines.js";
import { EngineAccumulator, findingsToAnomalies } from "./engine-checks.js";
import type { AnomalyLog, EngineSummary } from "./engine-checks.js";
import { runEngine } from "./engine-method.js";
import { ScoreAccumulator, scoreOutput } from "./metrics.js";
import { isYesNoQuestion } from "./normalize.js";
import type { ScoreSummary } from "./metrics.js";
import {
  isEngineMethod,
  isLexicalOnly,
  isQueryMethod,
  prunesWords,
  RANDOM_SEEDS,
  usesBuiltInModel,
} from "./methods.js";
import type { MethodName } from "./methods.js";
import { budgetFor, prepareItem } from "./prepared-item.js";
import type { PreparedItem } from "./prepared-item.js";
import { loadQaSet } from "./qa-items.js";
import type { QaSetDefinition, QaSetName } from "./qa-items.js";

/** Results of one method at one ratio on one set. */
export interface CellSummary extends ScoreSummary {
  readonly method: MethodName;
  readonly ratio: number;
  /** Engine methods only. */
  readonly engine?: EngineSummary;
  /** Random baseline only: answer retention of each seed, in seed order. */
  readonly answerRetentionBySeed?: readonly (number | null)[];
}

/** Results of one set. */
export interface SetResult {
  readonly set: QaSetName;
  readonly label: string;
  /** Items run, after dropping unanswerable ones and applying `--limit`. */
  readonly items: number;
  /** Items left out of answer retention because the answer is yes or no. */
  readonly yesNoItems: number;
  readonly meanOriginalTokens: number;
  readonly cells: readonly CellSummary[];
}

/** Settings of a quality run and its progress callback. */
export interface QualityRunOptions {
  readonly dataDirectory: string;
  readonly counter: TokenCounter;
  readonly methods: readonly MethodName[];
  readonly ratios: readonly number[];
  /** Items per set, from the start of the file; all when undefined. */
  readonly limit: number | undefined;
  readonly anomalies: AnomalyLog;
  readonly onProgress: (set: QaSetName, done: number, total: number) => void;
  /** The built-in model, loaded when a `model-` method runs. */
  readonly builtInEncoder: Encoder | undefined;
}

interface Cell {
  readonly scores: ScoreAccumulator;
  readonly engine: EngineAccumulator;
  readonly seeds: ScoreAccumulator[];
}

function createCell(): Cell {
  return {
    scores: new ScoreAccumulator(),
    engine: new EngineAccumulator(),
    seeds: RANDOM_SEEDS.map(() => new ScoreAccumulator()),
  };
}

async function runEngineCell(
  prepared: PreparedItem,
  method: MethodName,
  ratio: number,
  cell: Cell,
  context: { set: QaSetName; options: QualityRunOptions },
): Promise<void> {
  const { options } = context;
  const query = isQueryMethod(method) ? prepared.item.question : undefined;
  const encoder = isLexicalOnly(method)
    ? "none"
    : usesBuiltInModel(method)
      ? options.builtInEncoder
      : "hashing";
  const where = { set: context.set, method, ratio, itemId: prepared.item.id };
  try {
    const { result, findings } = await runEngine(
      prepared,
      ratio,
      query,
      options.counter,
      encoder,
      prunesWords(method) ? "token" : "sentence",
    );
    cell.engine.add(findings);
    cell.scores.add(
      scoreOutput(prepared, result.text, result.compressedTokens),
    );
    const anomalies = findingsToAnomalies(
      findings,
      where,
      result.request.budgetTokens,
      result.compressedTokens,
    );
    anomalies.forEach((anomaly) => options.anomalies.record(anomaly));
  } catch (error) {
    cell.engine.addCrash();
    const detail = error instanceof Error ? error.message : String(error);
    options.anomalies.record({ ...where, kind: "crash", detail });
  }
}

function addBaseline(
  prepared: PreparedItem,
  output: BaselineOutput,
  accumulator: ScoreAccumulator,
  weight = 1,
): void {
  accumulator.add(scoreOutput(prepared, output.text, output.tokens), weight);
}

function runBaselineCell(
  prepared: PreparedItem,
  method: MethodName,
  ratio: number,
  cell: Cell,
  counter: TokenCounter,
): void {
  const budget = budgetFor(prepared, ratio);
  const pool = prepared.sentences;
  if (method === "head") {
    const output = truncateHead(prepared.context, budget, counter);
    addBaseline(prepared, output, cell.scores);
  } else if (method === "bm25") {
    const order = bm25Order(pool, prepared.item.question);
    addBaseline(
      prepared,
      fitSentences(pool, order, budget, counter),
      cell.scores,
    );
  } else {
    RANDOM_SEEDS.forEach((seed, index) => {
      const order = randomOrder(pool, seed);
      const output = fitSentences(pool, order, budget, counter);
      addBaseline(prepared, output, cell.scores, 1 / RANDOM_SEEDS.length);
      addBaseline(prepared, output, cell.seeds[index] as ScoreAccumulator);
    });
  }
}

function summarizeCell(
  method: MethodName,
  ratio: number,
  cell: Cell,
): CellSummary {
  return {
    method,
    ratio,
    ...cell.scores.summarize(),
    ...(isEngineMethod(method) ? { engine: cell.engine.summarize() } : {}),
    ...(method === "random"
      ? {
          answerRetentionBySeed: cell.seeds.map(
            (seed) => seed.summarize().answerRetention,
          ),
        }
      : {}),
  };
}

/** The cells of one set, keyed by method and ratio, created on first use. */
class CellTable {
  private readonly cells = new Map<string, Cell>();

  get(method: MethodName, ratio: number): Cell {
    const key = `${method}:${ratio}`;
    let cell = this.cells.get(key);
    if (cell === undefined) {
      cell = createCell();
      this.cells.set(key, cell);
    }
    return cell;
  }
}

async function runItem(
  prepared: PreparedItem,
  set: QaSetName,
  cells: CellTable,
  options: QualityRunOptions,
): Promise<void> {
  for (const method of options.methods) {
    for (const ratio of options.ratios) {
      const cell = cells.get(method, ratio);
      if (isEngineMethod(method)) {
        await runEngineCell(prepared, method, ratio, cell, { set, options });
      } else {
        runBaselineCell(prepared, method, ratio, cell, options.counter);
      }
    }
  }
}

/** Runs every method at every ratio on one set. */
export async function runQualitySet(
  set: QaSetDefinition,
  options: QualityRunOptions,
): Promise<SetResult> {
  const all = await loadQaSet(options.dataDirectory, set);
  const items = all.slice(0, options.limit ?? all.length);
  const cells = new CellTable();

  let yesNoItems = 0;
  let originalTokens = 0;
  for (const [index, item] of items.entries()) {
    const prepared = prepareItem(item, options.counter);
    yesNoItems += Number(isYesNoQuestion(item.answers));
    originalTokens += prepared.originalTokens;
    await runItem(prepared, set.name, cells, options);
    options.onProgress(set.name, index + 1, items.length);
  }

  return {
    set: set.name,
    label: set.label,
    items: items.length,
    yesNoItems,
    meanOriginalTokens: items.length > 0 ? originalTokens / items.length : 0,
    cells: options.methods.flatMap((method) =>
      options.ratios.map((ratio) =>
        summarizeCell(method, ratio, cells.get(method, ratio)),
      ),
    ),
  };
}
