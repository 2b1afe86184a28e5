import type { Corpus } from "../segment/index.js";
import type { TermIndex } from "../text/terms.js";
import { dotRows } from "../vectors.js";
import type { VectorMatrix } from "../vectors.js";
import { MaxHeap } from "./heap.js";

/** Settings of the greedy selection. */
export interface GreedySettings {
  /**
   * Exponent of the block-coverage discount: a unit's gain is multiplied
   * by (1 - kept share of its block) to this power. 0 disables it.
   */
  readonly coverage: number;
  /** Strength of the penalty for units similar to already kept ones, 0 to 1. */
  readonly redundancy: number;
  /** Cosine above which two units count as partly redundant. */
  readonly redundancyThreshold: number;
  /**
   * Exponent of the novelty discount: a unit's gain is multiplied by the
   * share of its distinct terms that no kept unit has yet, (new + 1) /
   * (all + 1), to this power. 0 disables it.
   */
  readonly novelty: number;
}

/** Inputs of {@link selectUnits}. */
export interface GreedyInput {
  readonly corpus: Corpus;
  readonly terms: TermIndex;
  readonly unitTokens: Int32Array;
  readonly unitVectors: VectorMatrix;
  /** Value of each unit; higher is kept first. */
  readonly priority: Float64Array;
  /** 1 for units that must be kept whatever the budget. */
  readonly mandatory: Uint8Array;
  /** Units that must never be kept (already removed by a later fit). */
  readonly excluded: Uint8Array;
  readonly budget: number;
  /** Estimated tokens of one gap marker. */
  readonly separatorTokens: number;
  /** Estimated tokens of the text written between two documents. */
  readonly documentSeparatorTokens: number;
  readonly settings: GreedySettings;
}

/** Units chosen by {@link selectUnits}. */
export interface GreedySelection {
  readonly selected: Uint8Array;
  /** Estimated tokens of the output, separators included. */
  readonly estimatedTokens: number;
  /** Estimated tokens of the mandatory units alone. */
  readonly mandatoryTokens: number;
}

// Compared against at most this many kept units nearby, to bound the cost.
const MAX_REDUNDANCY_COMPARISONS = 12;

/** Hashes the term sequence of each unit so exact repeats can be skipped. */
function contentKeys(terms: TermIndex, units: number): Int32Array {
  const keys = new Int32Array(units);
  for (let unit = 0; unit < units; unit++) {
    const start = terms.unitOffsets[unit] as number;
    const end = terms.unitOffsets[unit + 1] as number;
    if (end - start < 3) {
      keys[unit] = 0;
      continue;
    }
    let hash = 0x811c9dc5;
    for (let at = start; at < end; at++) {
      hash = Math.imul(hash ^ (terms.termIds[at] as number), 0x01000193);
    }
    keys[unit] = hash === 0 ? 1 : hash;
  }
  return keys;
}

/**
 * Units per coverage group. Keeping a unit lowers the gain of the other
 * units of its group, which lazy greedy selection then re-evaluates; a cap
 * keeps that work linear when one block holds thousands of units (a chat
 * log or a list without blank lines).
 */
const COVERAGE_GROUP_UNITS = 32;

/** Numbers the coverage groups: each block, cut into runs of at most 32 units. */
function coverageGroups(corpus: Corpus): Int32Array {
  const groups = new Int32Array(corpus.units.length);
  let group = -1;
  for (const block of corpus.blocks) {
    for (let unit = block.firstUnit; unit < block.endUnit; unit++) {
      if ((unit - block.firstUnit) % COVERAGE_GROUP_UNITS === 0) {
        group++;
      }
      groups[unit] = group;
    }
  }
  return groups;
}

/**
 * The distinct terms of every unit and, for every term, the units that
 * contain it: built once per term index and shared by all selection
 * rounds over it.
 */
interface TermPostings {
  /** Distinct terms of unit `i` are at `[unitStarts[i], unitStarts[i + 1])`. */
  readonly unitStarts: Int32Array;
  readonly unitTerms: Int32Array;
  /** Units of term `t` are at `[termStarts[t], termStarts[t + 1])`. */
  readonly termStarts: Int32Array;
  readonly termUnits: Int32Array;
}

const postingsCache = new WeakMap<TermIndex, TermPostings>();

