import { automaticSeparator } from "../assemble.js";
import type {
  Assembled,
  AssembledDocument,
  AssembleSettings,
} from "../assemble.js";
import type { Corpus } from "../segment/index.js";
import {
  findPattern,
  findProtectedClass,
  findUncuttableRanges,
  mergeRanges,
} from "../segment/protected.js";
import type { ProtectedClass, Range } from "../segment/protected.js";
import { isDenseScriptCode } from "../segment/window.js";
import { bitsOfWord, foldWord } from "../text/word-information.js";
import type { WordInformation } from "../text/word-information.js";
import type { TokenCounter } from "../tokenizer.js";
import type { Span } from "../types.js";

/** Input of {@link pruneWords}. */
export interface PruneInput {
  readonly corpus: Corpus;
  /** The sentence selection, made for a budget above `budget`. */
  readonly selected: Uint8Array;
  readonly assembled: Assembled;
  /** Exact tokens of `assembled.text`. */
  readonly tokens: number;
  /** Kept units cut short: unit index to end offset. */
  readonly shortened: ReadonlyMap<number, number>;
  /** Selection priority of each unit; higher is kept first. */
  readonly priority: Float64Array;
  readonly budget: number;
  readonly counter: TokenCounter;
  readonly settings: AssembleSettings;
  readonly information: WordInformation;
  readonly preserve: readonly (RegExp | ProtectedClass)[];
  readonly query: string | undefined;
}

/** The output of {@link pruneWords}. */
export interface PrunedText {
  readonly assembled: Assembled;
  /** Exact tokens of `assembled.text`. */
  readonly tokens: number;
  /** Words removed from kept sentences. */
  readonly removedWords: number;
}

/** Result of {@link pruneWords} when the budget cannot be met. */
export interface PruneShortfall {
  /** Estimated tokens of every removable word together. */
  readonly removableTokens: number;
}

/** A word that may be removed, with the order key and estimated cost. */
interface Candidate {
  readonly document: number;
  readonly start: number;
  readonly end: number;
  /** Lower keys go first. */
  readonly key: number;
  readonly tokens: number;
}

/** Share of the budget left unused above which removed words are put back. */
const SLACK = 0.01;
/** Rounds of removing words and counting the output exactly. */
const MAX_ROUNDS = 8;
/**
 * How much more the words of the highest-priority kept sentence are worth
 * than those of the lowest: its keys are multiplied by 1 + this value,
 * and those in between by 1 + this value times their rank. A high value
 * leaves the best sentences almost whole. This value and the word stage's
 * share of three quarters were chosen on the SQuAD v1.1 sample of the
 * quality benchmark.
 */
const RANK_WEIGHT = 16;
/**
 * A capitalised word that opens a sentence counts as a name when its
 * lower-case form carries at least this many bits; "The" does not.
 */
const NAME_BITS = 12;
/**
 * Words of the query with at least this many bits are never removed.
 * Statistics of a short input give lower bits, so there the limit is 4
 * bits under the bits of an unseen word.
 */
const QUERY_WORD_BITS = 10.5;
/** Quotes up to this many UTF-16 code units are kept whole. */
const MAX_PROTECTED_QUOTE_LENGTH = 80;
/** Short lower-case words inside a name, as in "Bank of America". */
const NAME_JOINER = /^\p{Ll}{1,3}$/u;

