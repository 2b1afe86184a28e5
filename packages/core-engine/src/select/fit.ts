import { assemble } from "../assemble.js";
import type { Assembled, AssembleSettings } from "../assemble.js";
import type { Corpus } from "../segment/index.js";
import { findUncuttableRanges } from "../segment/protected.js";
import { isDenseScriptCode } from "../segment/window.js";
import type { TokenCounter } from "../tokenizer.js";
import { selectUnits } from "./greedy.js";
import type { GreedyInput } from "./greedy.js";

/** A selection checked against the budget with the real tokenizer. */
export interface FittedSelection {
  readonly selected: Uint8Array;
  readonly assembled: Assembled;
  /** Exact tokens of `assembled.text`. */
  readonly tokens: number;
  /** Estimated tokens of the mandatory units alone. */
  readonly mandatoryTokens: number;
  /** Kept units cut short to fill the budget: unit index to end offset. */
  readonly shortened: ReadonlyMap<number, number>;
}

/** Most selection rounds before the best one found is trimmed to fit. */
const MAX_ROUNDS = 6;
/** A round that fills at least this share of the budget ends the search. */
const GOOD_ENOUGH_FILL = 0.975;
/** Below this share of the budget, the rest is filled with part of a unit. */
const MIN_FILL = 0.95;
/**
 * Share of the budget that bare headings must hold before the selection
 * is made again without them; below it they are only dropped.
 */
const RESELECT_SHARE = 0.02;
/** Candidates tried for a partial unit, in order of priority. */
const PREFIX_CANDIDATES = 12;
/** Kept units, lowest priority first, that a longer unit may replace. */
const SWAP_CANDIDATES = 4;

interface Fitter {
  readonly input: Omit<GreedyInput, "budget">;
  readonly budget: number;
  readonly counter: TokenCounter;
  readonly settings: AssembleSettings;
}

function measure(
  fitter: Fitter,
  selected: Uint8Array,
  mandatoryTokens: number,
  shortened: ReadonlyMap<number, number> = new Map(),
): FittedSelection {
  const assembled = assemble(
    fitter.input.corpus,
    selected,
    fitter.settings,
    shortened,
  );
  return {
    selected,
    assembled,
    tokens: fitter.counter.count(assembled.text),
    mandatoryTokens,
    shortened,
  };
}

/**
 * Drops kept units, lowest priority first, until the exact count fits or
 * only mandatory units (and the table headers they need) remain. A unit
 * that others require goes last, after the units that require it.
 */
function trimToBudget(fitter: Fitter, over: FittedSelection): FittedSelection {
  const { corpus, priority, mandatory } = fitter.input;
  const selected = new Uint8Array(over.selected);
  const required = new Set(
    corpus.units.map((unit) => unit.requires).filter((index) => index >= 0),
  );
  // A table header that a preserved row needs stays with the row.
  const neededByMandatory = new Set(
    corpus.units
      .filter((unit, index) => mandatory[index] === 1 && unit.requires >= 0)
      .map((unit) => unit.requires),
  );
  const removable = [...selected.keys()]
    .filter(
      (unit) =>
        selected[unit] === 1 &&
        mandatory[unit] === 0 &&
        !neededByMandatory.has(unit),
    )
    .sort(
      (a, b) =>
        Number(required.has(a)) - Number(required.has(b)) ||
        (priority[a] as number) - (priority[b] as number),
    );
  let current = over;
  let next = 0;
  while (current.tokens > fitter.budget && next < removable.length) {
    // Remove about as many estimated tokens as the output is over, at least one unit.
    let removed = 0;
    const excess = current.tokens - fitter.budget;
    while (next < removable.length && (removed === 0 || removed < excess)) {
      const unit = removable[next++] as number;
      selected[unit] = 0;
      removed += fitter.input.unitTokens[unit] as number;
    }
    current = measure(fitter, new Uint8Array(selected), over.mandatoryTokens);
  }
  return current;
}

/**
 * Lists the kept headings of which nothing else is kept: no unit of their
 * section, nor of the deeper sections under it, other than headings.
 * Preserved headings, and those of documents that hold only headings,
 * are not listed.
 */
function orphanHeadings(
  corpus: Corpus,
  selected: Uint8Array,
  mandatory: Uint8Array,
): number[] {
  const { sections, units } = corpus;
  const withText = new Set<number>();
  for (const unit of units) {
    if (unit.kind !== "heading") {
      withText.add(unit.document);
    }
  }
  const orphans: number[] = [];
  sections.forEach((section, index) => {
    const heading = section.headingUnit;
    if (heading < 0 || selected[heading] !== 1 || mandatory[heading] === 1) {
      return;
    }
    let end = section.endUnit;
    for (
      let next = index + 1;
      next < sections.length &&
      sections[next]?.document === section.document &&
      (sections[next]?.level ?? 0) > section.level;
      next++
    ) {
      end = sections[next]?.endUnit ?? end;
    }
    for (let unit = heading + 1; unit < end; unit++) {
      if (selected[unit] === 1 && units[unit]?.kind !== "heading") {
        return;
      }
    }
    // In a document of headings alone, the headings are its text.
    if (withText.has(section.document)) {
      orphans.push(heading);
    }
  });
  return orphans;
}

