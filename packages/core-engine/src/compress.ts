import { analyzeCorpus } from "./analyze.js";
import type { Assembled } from "./assemble.js";
import type { Encoder } from "./encoder/encoder.js";
import { HashingEncoder } from "./encoder/hashing-encoder.js";
import { throwIfAborted } from "./errors.js";
import { normalizeInput } from "./input.js";
import { buildMegaTokens } from "./mega-tokens/build.js";
import type { MegaTokenSet } from "./mega-tokens/types.js";
import { resolveOptions } from "./options.js";
import type { ResolvedOptions } from "./options.js";
import { markPreservedUnits } from "./preserve.js";
import type { ScoringContext } from "./score/context.js";
import { scoreGeneric } from "./score/generic.js";
import { scoreForQuery } from "./score/query-aware.js";
import type { Corpus } from "./segment/index.js";
import { segmentDocuments } from "./segment/index.js";
import { indexCorpus } from "./text/index-corpus.js";
import type { CorpusIndex } from "./text/index-corpus.js";
import { fitToBudget } from "./select/fit.js";
import { pruneWords } from "./select/prune.js";
import { wordInformationOf } from "./text/word-information.js";
import type { FittedSelection } from "./select/fit.js";
import type { GreedySettings } from "./select/greedy.js";
import { loadTokenizer, toCheckedTokenCounter } from "./tokenizer.js";
import type { TokenCounter } from "./tokenizer.js";
import type {
  CompressInput,
  CompressOptions,
  CompressResult,
  CompressStage,
  DocumentStats,
} from "./types.js";

/** Selection settings with a query: relevance first, little spreading. */
const QUERY_SELECTION: GreedySettings = {
  coverage: 0,
  novelty: 0,
  redundancy: 0.5,
  redundancyThreshold: 0.8,
};
/**
 * Selection settings without a query: spread over blocks and prefer units
 * that bring terms not yet kept. The novelty discount already covers what
 * the cosine penalty would catch with the hashing encoder, so that penalty
 * is off.
 */
const GENERIC_SELECTION: GreedySettings = {
  coverage: 1,
  novelty: 1,
  redundancy: 0,
  redundancyThreshold: 1,
};
/** Weight of the query-agnostic score that breaks ties between equally relevant units. */
const GENERIC_TIEBREAK = 0.05;
/**
 * At `granularity: "token"`, the share of the sentence stage's tokens that
 * the word stage keeps: sentences are selected for the budget divided by
 * this share, then words are removed down to the budget.
 */
const WORD_STAGE_SHARE = 0.75;

let defaultEncoder: HashingEncoder | undefined;

/**
 * Stands for `encoder: "none"`: vectors of no dimensions, so every cosine
 * is 0 and scores rest on term statistics alone.
 */
const NO_ENCODER: Encoder = {
  id: "none",
  name: "none",
  dimension: 0,
  encode: (texts) => Promise.resolve(texts.map(() => new Float32Array(0))),
};

async function resolveCounter(
  tokenizer: ResolvedOptions["tokenizer"],
): Promise<TokenCounter> {
  return typeof tokenizer === "string"
    ? loadTokenizer(tokenizer)
    : toCheckedTokenCounter(tokenizer);
}

function now(): number {
  return performance.now();
}

// Yields to the event loop between stages, so timers (an AbortSignal
// timeout, a progress display) run during a long compression.
function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

class Stopwatch {
  private last = now();
  readonly started = this.last;
  readonly laps: Partial<Record<CompressStage, number>> = {};

  lap(stage: CompressStage): void {
    const time = now();
    this.laps[stage] = (this.laps[stage] ?? 0) + (time - this.last);
    this.last = time;
  }
}

function budgetOf(options: ResolvedOptions, originalTokens: number): number {
  if (options.targetTokens !== undefined) {
    return options.targetTokens;
  }
  return Math.floor(originalTokens / (options.ratio ?? 1));
}

function separatorEstimate(
  counter: TokenCounter,
  options: ResolvedOptions,
): number {
  return counter.count(options.separator ?? " … ");
}