const NEGATIONS = new Set([
  "no",
  "not",
  "never",
  "nor",
  "neither",
  "none",
  "nobody",
  "nothing",
  "nowhere",
  "cannot",
  "without",
  "nicht",
  "kein",
  "keine",
  "nie",
  "ne",
  "pas",
  "jamais",
  "non",
  "nunca",
  "nada",
  "nadie",
  "mai",
]);
/** Words that scale a number next to them, as in "4.5 million". */
const NUMBER_WORDS = new Set([
  "hundred",
  "hundreds",
  "thousand",
  "thousands",
  "million",
  "millions",
  "billion",
  "billions",
  "trillion",
  "dozen",
  "percent",
]);
const NEGATED_CONTRACTION = /n['’]t$/iu;
const DIGIT = /\p{N}/u;
const UPPER = /\p{Lu}/u;
const CLOSING = /^[.,;:!?)\]}»”’%]/u;
const OPENING = /[([{«“‘]$/u;
const QUERY_PART = /[\p{L}\p{N}]+/gu;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;
/** Characters that join the parts of a compound word: hyphens and apostrophes. */
const JOINER = /^[-\u2010\u2011'’]$/u;
const PUNCTUATION_END = /\p{P}$/u;

let segmenter: Intl.Segmenter | undefined;

function words(text: string): Iterable<Intl.SegmentData> {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: "word" });
  return segmenter.segment(text);
}

/** Ranges of a document that pruning never touches, sorted and merged. */
function protectedRanges(
  text: string,
  preserve: readonly (RegExp | ProtectedClass)[],
): Range[] {
  // Quoted strings stay; long quotes, such as dialogue in a novel, are
  // prose and may be pruned.
  const ranges = findProtectedClass(text, "quoted").filter(
    (range) => range.end - range.start <= MAX_PROTECTED_QUOTE_LENGTH,
  );
  for (const entry of preserve) {
    ranges.push(
      ...(typeof entry === "string"
        ? findProtectedClass(text, entry)
        : findPattern(text, entry)),
    );
  }
  return mergeRanges(ranges);
}

/**
 * Tells whether [start, end) overlaps one of `ranges`, which are sorted
 * and do not overlap, by a binary search for the first range that ends
 * after `start`.
 */
function overlaps(
  ranges: readonly Range[],
  start: number,
  end: number,
): boolean {
  let low = 0;
  let high = ranges.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((ranges[middle] as Range).end <= start) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  const range = ranges[low];
  return range !== undefined && range.start < end;
}

/**
 * Tells whether a word must stay: numbers and number words, ids, negations,
 * names and the query's words.
 */
function isProtectedWord(
  word: string,
  opensSentence: boolean,
  information: WordInformation,
  queryWords: ReadonlySet<string>,
): boolean {
  if (DIGIT.test(word)) {
    return true;
  }
  const folded = foldWord(word);
  if (
    NEGATIONS.has(folded) ||
    NUMBER_WORDS.has(folded) ||
    NEGATED_CONTRACTION.test(word)
  ) {
    return true;
  }
  // The query's content words stay; its function words ("the", "did")
  // are as removable as anywhere else.
  if (
    queryWords.has(folded) &&
    bitsOfWord(information, word) >=
      Math.min(QUERY_WORD_BITS, information.unknownBits - 4)
  ) {
    return true;
  }
  if (UPPER.test(word.slice(1))) {
    // Acronyms and ids such as HTTP or iPhone.
    return true;
  }
  if (UPPER.test(word.charAt(0))) {
    return !opensSentence || bitsOfWord(information, word) >= NAME_BITS;
  }
  return false;
}

interface WordSegment {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  protectedWord: boolean;
}

/** Lists the removable words of one kept sentence. */
function unitCandidates(
  input: PruneInput,
  unit: number,
  rank: number,
  documentRanges: readonly Range[],
  queryWords: ReadonlySet<string>,
  costs: Map<string, number>,
): Candidate[] {
  const entry = input.corpus.units[unit];
  const document = input.corpus.documents[entry?.document ?? -1];
  if (entry === undefined || document === undefined) {
    return [];
  }
  const start = entry.start;
  const end = input.shortened.get(unit) ?? entry.end;
  const text = document.text.slice(start, end);
  const local = findUncuttableRanges(text);
  const segments: WordSegment[] = [];
  for (const segment of words(text)) {
    if (segment.isWordLike !== true) {
      continue;
    }
    const from = start + segment.index;
    const to = from + segment.segment.length;
    const compound =
      (JOINER.test(text.charAt(segment.index - 1)) &&
        WORD_CHARACTER.test(text.charAt(segment.index - 2))) ||
      (JOINER.test(text.charAt(to - start)) &&
        WORD_CHARACTER.test(text.charAt(to - start + 1)));
    segments.push({
      start: from,
      end: to,
      text: segment.segment,
      // A part of a compound such as "end-of-line" stays with the rest.
      protectedWord:
        compound ||
        overlaps(documentRanges, from, to) ||
        overlaps(
          local,
          segment.index,
          segment.index + segment.segment.length,
        ) ||
        isProtectedWord(
          segment.segment,
          segments.length === 0,
          input.information,
          queryWords,
        ),
    });
  }
  // Short lower-case words between two protected capitalised words belong
  // to a name, as in "University of Chicago".
  for (let index = 1; index + 1 < segments.length; index++) {
    const word = segments[index] as WordSegment;
    const before = segments[index - 1] as WordSegment;
    const after = segments[index + 1] as WordSegment;
    if (
      !word.protectedWord &&
      NAME_JOINER.test(word.text) &&
      before.protectedWord &&
      after.protectedWord &&
      UPPER.test(before.text.charAt(0)) &&
      UPPER.test(after.text.charAt(0))
    ) {
      word.protectedWord = true;
    }
  }
  const weight = 1 + RANK_WEIGHT * rank;
  const candidates: Candidate[] = [];
  for (const word of segments) {
    if (word.protectedWord) {
      continue;
    }
    let tokens = costs.get(word.text);
    if (tokens === undefined) {
      tokens = input.counter.count(` ${word.text}`);
      costs.set(word.text, tokens);
    }
    candidates.push({
      document: entry.document,
      start: word.start,
      end: word.end,
      key: bitsOfWord(input.information, word.text) * weight,
      tokens,
    });
  }
  return candidates;
}

function queryWordsOf(query: string | undefined): Set<string> {
  const found = new Set<string>();
  for (const [part] of foldWord(query ?? "").matchAll(QUERY_PART)) {
    found.add(part);
  }
  return found;
}

/** Lists every removable word of the kept sentences, cheapest to lose first. */
function collectCandidates(input: PruneInput): Candidate[] {
  const { corpus, selected, priority } = input;
  const kept: number[] = [];
  for (let unit = 0; unit < corpus.units.length; unit++) {
    if (selected[unit] === 1 && corpus.units[unit]?.kind === "sentence") {
      kept.push(unit);
    }
  }
  // Rank 1 is the kept sentence of highest priority, 0 the lowest.
  const byPriority = [...kept].sort(
    (a, b) => (priority[a] as number) - (priority[b] as number) || b - a,
  );
  const rankOf = new Map<number, number>();
  byPriority.forEach((unit, index) =>
    rankOf.set(unit, kept.length > 1 ? index / (kept.length - 1) : 1),
  );
  const queryWords = queryWordsOf(input.query);
  const costs = new Map<string, number>();
  const rangesOf = new Map<number, Range[]>();
  const candidates: Candidate[] = [];
  for (const unit of kept) {
    const documentIndex = corpus.units[unit]?.document ?? 0;
    let ranges = rangesOf.get(documentIndex);
    if (ranges === undefined) {
      ranges = protectedRanges(
        corpus.documents[documentIndex]?.text ?? "",
        input.preserve,
      );
      rangesOf.set(documentIndex, ranges);
    }
    candidates.push(
      ...unitCandidates(
        input,
        unit,
        rankOf.get(unit) ?? 0,
        ranges,
        queryWords,
        costs,
      ),
    );
  }
  return candidates.sort(
    (a, b) => a.key - b.key || a.document - b.document || a.start - b.start,
  );
}

/** Returns the text put between two pieces of a span where words were removed. */
function joiner(text: string, before: number, after: number): string {
  const previous = text.slice(Math.max(0, before - 1), before);
  const next = text.slice(after, after + 1);
  if (CLOSING.test(next) || OPENING.test(previous)) {
    return "";
  }
  const denseBefore = isDenseScriptCode(text.charCodeAt(before - 1));
  const denseAfter = isDenseScriptCode(text.charCodeAt(after));
  // Dense scripts are written without spaces, and a Latin word next to
  // one keeps the space the source had, or stays without one.
  if (denseBefore && denseAfter) {
    return "";
  }
  if ((denseBefore || denseAfter) && !/\s/u.test(text.slice(before, after))) {
    return "";
  }
  return " ";
}

/** Cuts a span into the pieces left once the removed ranges are taken out. */
function piecesOf(
  text: string,
  span: Span,
  removed: readonly Range[],
  first: number,
): { pieces: Span[]; next: number } {
  const pieces: Span[] = [];
  let cursor = span.start;
  let index = first;
  const push = (from: number, to: number): void => {
    let end = to;
    while (end > from && /\s/u.test(text.charAt(end - 1))) {
      end--;
    }
    if (end > from) {
      pieces.push({
        documentId: span.documentId,
        start: from,
        end,
        text: text.slice(from, end),
      });
    }
  };
  while (index < removed.length && (removed[index] as Range).start < span.end) {
    const range = removed[index] as Range;
    if (range.start >= cursor) {
      push(cursor, range.start);
      cursor = range.end;
      while (cursor < span.end && /\s/u.test(text.charAt(cursor))) {
        cursor++;
      }
    }
    index++;
  }
  if (cursor < span.end) {
    pieces.push({
      documentId: span.documentId,
      start: cursor,
      end: span.end,
      text: text.slice(cursor, span.end),
    });
  }
  return { pieces, next: index };
}

/** Rebuilds one document's output without the removed words. */
function rebuildDocument(
  corpus: Corpus,
  part: AssembledDocument,
  removed: readonly Range[],
  settings: AssembleSettings,
): AssembledDocument {
  const text = corpus.documents[part.document]?.text ?? "";
  const spans: Span[] = [];
  const output: string[] = [];
  let next = 0;
  part.spans.forEach((span, index) => {
    if (index > 0) {
      const previous = part.spans[index - 1] as Span;
      output.push(
        settings.separator ??
          automaticSeparator(text, previous.end, span.start),
      );
    }
    const cut = piecesOf(text, span, removed, next);
    next = cut.next;
    let last = "";
    cut.pieces.forEach((piece, at) => {
      // A piece of punctuation alone after punctuation, as the comma
      // left between two removed words, adds nothing.
      if (
        at > 0 &&
        !WORD_CHARACTER.test(piece.text) &&
        PUNCTUATION_END.test(last)
      ) {
        return;
      }
      last = piece.text;
      if (at > 0) {
        output.push(
          joiner(text, (cut.pieces[at - 1] as Span).end, piece.start),
        );
      }
      output.push(piece.text);
      spans.push(piece);
    });
  });
  return { document: part.document, text: output.join(""), spans };
}

function rebuild(
  input: PruneInput,
  removedByDocument: ReadonlyMap<number, Range[]>,
): Assembled {
  const documents = input.assembled.documents
    .map((part) =>
      rebuildDocument(
        input.corpus,
        part,
        (removedByDocument.get(part.document) ?? []).sort(
          (a, b) => a.start - b.start,
        ),
        input.settings,
      ),
    )
    .filter((part) => part.spans.length > 0);
  return {
    text: documents
      .map((part) => part.text)
      .join(input.settings.documentSeparator),
    spans: documents.flatMap((part) => part.spans),
    documents,
  };
}

/** Groups the first `taken` candidates by document. */
function removedRanges(
  candidates: readonly Candidate[],
  taken: number,
): Map<number, Range[]> {
  const byDocument = new Map<number, Range[]>();
  for (let index = 0; index < taken; index++) {
    const candidate = candidates[index] as Candidate;
    let list = byDocument.get(candidate.document);
    if (list === undefined) {
      list = [];
      byDocument.set(candidate.document, list);
    }
    list.push({ start: candidate.start, end: candidate.end });
  }
  return byDocument;
}

/**
 * When the output undershoots the budget by more than {@link SLACK},
 * puts back the most valuable removed words that the room left can hold.
 * Estimates are scaled by how far the removal's own estimate was off, and
 * a try that overshoots is repeated with fewer words. Returns undefined
 * when no try fits.
 */
function giveBack(
  input: PruneInput,
  candidates: readonly Candidate[],
  removal: { readonly taken: number; readonly estimate: number },
  tokens: number,
): PrunedText | undefined {
  const room = input.budget - tokens;
  if (room <= input.budget * SLACK || removal.estimate <= 0) {
    return undefined;
  }
  // Tokens that removing one estimated token actually saved.
  const scale = Math.max(1, (input.tokens - tokens) / removal.estimate);
  for (const share of [1, 0.6, 0.3]) {
    let left = (room * share) / scale;
    let kept = removal.taken;
    while (kept > 0 && (candidates[kept - 1] as Candidate).tokens <= left) {
      left -= (candidates[kept - 1] as Candidate).tokens;
      kept--;
    }
    if (kept === removal.taken) {
      return undefined;
    }
    const assembled = rebuild(input, removedRanges(candidates, kept));
    const count = input.counter.count(assembled.text);
    if (count <= input.budget) {
      return { assembled, tokens: count, removedWords: kept };
    }
  }
  return undefined;
}

/**
 * Removes low-information words from kept sentences until the output fits
 * `budget`. Words go in order of their bits, weighted up for sentences of
 * higher priority. Numbers, ids, negations, names, the query's content
 * words, short quotes and preserved matches stay, as does text that
 * segmentation keeps whole (URLs, e-mail addresses, dates, code). Only sentences are pruned,
 * never headings, code or table rows. Every piece left is a slice of its
 * source and pieces are joined by a space, or by nothing next to
 * punctuation or dense scripts, so words are never glued or cut.
 * Returns a shortfall when removing every candidate still leaves the
 * output over budget.
 */
export function pruneWords(input: PruneInput): PrunedText | PruneShortfall {
  if (input.tokens <= input.budget) {
    return {
      assembled: input.assembled,
      tokens: input.tokens,
      removedWords: 0,
    };
  }
  const candidates = collectCandidates(input);
  const shortfall = {
    removableTokens: candidates.reduce(
      (sum, candidate) => sum + candidate.tokens,
      0,
    ),
  };
  let taken = 0;
  let estimate = 0;
  let need = input.tokens - input.budget;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    while (estimate < need && taken < candidates.length) {
      estimate += (candidates[taken] as Candidate).tokens;
      taken++;
    }
    const assembled = rebuild(input, removedRanges(candidates, taken));
    const tokens = input.counter.count(assembled.text);
    if (tokens <= input.budget) {
      return (
        giveBack(input, candidates, { taken, estimate }, tokens) ?? {
          assembled,
          tokens,
          removedWords: taken,
        }
      );
    }
    if (taken >= candidates.length) {
      return shortfall;
    }
    need = estimate + (tokens - input.budget);
  }
  return shortfall;
}
