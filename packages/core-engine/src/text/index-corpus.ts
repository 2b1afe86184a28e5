import type { Corpus, Unit } from "../segment/index.js";
import { isBuiltInTokenizer, isChunkingTokenCounter } from "../tokenizer.js";
import type { TokenCounter } from "../tokenizer.js";
import { chunkToTerms, DigitJoiner, WORD_PATTERN } from "./terms.js";
import type { TermIndex } from "./terms.js";

/** Token counts and index terms of a corpus. */
export interface CorpusIndex {
  /** Tokens of each unit: the tokenizer chunks whose first non-space character lies in it. */
  readonly unitTokens: Int32Array;
  /** Tokens of each document's full text. */
  readonly documentTokens: Int32Array;
  readonly terms: TermIndex;
}

/** Token count and terms of one distinct chunk, computed once. */
interface ChunkEntry {
  /**
   * Term ids in the shared vocabulary: -1 for none, the id itself for one
   * (most chunks), or a list for a run of CJK characters.
   */
  readonly ids: number | readonly number[];
  readonly digits: string | undefined;
  /** o200k_base tokens of the chunk, or -1 until first needed. */
  tokens: number;
}

/**
 * Vocabulary and chunk analyses shared by all requests, so a warm process
 * analyses each distinct chunk once. A request keeps references to the
 * objects it started with, so replacing the table when it grows too large
 * never changes the ids of a request in flight.
 */
interface SharedTable {
  readonly vocabulary: string[];
  readonly idByTerm: Map<string, number>;
  readonly entries: Map<string, ChunkEntry>;
}

/** Characters between two progress reports. */
const PROGRESS_STEP = 262_144;

/** Distinct terms after which the shared table starts afresh. */
const MAX_SHARED_TERMS = 60_000;
/** Distinct chunks after which the shared table starts afresh. */
const MAX_SHARED_CHUNKS = 120_000;

function createSharedTable(): SharedTable {
  return { vocabulary: [], idByTerm: new Map(), entries: new Map() };
}

let sharedTable = createSharedTable();

function currentSharedTable(): SharedTable {
  if (
    sharedTable.vocabulary.length > MAX_SHARED_TERMS ||
    sharedTable.entries.size > MAX_SHARED_CHUNKS
  ) {
    sharedTable = createSharedTable();
  }
  return sharedTable;
}

function intern(table: SharedTable, term: string): number {
  let id = table.idByTerm.get(term);
  if (id === undefined) {
    id = table.vocabulary.length;
    table.vocabulary.push(term);
    table.idByTerm.set(term, id);
  }
  return id;
}

function entryOf(table: SharedTable, chunk: string): ChunkEntry {
  let entry = table.entries.get(chunk);
  if (entry === undefined) {
    const { terms, digits } = chunkToTerms(chunk);
    entry = {
      ids:
        terms.length === 0
          ? -1
          : terms.length === 1
            ? intern(table, terms[0] as string)
            : terms.map((term) => intern(table, term)),
      digits,
      tokens: -1,
    };
    table.entries.set(chunk, entry);
  }
  return entry;
}

/** A growable list of 32-bit integers. */
class IntList {
  values: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.values = new Int32Array(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Int32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
}

const FIRST_WORD_CHARACTER = /[\p{L}\p{N}]/u;

function isAsciiLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

/**
 * Offset of the character that places a chunk in a unit: its first letter
 * or digit, so " Hello" belongs to the unit that starts with "Hello" and
 * "。今天" to the sentence that starts with "今". A chunk without letters or
 * digits is placed by its start: a line break inside a hard-wrapped
 * sentence belongs to the sentence.
 */
function anchorOf(chunk: string): number {
  if (isAsciiLetter(chunk.charCodeAt(0))) {
    return 0;
  }
  if (chunk.charCodeAt(0) === 32 && isAsciiLetter(chunk.charCodeAt(1))) {
    return 1;
  }
  const match = FIRST_WORD_CHARACTER.exec(chunk);
  return match === null ? 0 : match.index;
}

/**
 * Walks the chunks of a text in order and finds, for each, the unit that
 * contains its first non-space character; chunks in the gaps between units
 * (white space, Markdown syntax) belong to none.
 */
class UnitCursor {
  private unit: number;

  constructor(
    private readonly units: readonly Unit[],
    first: number,
    private readonly end: number,
  ) {
    this.unit = first;
  }