function priorities(
  context: ScoringContext,
  generic: Float64Array,
  options: ResolvedOptions,
  queryVector: Float32Array | undefined,
): Float64Array {
  if (options.query === undefined || queryVector === undefined) {
    return generic;
  }
  const relevance = scoreForQuery(context, options.query, queryVector);
  let maxGeneric = 0;
  generic.forEach((value) => (maxGeneric = Math.max(maxGeneric, value)));
  return relevance.unit.map(
    (value, index) =>
      value +
      (GENERIC_TIEBREAK * (generic[index] as number)) /
        Math.max(1e-9, maxGeneric),
  );
}

async function encodeQuery(
  encoder: Encoder,
  options: ResolvedOptions,
): Promise<Float32Array | undefined> {
  if (options.query === undefined) {
    return undefined;
  }
  const [vector] = await encoder.encode(
    [options.query],
    options.signal === undefined
      ? { purpose: "query" }
      : { purpose: "query", signal: options.signal },
  );
  if (vector === undefined) {
    return undefined;
  }
  const copy = new Float32Array(vector);
  let sum = 0;
  copy.forEach((value) => (sum += value * value));
  const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  return copy.map((value) => value * scale);
}

function documentStats(
  corpus: Corpus,
  selection: FittedSelection | undefined,
  documentTokens: Int32Array,
  counter: TokenCounter,
): DocumentStats[] {
  const assembled = selection?.assembled;
  const single =
    assembled !== undefined && assembled.documents.length === 1
      ? selection?.tokens
      : undefined;
  const parts = new Map(
    (assembled?.documents ?? []).map((entry) => [entry.document, entry]),
  );
  return corpus.documents.map((document, index) => {
    const part = parts.get(index);
    let kept = 0;
    for (let unit = document.firstUnit; unit < document.endUnit; unit++) {
      kept += selection?.selected[unit] ?? 0;
    }
    const units = document.endUnit - document.firstUnit;
    return {
      id: document.id,
      format: document.format,
      originalTokens: documentTokens[index] as number,
      compressedTokens:
        part === undefined ? 0 : (single ?? counter.count(part.text)),
      units,
      keptUnits: kept,
      dropped: units > 0 && kept === 0,
    };
  });
}