function buildPostings(terms: TermIndex): TermPostings {
  const units = terms.unitOffsets.length - 1;
  const vocabulary = terms.vocabulary.length;
  const lastUnit = new Int32Array(vocabulary).fill(-1);
  const unitStarts = new Int32Array(units + 1);
  const distinct: number[] = [];
  const termCounts = new Int32Array(vocabulary + 1);
  for (let unit = 0; unit < units; unit++) {
    const end = terms.unitOffsets[unit + 1] as number;
    for (let at = terms.unitOffsets[unit] as number; at < end; at++) {
      const term = terms.termIds[at] as number;
      if (lastUnit[term] !== unit) {
        lastUnit[term] = unit;
        distinct.push(term);
        termCounts[term + 1] = (termCounts[term + 1] as number) + 1;
      }
    }
    unitStarts[unit + 1] = distinct.length;
  }

  const unitTerms = Int32Array.from(distinct);
  const termStarts = termCounts;
  for (let term = 0; term < vocabulary; term++) {
    termStarts[term + 1] =
      (termStarts[term + 1] as number) + (termStarts[term] as number);
  }

  const termUnits = new Int32Array(unitTerms.length);
  const fill = termStarts.slice(0, vocabulary);
  for (let unit = 0; unit < units; unit++) {
    const end = unitStarts[unit + 1] as number;
    for (let at = unitStarts[unit] as number; at < end; at++) {
      const term = unitTerms[at] as number;
      termUnits[fill[term] as number] = unit;
      fill[term] = (fill[term] as number) + 1;
    }
  }
  return { unitStarts, unitTerms, termStarts, termUnits };
}

/**
 * Counts, for every unit, its distinct terms that no kept unit contains.
 * Keeping a unit marks its terms and lowers the count of every unit that
 * shares one, so the cost over a whole selection is at most one pass over
 * the postings, and each share is read in constant time.
 */
class NoveltyState {
  private readonly postings: TermPostings;
  private readonly covered: Uint8Array;
  private readonly novel: Int32Array;

  constructor(terms: TermIndex) {
    let postings = postingsCache.get(terms);
    if (postings === undefined) {
      postings = buildPostings(terms);
      postingsCache.set(terms, postings);
    }
    this.postings = postings;
    this.covered = new Uint8Array(terms.vocabulary.length);
    const { unitStarts } = postings;
    this.novel = new Int32Array(unitStarts.length - 1);
    for (let unit = 0; unit < this.novel.length; unit++) {
      this.novel[unit] =
        (unitStarts[unit + 1] as number) - (unitStarts[unit] as number);
    }
  }

  /** Share of the distinct terms of `unit` not yet kept, smoothed by one. */
  share(unit: number): number {
    const { unitStarts } = this.postings;
    const distinct =
      (unitStarts[unit + 1] as number) - (unitStarts[unit] as number);
    return ((this.novel[unit] as number) + 1) / (distinct + 1);
  }

  keep(unit: number): void {
    const { unitStarts, unitTerms, termStarts, termUnits } = this.postings;
    const end = unitStarts[unit + 1] as number;
    for (let at = unitStarts[unit] as number; at < end; at++) {
      const term = unitTerms[at] as number;
      if (this.covered[term] === 1) {
        continue;
      }
      this.covered[term] = 1;
      const last = termStarts[term + 1] as number;
      for (let entry = termStarts[term] as number; entry < last; entry++) {
        const other = termUnits[entry] as number;
        this.novel[other] = (this.novel[other] as number) - 1;
      }
    }
  }
}

class SelectionState {
  readonly selected: Uint8Array;
  /** Coverage group of each unit: its block, or a slice of a long block. */
  readonly groupOf: Int32Array;
  readonly keptInGroup: Float64Array;
  readonly totalInGroup: Float64Array;
  readonly keptByBlock: number[][];
  readonly keptKeys = new Set<number>();
  /** Novelty bookkeeping; undefined when the novelty discount is off. */
  private readonly novelty: NoveltyState | undefined;
  /** Number of separate runs of kept units in each document. */
  readonly runsInDocument: Int32Array;
  documentsWithRuns = 0;
  tokens = 0;

  constructor(
    private readonly input: GreedyInput,
    private readonly keys: Int32Array,
  ) {
    const { corpus, unitTokens } = input;
    this.selected = new Uint8Array(corpus.units.length);
    this.novelty =
      input.settings.novelty > 0 ? new NoveltyState(input.terms) : undefined;
    this.groupOf = coverageGroups(corpus);
    const groups = (this.groupOf[this.groupOf.length - 1] ?? -1) + 1;
    this.keptInGroup = new Float64Array(groups);
    this.totalInGroup = new Float64Array(groups);
    this.keptByBlock = corpus.blocks.map(() => []);
    this.runsInDocument = new Int32Array(corpus.documents.length);
    this.groupOf.forEach((group, index) => {
      this.totalInGroup[group] =
        (this.totalInGroup[group] as number) + (unitTokens[index] as number);
    });
  }

  private isKeptNeighbour(unit: number, other: number): boolean {
    const units = this.input.corpus.units;
    return (
      this.selected[other] === 1 &&
      units[other]?.document === units[unit]?.document
    );
  }

  /** Change in the number of runs of kept units if `unit` were kept. */
  private runChange(unit: number): number {
    const previous = unit > 0 && this.isKeptNeighbour(unit, unit - 1);
    const next =
      unit + 1 < this.selected.length && this.isKeptNeighbour(unit, unit + 1);
    if (previous && next) {
      return -1;
    }
    return previous || next ? 0 : 1;
  }