/**
 * Selects units, assembles them and counts the whole output with the
 * target tokenizer, then repeats with a corrected internal budget until the
 * exact count fits and fills the budget. Per-unit counts are estimates of
 * the whole (tokens can merge across a gap marker), so only the final count
 * is trusted. If no round fits, the last one is trimmed until it does.
 * Headings kept without any text of their section are dropped. When they
 * hold more than 2% of the budget, the selection is made again without
 * them, so the budget goes to text. Otherwise the budget they leave is
 * filled by the same repairs as an under-filled selection.
 */
export function fitToBudget(
  input: Omit<GreedyInput, "budget">,
  budget: number,
  counter: TokenCounter,
  settings: AssembleSettings,
): FittedSelection {
  const fitter: Fitter = { input, budget, counter, settings };
  const first = fitOnce(input, budget, counter, settings);
  const orphans = orphanHeadings(input.corpus, first.selected, input.mandatory);
  if (orphans.length === 0) {
    return first;
  }
  const orphanTokens = orphans.reduce(
    (sum, heading) => sum + (input.unitTokens[heading] as number),
    0,
  );
  if (orphanTokens > budget * RESELECT_SHARE) {
    // Enough budget is at stake to select again without those headings.
    const excluded = new Uint8Array(input.excluded);
    for (const heading of orphans) {
      excluded[heading] = 1;
    }
    const again = fitOnce({ ...input, excluded }, budget, counter, settings);
    return dropOrphans(fitter, again);
  }
  return dropOrphans(fitter, first);
}

/**
 * Drops the headings a selection keeps without any text of their section,
 * then fills the budget they leave with the repairs of {@link fitOnce}.
 * Returns the selection unchanged when the result would not fit.
 */
function dropOrphans(fitter: Fitter, fitted: FittedSelection): FittedSelection {
  const { corpus, mandatory } = fitter.input;
  const orphans = orphanHeadings(corpus, fitted.selected, mandatory);
  if (orphans.length === 0) {
    return fitted;
  }
  const selected = new Uint8Array(fitted.selected);
  for (const heading of orphans) {
    selected[heading] = 0;
  }
  const excluded = new Uint8Array(fitter.input.excluded);
  for (const heading of orphans) {
    excluded[heading] = 1;
  }
  // The repairs must not bring the dropped headings back.
  const repairing: Fitter = {
    ...fitter,
    input: { ...fitter.input, excluded },
  };
  let dropped = measure(
    repairing,
    selected,
    fitted.mandatoryTokens,
    fitted.shortened,
  );
  if (dropped.tokens > fitter.budget) {
    return fitted;
  }
  if (dropped.tokens < fitter.budget * MIN_FILL) {
    dropped = swapForLonger(repairing, dropped);
    if (
      dropped.tokens < fitter.budget * MIN_FILL &&
      fitted.shortened.size === 0
    ) {
      dropped = fillWithPrefix(repairing, dropped);
    }
  }
  return dropped;
}

function fitOnce(
  input: Omit<GreedyInput, "budget">,
  budget: number,
  counter: TokenCounter,
  settings: AssembleSettings,
): FittedSelection {
  const fitter: Fitter = { input, budget, counter, settings };
  let effective = budget;
  let step = 1;
  let best: FittedSelection | undefined;
  let last: FittedSelection | undefined;
  const tried = new Set<number>();
  for (
    let round = 0;
    round < MAX_ROUNDS && effective >= 0 && !tried.has(effective);
    round++
  ) {
    tried.add(effective);
    const selection = selectUnits({ ...input, budget: effective });
    last = measure(fitter, selection.selected, selection.mandatoryTokens);
    if (last.tokens <= budget) {
      if (best === undefined || last.tokens > best.tokens) {
        best = last;
      }
      const unfillable = selection.estimatedTokens < effective - budget * 0.05;
      if (last.tokens >= budget * GOOD_ENOUGH_FILL || unfillable) {
        break;
      }
      effective += budget - last.tokens;
    } else {
      // Overshoots grow the correction, so a stubborn estimate converges.
      effective -= Math.max(last.tokens - budget, step);
      step *= 2;
    }
  }
  if (best !== undefined) {
    if (best.tokens >= budget * MIN_FILL) {
      return best;
    }
    const swapped = swapForLonger(fitter, best);
    return swapped.tokens < budget * MIN_FILL
      ? fillWithPrefix(fitter, swapped)
      : swapped;
  }
  return trimToBudget(
    fitter,
    last ?? measure(fitter, new Uint8Array(input.corpus.units.length), 0),
  );
}

/**
 * Replaces one kept unit by the highest-priority left-out unit that is
 * longer but still fits, when whole units leave the budget short. With a
 * small budget, two sentences of 20 and 15 tokens can leave 5 tokens
 * that no sentence fills, while 22 and 14 would have. A replacement must
 * be worth at least as much (priority per token times tokens) as the unit
 * it replaces, so filling never trades relevance away. Tries the
 * lowest-priority kept units and returns the fullest selection that fits.
 */