function tokensText(count: number): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? "token" : "tokens"}`;
}

function explain(
  budget: number,
  originalTokens: number,
  selection: FittedSelection | undefined,
  smallestUnit: number,
): string | undefined {
  if (selection === undefined) {
    return undefined;
  }
  const tokens = selection.tokens;
  if (tokens > budget) {
    return selection.mandatoryTokens >= budget
      ? `The preserved units alone need about ${tokensText(selection.mandatoryTokens)}, more than the budget of ${tokensText(budget)}; preserve fewer patterns or raise the budget.`
      : `The output needs ${tokensText(tokens)}, more than the budget of ${tokensText(budget)}.`;
  }
  if (originalTokens <= budget) {
    return `The input (${tokensText(originalTokens)}) already fits the budget of ${tokensText(budget)}, so all of it was kept.`;
  }
  if (tokens === 0) {
    return `No unit fits the budget of ${tokensText(budget)}: the smallest unit has ${tokensText(smallestUnit)}. Raise the budget: a higher targetTokens or a lower ratio.`;
  }
  if (tokens < budget * 0.9) {
    return `The output uses ${tokens.toLocaleString("en-US")} of the ${tokensText(budget)} in the budget: each remaining unit is larger than the ${tokensText(budget - tokens)} left or repeats kept text.`;
  }
  return undefined;
}

interface Run {
  readonly options: ResolvedOptions;
  readonly counter: TokenCounter;
  readonly encoder: Encoder;
  readonly watch: Stopwatch;
  readonly progress: (
    stage: CompressStage,
    completed: number,
    total: number,
  ) => void;
}

/**
 * Compresses one or more documents into a prompt within a token budget.
 * The output is extractive: every span is a slice of its source, listed
 * with its document id and offsets. With a `query`, the text most relevant
 * to it is kept; without, the most informative and central text.
 */
export async function compress(
  input: CompressInput,
  options: CompressOptions,
): Promise<CompressResult> {
  const resolved = resolveOptions(options);
  const documents = normalizeInput(input);
  const watch = new Stopwatch();
  const run: Run = {
    options: resolved,
    counter: await resolveCounter(resolved.tokenizer),
    encoder:
      resolved.encoder === "none"
        ? NO_ENCODER
        : resolved.encoder === "hashing" || resolved.encoder === undefined
          ? (defaultEncoder ??= new HashingEncoder())
          : resolved.encoder,
    watch,
    progress: (stage, completed, total) =>
      resolved.onProgress?.({ stage, completed, total }),
  };
  throwIfAborted(resolved.signal);
  const corpus = segmentDocuments(documents, (index) =>
    run.progress("segment", index + 1, documents.length),
  );
  watch.lap("segment");
  await pause();
  throwIfAborted(resolved.signal);
  const index = indexCorpus(corpus, run.counter, (characters, total) =>
    run.progress("tokenize", characters, total),
  );
  watch.lap("tokenize");
  await pause();
  throwIfAborted(resolved.signal);
  return compressCorpus(run, corpus, index);
}

async function compressCorpus(
  run: Run,
  corpus: Corpus,
  index: CorpusIndex,
): Promise<CompressResult> {
  const { options, counter, encoder, watch } = run;
  const { unitTokens, documentTokens } = index;
  const originalTokens = documentTokens.reduce((sum, value) => sum + value, 0);
  const budget = budgetOf(options, originalTokens);
  const context = await analyzeCorpus(
    corpus,
    index,
    encoder,
    options.signal,
    (done, total) => run.progress("encode", done, total),
  );
  const queryVector = await encodeQuery(encoder, options);
  watch.lap("encode");
  await pause();
  throwIfAborted(options.signal);
  // The query-agnostic scores also rank ties and become mega-token salience.
  const generic = scoreGeneric(context);
  const priority = priorities(context, generic, options, queryVector);
  run.progress("score", 1, 1);
  watch.lap("score");
  const selection =
    corpus.units.length === 0
      ? undefined
      : options.granularity === "token"
        ? selectWords(run, context, priority, budget)
        : selectWithinBudget(run, context, priority, budget);
  run.progress("select", 1, 1);
  watch.lap("select");
  await pause();
  throwIfAborted(options.signal);
  const stats = documentStats(corpus, selection, documentTokens, counter);
  run.progress("assemble", 1, 1);
  watch.lap("assemble");
  await pause();
  throwIfAborted(options.signal);
  const megaTokens =
    options.megaTokens && corpus.units.length > 0 && encoder.dimension > 0
      ? buildHierarchy(run, context, generic)
      : undefined;
  watch.lap("mega-tokens");
  throwIfAborted(options.signal);
  return buildResult(run, corpus, {
    selection,
    stats,
    megaTokens,
    originalTokens,
    budget,
    unitTokens,
  });
}

function selectWithinBudget(
  run: Run,
  context: ScoringContext,
  priority: Float64Array,
  budget: number,
): FittedSelection {
  const { corpus } = context;
  const settings =
    run.options.query === undefined ? GENERIC_SELECTION : QUERY_SELECTION;
  return fitToBudget(
    {
      corpus,
      terms: context.terms,
      unitTokens: context.unitTokens,
      unitVectors: context.unitVectors,
      priority,
      mandatory: markPreservedUnits(corpus, run.options.preserve),
      excluded: new Uint8Array(corpus.units.length),
      separatorTokens: separatorEstimate(run.counter, run.options),
      documentSeparatorTokens: run.counter.count(run.options.documentSeparator),
      settings,
    },
    budget,
    run.counter,
    {
      separator: run.options.separator,
      documentSeparator: run.options.documentSeparator,
    },
  );
}

/**
 * Selects sentences for a larger budget, then removes words inside them
 * until the output fits `budget`. When the kept sentences have too few
 * removable words, the sentence budget shrinks once to what those words
 * can cover. If that fails too, the sentence selection for `budget` is
 * returned.
 */
function selectWords(
  run: Run,
  context: ScoringContext,
  priority: Float64Array,
  budget: number,
): FittedSelection {
  const { corpus } = context;
  const total = context.unitTokens.reduce((sum, value) => sum + value, 0);
  const information =
    run.options.wordInformation ??
    wordInformationOf(corpus.documents.map((document) => document.text));
  let share = WORD_STAGE_SHARE;
  for (let attempt = 0; attempt < 2; attempt++) {
    const sentenceBudget = Math.max(
      budget,
      Math.min(total, Math.floor(budget / share)),
    );
    if (sentenceBudget <= budget) {
      break;
    }
    const sentences = selectWithinBudget(
      run,
      context,
      priority,
      sentenceBudget,
    );
    const pruned = pruneWords({
      corpus,
      selected: sentences.selected,
      assembled: sentences.assembled,
      tokens: sentences.tokens,
      shortened: sentences.shortened,
      priority,
      budget,
      counter: run.counter,
      settings: {
        separator: run.options.separator,
        documentSeparator: run.options.documentSeparator,
      },
      information,
      preserve: run.options.preserve,
      query: run.options.query,
    });
    if ("assembled" in pruned) {
      return {
        ...sentences,
        assembled: pruned.assembled,
        tokens: pruned.tokens,
      };
    }
    // Aim for the share that half of the removable words would give.
    const coverable =
      pruned.removableTokens / 2 / Math.max(1, sentences.tokens);
    if (1 - coverable <= share) {
      break;
    }
    share = 1 - coverable;
  }
  return selectWithinBudget(run, context, priority, budget);
}

function buildHierarchy(
  run: Run,
  context: ScoringContext,
  generic: Float64Array,
): MegaTokenSet {
  const set = buildMegaTokens({
    corpus: context.corpus,
    unitVectors: context.unitVectors,
    unitTokens: context.unitTokens,
    unitTermCounts: Int32Array.from(
      context.corpus.units,
      (_, index) =>
        (context.terms.unitOffsets[index + 1] as number) -
        (context.terms.unitOffsets[index] as number),
    ),
    unitSalience: generic,
    encoderId: run.encoder.id,
    tokenizer: run.counter.name,
  });
  run.progress("mega-tokens", 1, 1);
  return set;
}

interface Outcome {
  readonly selection: FittedSelection | undefined;
  readonly stats: DocumentStats[];
  readonly megaTokens: MegaTokenSet | undefined;
  readonly originalTokens: number;
  readonly budget: number;
  readonly unitTokens: Int32Array;
}

function buildResult(
  run: Run,
  corpus: Corpus,
  outcome: Outcome,
): CompressResult {
  const { options, counter, watch } = run;
  const { selection, stats, originalTokens, budget, unitTokens } = outcome;
  const assembled: Assembled = selection?.assembled ?? {
    text: "",
    spans: [],
    documents: [],
  };
  const compressedTokens = selection?.tokens ?? 0;
  const empty = corpus.units.length === 0;
  let smallestUnit = Number.POSITIVE_INFINITY;
  unitTokens.forEach((value) => (smallestUnit = Math.min(smallestUnit, value)));
  const totalMs = now() - watch.started;
  return {
    text: assembled.text,
    spans: assembled.spans,
    droppedDocuments: stats
      .filter((entry) => entry.dropped)
      .map((entry) => entry.id),
    originalTokens,
    compressedTokens,
    ratio:
      empty || originalTokens === 0
        ? 1
        : compressedTokens === 0
          ? Number.POSITIVE_INFINITY
          : originalTokens / compressedTokens,
    request: {
      ratio: options.ratio,
      targetTokens: options.targetTokens,
      budgetTokens: budget,
      query: options.query,
      tokenizer: counter.name,
      granularity: options.granularity,
    },
    budgetMet: compressedTokens <= budget,
    reason: empty
      ? undefined
      : explain(budget, originalTokens, selection, smallestUnit),
    documents: stats,
    megaTokens: outcome.megaTokens,
    encoder: {
      id: run.encoder.id,
      name: run.encoder.name ?? run.encoder.id,
      version: run.encoder.version,
      dimension: run.encoder.dimension,
    },
    timings: {
      segmentMs: watch.laps.segment ?? 0,
      tokenizeMs: watch.laps.tokenize ?? 0,
      encodeMs: watch.laps.encode ?? 0,
      scoreMs: watch.laps.score ?? 0,
      selectMs: watch.laps.select ?? 0,
      assembleMs: watch.laps.assemble ?? 0,
      megaTokensMs: watch.laps["mega-tokens"] ?? 0,
      totalMs,
    },
  };
}