  /**
   * Estimated tokens that keeping `unit` adds, its required unit and gap
   * markers included: a new run costs a gap marker, or the document
   * separator when it is the first run of its document, and joining two
   * runs saves a marker.
   */
  cost(unit: number): number {
    const { unitTokens, separatorTokens, documentSeparatorTokens, corpus } =
      this.input;
    let cost = unitTokens[unit] as number;
    const required = corpus.units[unit]?.requires ?? -1;
    if (required >= 0 && this.selected[required] === 0) {
      cost += unitTokens[required] as number;
    }
    const change = this.runChange(unit);
    const document = corpus.units[unit]?.document ?? 0;
    if (change === 1 && this.runsInDocument[document] === 0) {
      cost += this.documentsWithRuns > 0 ? documentSeparatorTokens : 0;
    } else {
      cost += change * separatorTokens;
    }
    return cost;
  }

  isDuplicate(unit: number): boolean {
    const key = this.keys[unit] as number;
    return key !== 0 && this.keptKeys.has(key);
  }

  gain(unit: number): number {
    const { priority, corpus, unitVectors, settings } = this.input;
    let gain = priority[unit] as number;
    const block = corpus.units[unit]?.block ?? 0;
    if (settings.coverage > 0) {
      const group = this.groupOf[unit] as number;
      const total = this.totalInGroup[group] as number;
      const kept = this.keptInGroup[group] as number;
      gain *= Math.pow(
        Math.max(0, 1 - kept / Math.max(1, total)),
        settings.coverage,
      );
    }
    if (this.novelty !== undefined) {
      gain *= Math.pow(this.novelty.share(unit), settings.novelty);
    }
    if (settings.redundancy > 0) {
      let similarity = 0;
      let comparisons = 0;
      for (const nearby of [block, block - 1]) {
        for (const other of this.keptByBlock[nearby] ?? []) {
          if (comparisons++ >= MAX_REDUNDANCY_COMPARISONS) {
            break;
          }
          similarity = Math.max(
            similarity,
            dotRows(unitVectors, unit, unitVectors, other),
          );
        }
      }
      const excess =
        (similarity - settings.redundancyThreshold) /
        (1 - settings.redundancyThreshold);
      if (excess > 0) {
        gain *= 1 - settings.redundancy * Math.min(1, excess);
      }
    }
    return gain;
  }

  keep(unit: number): void {
    const { corpus, unitTokens } = this.input;
    const required = corpus.units[unit]?.requires ?? -1;
    if (required >= 0 && this.selected[required] === 0) {
      this.keep(required);
    }
    this.tokens += this.cost(unit);
    const document = corpus.units[unit]?.document ?? 0;
    if (this.runsInDocument[document] === 0) {
      this.documentsWithRuns++;
    }
    this.runsInDocument[document] =
      (this.runsInDocument[document] as number) + this.runChange(unit);
    this.selected[unit] = 1;
    const block = corpus.units[unit]?.block ?? 0;
    const group = this.groupOf[unit] as number;
    this.keptInGroup[group] =
      (this.keptInGroup[group] as number) + (unitTokens[unit] as number);
    this.keptByBlock[block]?.push(unit);
    this.novelty?.keep(unit);
    const key = this.keys[unit] as number;
    if (key !== 0) {
      this.keptKeys.add(key);
    }
  }
}

/**
 * Chooses units under a token budget by lazy greedy selection: mandatory
 * units first, then units in order of gain, where the gain is the unit's
 * priority discounted for block coverage, for terms already kept and for
 * similarity to units already kept. Units that do not fit are skipped, so smaller units can
 * still fill the rest of the budget.
 */
export function selectUnits(input: GreedyInput): GreedySelection {
  const units = input.corpus.units.length;
  const state = new SelectionState(input, contentKeys(input.terms, units));
  for (let unit = 0; unit < units; unit++) {
    if (input.mandatory[unit] === 1 && state.selected[unit] === 0) {
      state.keep(unit);
    }
  }
  const mandatoryTokens = state.tokens;
  const heap = new MaxHeap();
  for (let unit = 0; unit < units; unit++) {
    if (state.selected[unit] === 0 && input.excluded[unit] === 0) {
      heap.push(input.priority[unit] as number, unit);
    }
  }
  let smallest = Number.POSITIVE_INFINITY;
  for (let unit = 0; unit < units; unit++) {
    smallest = Math.min(smallest, input.unitTokens[unit] as number);
  }
  while (heap.size > 0 && input.budget - state.tokens >= smallest) {
    const unit = heap.pop() as number;
    if (state.selected[unit] === 1 || state.isDuplicate(unit)) {
      continue;
    }
    const gain = state.gain(unit);
    if (gain < heap.peekKey() - 1e-12) {
      heap.push(gain, unit);
      continue;
    }
    if (state.tokens + state.cost(unit) <= input.budget) {
      state.keep(unit);
    }
  }
  return {
    selected: state.selected,
    estimatedTokens: state.tokens,
    mandatoryTokens,
  };
}