function swapForLonger(
  fitter: Fitter,
  fitted: FittedSelection,
): FittedSelection {
  const { corpus, priority, unitTokens, mandatory, excluded } = fitter.input;
  const room = fitter.budget - fitted.tokens;
  const required = new Set(corpus.units.map((unit) => unit.requires));
  // Units tied to others (table headers and their rows) are not swapped.
  const isFree = (unit: number): boolean =>
    mandatory[unit] === 0 &&
    corpus.units[unit]?.requires === -1 &&
    !required.has(unit);
  const swappable = [...fitted.selected.keys()]
    .filter((unit) => fitted.selected[unit] === 1 && isFree(unit))
    .sort((a, b) => (priority[a] as number) - (priority[b] as number))
    .slice(0, SWAP_CANDIDATES);
  let best = fitted;
  for (const out of swappable) {
    const tokens = unitTokens[out] as number;
    const value = (priority[out] as number) * tokens;
    let replacement = -1;
    for (let unit = 0; unit < corpus.units.length; unit++) {
      const length = unitTokens[unit] as number;
      if (
        fitted.selected[unit] === 0 &&
        excluded[unit] === 0 &&
        isFree(unit) &&
        length > tokens &&
        length <= tokens + room &&
        (priority[unit] as number) * length >= value &&
        (replacement < 0 ||
          (priority[unit] as number) > (priority[replacement] as number))
      ) {
        replacement = unit;
      }
    }
    if (replacement < 0) {
      continue;
    }
    const selected = new Uint8Array(fitted.selected);
    selected[out] = 0;
    selected[replacement] = 1;
    const attempt = measure(fitter, selected, fitted.mandatoryTokens);
    if (attempt.tokens <= fitter.budget && attempt.tokens > best.tokens) {
      best = attempt;
    }
  }
  return best;
}

const CLAUSE_END = /[,;:，、；：]/u;

/** Fewest words a prefix keeps, so a fill never adds a lone "The". */
const MIN_PREFIX_WORDS = 4;

/**
 * Returns the offsets where a prefix of a unit may end: first those after
 * clause punctuation followed by a space (or, in scripts without spaces,
 * after clause punctuation alone), longest first, then those before any
 * other space, longest first. Returns none for a unit that holds a
 * protected value (a number, date, id, URL, quote or code), which is kept
 * whole or not at all.
 */
function prefixEnds(text: string, start: number, end: number): number[] {
  if (findUncuttableRanges(text.slice(start, end)).length > 0) {
    return [];
  }
  const clauses: number[] = [];
  const words: number[] = [];
  for (let at = end - 1; at > start; at--) {
    const current = text[at] ?? "";
    const previous = text[at - 1] ?? "";
    const isSpace = /\s/u.test(current) && !/\s/u.test(previous);
    const dense = isDenseScriptCode(current.charCodeAt(0));
    if (!isSpace && !dense) {
      continue;
    }
    const wordCount = text.slice(start, at).split(/\s+/u).length;
    if (
      dense ? at - start < 2 * MIN_PREFIX_WORDS : wordCount < MIN_PREFIX_WORDS
    ) {
      continue;
    }
    if (CLAUSE_END.test(previous)) {
      clauses.push(at);
    } else if (isSpace) {
      words.push(at);
    }
  }
  return [...clauses, ...words];
}

/**
 * Fills the rest of the budget with the longest fitting prefix of a
 * high-priority unit that was left out, so a budget that whole units
 * cannot fill is still met. Only sentences are cut, never one that holds
 * a protected value, and a prefix keeps at least a few words.
 */
function fillWithPrefix(
  fitter: Fitter,
  fitted: FittedSelection,
): FittedSelection {
  const { corpus, priority, unitTokens, mandatory, excluded } = fitter.input;
  const candidates = [...priority.keys()]
    .filter(
      (unit) =>
        fitted.selected[unit] === 0 &&
        excluded[unit] === 0 &&
        mandatory[unit] === 0 &&
        corpus.units[unit]?.kind === "sentence",
    )
    .sort((a, b) => (priority[b] as number) - (priority[a] as number))
    .slice(0, PREFIX_CANDIDATES);
  for (const unit of candidates) {
    const entry = corpus.units[unit];
    const text = corpus.documents[entry?.document ?? -1]?.text;
    if (entry === undefined || text === undefined) {
      continue;
    }
    const room = fitter.budget - fitted.tokens - fitter.input.separatorTokens;
    const perCharacter =
      (unitTokens[unit] as number) / (entry.end - entry.start);
    const ends = prefixEnds(text, entry.start, entry.end).filter(
      (end) => (end - entry.start) * perCharacter <= room,
    );
    for (const end of ends.slice(0, 3)) {
      const selected = new Uint8Array(fitted.selected);
      selected[unit] = 1;
      const attempt = measure(
        fitter,
        selected,
        fitted.mandatoryTokens,
        new Map([[unit, end]]),
      );
      if (attempt.tokens <= fitter.budget) {
        return attempt;
      }
    }
  }
  return fitted;
}