  /** Returns the unit containing `position`, or -1. Positions must not decrease. */
  find(position: number): number {
    while (
      this.unit < this.end &&
      (this.units[this.unit] as Unit).end <= position
    ) {
      this.unit++;
    }
    const unit = this.units[this.unit];
    return unit !== undefined && this.unit < this.end && unit.start <= position
      ? this.unit
      : -1;
  }
}

class TermCollector {
  readonly termIds: IntList;
  readonly unitOffsets: Int32Array;
  private nextOffset = 0;
  private unit = -1;
  private readonly joiner = new DigitJoiner();

  constructor(
    private readonly table: SharedTable,
    units: number,
  ) {
    this.termIds = new IntList(units * 8);
    this.unitOffsets = new Int32Array(units + 1);
  }

  /** Moves to `unit`, closing the previous one. */
  enter(unit: number): void {
    if (unit === this.unit) {
      return;
    }
    this.flushDigits();
    while (this.nextOffset <= unit) {
      this.unitOffsets[this.nextOffset++] = this.termIds.length;
    }
    this.unit = unit;
  }

  add(entry: ChunkEntry, start: number, end: number): void {
    if (entry.digits !== undefined) {
      const finished = this.joiner.add(entry.digits, start, end);
      if (finished !== undefined) {
        this.termIds.push(intern(this.table, finished));
      }
      return;
    }
    const ids = entry.ids;
    if (typeof ids === "number") {
      if (ids >= 0) {
        this.flushDigits();
        this.termIds.push(ids);
      }
      return;
    }
    this.flushDigits();
    for (const id of ids) {
      this.termIds.push(id);
    }
  }

  flushDigits(): void {
    const pending = this.joiner.flush();
    if (pending !== undefined) {
      this.termIds.push(intern(this.table, pending));
    }
  }

  /**
   * Closes the last unit and returns the terms with ids local to this
   * corpus, numbered in order of first use, so later stages size their
   * arrays by this corpus and not by the shared vocabulary.
   */
  finish(units: number): TermIndex {
    this.flushDigits();
    while (this.nextOffset <= units) {
      this.unitOffsets[this.nextOffset++] = this.termIds.length;
    }
    const localOf = new Map<number, number>();
    const vocabulary: string[] = [];
    const termIds = this.termIds.values.subarray(0, this.termIds.length);
    for (let at = 0; at < termIds.length; at++) {
      const shared = termIds[at] as number;
      let local = localOf.get(shared);
      if (local === undefined) {
        local = vocabulary.length;
        vocabulary.push(this.table.vocabulary[shared] as string);
        localOf.set(shared, local);
      }
      termIds[at] = local;
    }
    return {
      vocabulary,
      idByTerm: new Map(vocabulary.map((term, id) => [term, id])),
      termIds,
      unitOffsets: this.unitOffsets,
    };
  }
}

/**
 * Steps through the chunks of {@link WORD_PATTERN} in a text. The pattern
 * matches every character, so each chunk starts where the previous one
 * ended, and a sticky match there finds it without the match object a
 * global search allocates for each of a book's million chunks.
 */
class ChunkScanner {
  private readonly sticky = new RegExp(WORD_PATTERN.source, "uy");
  private readonly search = new RegExp(WORD_PATTERN.source, "gu");
  start = 0;
  end = 0;

  constructor(private readonly text: string) {}

  /** Moves to the next chunk; returns false at the end of the text. */
  next(): boolean {
    const from = this.end;
    if (from >= this.text.length) {
      return false;
    }
    this.sticky.lastIndex = from;
    if (this.sticky.test(this.text)) {
      this.start = from;
      this.end = this.sticky.lastIndex;
      return true;
    }
    // Text that the pattern skips, should a character match no alternative.
    this.search.lastIndex = from;
    const match = this.search.exec(this.text);
    if (match === null) {
      this.end = this.text.length;
      return false;
    }
    this.start = match.index;
    this.end = match.index + match[0].length;
    return true;
  }
}

/**
 * Shares the tokens of a chunk that runs past the end of its unit among
 * the units it overlaps, by characters: a window cut inside a long run of
 * CJK or Thai text, which the tokenizer encodes as one chunk, gets its part.
 */
function spreadTokens(
  units: readonly Unit[],
  first: number,
  end: number,
  chunkStart: number,
  chunkEnd: number,
  tokens: number,
  unitTokens: Int32Array,
): void {
  const length = chunkEnd - chunkStart;
  let given = 0;
  let last = first;
  for (let unit = first; unit < end; unit++) {
    const entry = units[unit] as Unit;
    if (entry.start >= chunkEnd) {
      break;
    }
    const overlap =
      Math.min(entry.end, chunkEnd) - Math.max(entry.start, chunkStart);
    const share = Math.floor((tokens * Math.max(0, overlap)) / length);
    unitTokens[unit] = (unitTokens[unit] as number) + share;
    given += share;
    last = unit;
  }
  unitTokens[last] = (unitTokens[last] as number) + tokens - given;
}

/**
 * Counts tokens and extracts index terms of every unit. When the target
 * tokenizer is o200k_base, whose pre-tokenizer also cuts words for
 * indexing, one pass over each document does both, with every distinct
 * chunk analysed once. Other tokenizers count in a pass of their own.
 */
export function indexCorpus(
  corpus: Corpus,
  counter: TokenCounter,
  onProgress: (characters: number, total: number) => void,
): CorpusIndex {
  const units = corpus.units;
  const unitTokens = new Int32Array(units.length);
  const documentTokens = new Int32Array(corpus.documents.length);
  const shared = isBuiltInTokenizer(counter, "o200k_base")
    ? counter
    : undefined;
  const table = currentSharedTable();
  const collector = new TermCollector(table, units.length);
  const totalCharacters = corpus.documents.reduce(
    (sum, document) => sum + document.text.length,
    0,
  );
  let done = 0;
  corpus.documents.forEach((document, index) => {
    let nextReport = PROGRESS_STEP;
    const cursor = new UnitCursor(units, document.firstUnit, document.endUnit);
    const text = document.text;
    let total = 0;
    const scanner = new ChunkScanner(text);
    while (scanner.next()) {
      const chunkStart = scanner.start;
      const chunk = text.slice(chunkStart, scanner.end);
      if (chunkStart >= nextReport) {
        onProgress(done + chunkStart, totalCharacters);
        nextReport = chunkStart + PROGRESS_STEP;
      }
      const entry = entryOf(table, chunk);
      if (shared !== undefined && entry.tokens < 0) {
        entry.tokens = shared.countChunk(chunk);
      }
      const tokens = shared === undefined ? 0 : entry.tokens;
      total += tokens;
      const anchor = anchorOf(chunk);
      const unit = cursor.find(chunkStart + anchor);
      if (unit < 0) {
        continue;
      }
      const end = scanner.end;
      if (end > (units[unit] as Unit).end) {
        spreadTokens(
          units,
          unit,
          document.endUnit,
          chunkStart,
          end,
          tokens,
          unitTokens,
        );
      } else {
        unitTokens[unit] = (unitTokens[unit] as number) + tokens;
      }
      collector.enter(unit);
      collector.add(entry, end - (entry.digits?.length ?? 0), end);
    }
    documentTokens[index] =
      shared !== undefined
        ? total
        : countSeparately(corpus, index, counter, unitTokens);
    done += text.length;
    onProgress(done, totalCharacters);
  });
  return { unitTokens, documentTokens, terms: collector.finish(units.length) };
}

/**
 * Counts a document's units and whole text with a tokenizer other than
 * o200k_base: in one pass of its own chunks when it exposes them, else
 * one call per unit and one for the document. Returns the document count.
 */
function countSeparately(
  corpus: Corpus,
  index: number,
  counter: TokenCounter,
  unitTokens: Int32Array,
): number {
  const document = corpus.documents[index];
  if (document === undefined) {
    return 0;
  }
  if (!isChunkingTokenCounter(counter)) {
    for (let unit = document.firstUnit; unit < document.endUnit; unit++) {
      const entry = corpus.units[unit] as Unit;
      unitTokens[unit] = counter.count(
        document.text.slice(entry.start, entry.end),
      );
    }
    return counter.count(document.text);
  }
  const cursor = new UnitCursor(
    corpus.units,
    document.firstUnit,
    document.endUnit,
  );
  const pattern = new RegExp(counter.splitPattern.source, "gu");
  let total = 0;
  for (const match of document.text.matchAll(pattern)) {
    const tokens = counter.countChunk(match[0]);
    total += tokens;
    const unit = cursor.find(match.index + anchorOf(match[0]));
    const end = match.index + match[0].length;
    if (unit >= 0 && end > (corpus.units[unit] as Unit).end) {
      spreadTokens(
        corpus.units,
        unit,
        document.endUnit,
        match.index,
        end,
        tokens,
        unitTokens,
      );
    } else if (unit >= 0) {
      unitTokens[unit] = (unitTokens[unit] as number) + tokens;
    }
  }
  return total;
}
