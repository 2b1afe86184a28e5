import type { Corpus } from "../segment/index.js";
import { createMatrix, dotRows, normalizeRow } from "../vectors.js";
import type { VectorMatrix } from "../vectors.js";
import { registerSource } from "./registry.js";
import type { MegaToken, MegaTokenLevel, MegaTokenSet } from "./types.js";

/** Segments are cut between units once they hold this many tokens... */
const SEGMENT_MIN_TOKENS = 96;
/** ...preferably near this size... */
const SEGMENT_TARGET_TOKENS = 256;
/** ...and never grow past this, unless one unit alone is larger. */
const SEGMENT_MAX_TOKENS = 512;
/** A document without headings is grouped into sections of about this size. */
const PSEUDO_SECTION_TOKENS = 4096;

/** Inputs of {@link buildMegaTokens}. */
export interface MegaTokenInput {
  readonly corpus: Corpus;
  readonly unitVectors: VectorMatrix;
  readonly unitTokens: Int32Array;
  /** Number of index terms of each unit. */
  readonly unitTermCounts: Int32Array;
  /** Query-independent score of each unit. */
  readonly unitSalience: Float64Array;
  readonly encoderId: string;
  readonly tokenizer: string;
}

interface Group {
  readonly document: number;
  readonly first: number;
  readonly end: number;
}

function isBlockBoundary(corpus: Corpus, unit: number): boolean {
  return corpus.units[unit]?.block !== corpus.units[unit + 1]?.block;
}

/** Picks the end of a segment starting at `start` within `[start, end)`. */
function segmentEnd(input: MegaTokenInput, start: number, end: number): number {
  const { unitTokens, unitVectors, corpus } = input;
  let accumulated = 0;
  let best = -1;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let unit = start; unit < end; unit++) {
    accumulated += unitTokens[unit] as number;
    if (accumulated >= SEGMENT_MAX_TOKENS) {
      return best > 0 ? best : unit + 1;
    }
    if (unit + 1 < end && accumulated >= SEGMENT_MIN_TOKENS) {
      const similarity = dotRows(unitVectors, unit, unitVectors, unit + 1);
      const boundary = isBlockBoundary(corpus, unit) ? 0.3 : 0;
      const distance =
        Math.abs(accumulated - SEGMENT_TARGET_TOKENS) / SEGMENT_TARGET_TOKENS;
      const score = similarity - boundary + 0.5 * distance;
      if (score < bestScore) {
        bestScore = score;
        best = unit + 1;
      }
    }
  }
  return end;
}

/** A `[first, end)` range of units that becomes one section. */
interface UnitRange {
  readonly first: number;
  readonly end: number;
}

function isHeadingOnly(corpus: Corpus, first: number, end: number): boolean {
  for (let unit = first; unit < end; unit++) {
    if (corpus.units[unit]?.kind !== "heading") {
      return false;
    }
  }
  return true;
}

/**
 * Returns the unit ranges of a document's sections. A heading with no text
 * of its own (a book title right above a chapter title) joins the next
 * section, and a run of such headings (a table of contents) becomes one
 * section, so no mega-token stands for a lone title line.
 */
function sectionRanges(corpus: Corpus, document: number): UnitRange[] {
  const entry = corpus.documents[document];
  if (entry === undefined) {
    return [];
  }
  const ranges: UnitRange[] = [];
  let pending: { first: number; end: number; count: number } | undefined;
  for (const section of corpus.sections.slice(
    entry.firstSection,
    entry.endSection,
  )) {
    if (section.endUnit <= section.firstUnit) {
      continue;
    }
    if (isHeadingOnly(corpus, section.firstUnit, section.endUnit)) {
      pending = {
        first: pending?.first ?? section.firstUnit,
        end: section.endUnit,
        count: (pending?.count ?? 0) + 1,
      };
      continue;
    }
    if (pending !== undefined && pending.count >= 2) {
      ranges.push({ first: pending.first, end: pending.end });
      pending = undefined;
    }
    ranges.push({
      first: pending?.first ?? section.firstUnit,
      end: section.endUnit,
    });
    pending = undefined;
  }
  if (pending !== undefined) {
    ranges.push({ first: pending.first, end: pending.end });
  }
  return ranges;
}

/**
 * Cuts each section into contiguous topic segments. A document without
 * headings gets sections of about {@link PSEUDO_SECTION_TOKENS} tokens.
 */
function cutSegments(input: MegaTokenInput): {
  segments: Group[];
  sections: Group[];
} {
  const segments: Group[] = [];
  const sections: Group[] = [];
  const { corpus, unitTokens } = input;
  corpus.documents.forEach((_, document) => {
    const ranges = sectionRanges(corpus, document);
    const hasHeadings =
      ranges.length > 1 ||
      corpus.units[ranges[0]?.first ?? -1]?.kind === "heading";
    for (const range of ranges) {
      let sectionStart = segments.length;
      let sectionTokens = 0;
      for (let start = range.first; start < range.end;) {
        const end = segmentEnd(input, start, range.end);
        segments.push({ document, first: start, end });
        sectionTokens += sumOver(unitTokens, { document, first: start, end });
        start = end;
        if (!hasHeadings && sectionTokens >= PSEUDO_SECTION_TOKENS) {
          sections.push({
            document,
            first: sectionStart,
            end: segments.length,
          });
          sectionStart = segments.length;
          sectionTokens = 0;
        }
      }
      if (segments.length > sectionStart) {
        sections.push({ document, first: sectionStart, end: segments.length });
      }
    }
  });
  return { segments, sections };
}

/**
 * Pools child rows into parent rows: token-weighted sums of the child
 * vectors, normalized. A parent's confidence is the length of the
 * token-weighted mean of its unit-length children (the mean resultant
 * length): 1 when all children point the same way, near 0 when they are
 * unrelated. It equals the weighted mean cosine of the children to the
 * pooled vector.
 */
function poolLevel(
  children: VectorMatrix,
  childTokens: ArrayLike<number>,
  groups: readonly Group[],
): { vectors: VectorMatrix; confidence: Float64Array } {
  const dimension = children.dimension;
  const vectors = createMatrix(groups.length, dimension);
  const confidence = new Float64Array(groups.length);
  const source = children.data;
  const target = vectors.data;
  groups.forEach((group, row) => {
    const to = row * dimension;
    let total = 0;
    for (let child = group.first; child < group.end; child++) {
      const weight = Math.max(1, childTokens[child] as number);
      const from = child * dimension;
      for (let index = 0; index < dimension; index++) {
        target[to + index] =
          (target[to + index] as number) +
          weight * (source[from + index] as number);
      }
      total += weight;
    }
    let squares = 0;
    for (let index = 0; index < dimension; index++) {
      const value = target[to + index] as number;
      squares += value * value;
    }
    // Rounding in float32 sums can push the length a hair above 1.
    confidence[row] = total > 0 ? Math.min(1, Math.sqrt(squares) / total) : 0;
    normalizeRow(vectors, row);
  });
  return { vectors, confidence };
}

function sumOver(values: ArrayLike<number>, group: Group): number {
  let sum = 0;
  for (let index = group.first; index < group.end; index++) {
    sum += values[index] as number;
  }
  return sum;
}

/** Token-weighted mean of child values per group, scaled so the maximum is 1. */
function meanSalience(
  values: ArrayLike<number>,
  tokens: ArrayLike<number>,
  groups: readonly Group[],
): Float64Array {
  const result = new Float64Array(groups.length);
  let max = 0;
  groups.forEach((group, row) => {
    let weighted = 0;
    let total = 0;
    for (let child = group.first; child < group.end; child++) {
      const weight = Math.max(1, tokens[child] as number);
      weighted += weight * (values[child] as number);
      total += weight;
    }
    result[row] = total > 0 ? weighted / total : 0;
    max = Math.max(max, result[row]);
  });
  if (max > 0) {
    result.forEach((value, row) => (result[row] = value / max));
  }
  return result;
}

/** One level of aggregate tokens, ready to be turned into mega-tokens. */
interface Level {
  readonly name: MegaTokenLevel;
  readonly groups: readonly Group[];
  /** Index of the first token of this level in the set. */
  readonly offset: number;
  /** Index of the first token of the level below. */
  readonly childOffset: number;
  readonly vectors: VectorMatrix;
  readonly confidence: Float64Array;
  readonly salience: Float64Array;
  readonly tokens: Int32Array;
  /** Token index of each group's parent. */
  readonly parents: Int32Array;
  /** Unit range `[first, end)` covered by a group. */
  readonly units: (group: Group) => readonly [number, number];
}

// Units have no children; one frozen list serves them all.
const NO_CHILDREN: readonly number[] = Object.freeze([]);

function range(start: number, end: number): number[] {
  const values: number[] = [];
  for (let value = start; value < end; value++) {
    values.push(value);
  }
  return values;
}

/** Maps every child of each group to the token index of that group. */
function parentsOf(
  groups: readonly Group[],
  children: number,
  offset: number,
): Int32Array {
  const parents = new Int32Array(children).fill(-1);
  groups.forEach((group, row) => {
    for (let child = group.first; child < group.end; child++) {
      parents[child] = offset + row;
    }
  });
  return parents;
}

function scaleToMax(values: Float64Array): Float64Array {
  let max = 0;
  values.forEach((value) => (max = Math.max(max, value)));
  if (max > 0) {
    values.forEach((value, index) => (values[index] = value / max));
  }
  return values;
}

function pushLevel(corpus: Corpus, tokens: MegaToken[], level: Level): void {
  const dimension = level.vectors.dimension;
  level.groups.forEach((group, row) => {
    const [firstUnit, endUnit] = level.units(group);
    const document = corpus.documents[group.document];
    const token: MegaToken = {
      index: tokens.length,
      level: level.name,
      documentId: document?.id ?? "",
      spans: [
        {
          start: corpus.units[firstUnit]?.start ?? 0,
          end: corpus.units[endUnit - 1]?.end ?? 0,
        },
      ],
      vector: level.vectors.data.subarray(
        row * dimension,
        (row + 1) * dimension,
      ),
      tokens: level.tokens[row] as number,
      confidence: level.confidence[row] as number,
      salience: level.salience[row] as number,
      parent: level.parents[row] as number,
      children:
        level.name === "unit"
          ? NO_CHILDREN
          : range(
              level.childOffset + group.first,
              level.childOffset + group.end,
            ),
    };
    registerSource(token, document?.text ?? "");
    tokens.push(token);
  });
}

function documentGroupsOf(corpus: Corpus, sections: readonly Group[]): Group[] {
  const groups: Group[] = [];
  let first = 0;
  for (let document = 0; document < corpus.documents.length; document++) {
    let end = first;
    while (end < sections.length && sections[end]?.document === document) {
      end++;
    }
    if (end > first) {
      groups.push({ document, first, end });
    }
    first = end;
  }
  return groups;
}

/**
 * Builds the mega-token hierarchy of a corpus: every unit, contiguous topic
 * segments cut where neighbouring units are least alike (preferably at
 * paragraph breaks), sections at headings (or groups of segments when a
 * document has none) and documents. Vectors are pooled bottom-up, and
 * documents without text get no token.
 */
export function buildMegaTokens(input: MegaTokenInput): MegaTokenSet {
  const { corpus, unitVectors, unitTokens } = input;
  const { segments, sections } = cutSegments(input);
  const documents = documentGroupsOf(corpus, sections);
  const segmentTokens = Int32Array.from(segments, (group) =>
    sumOver(unitTokens, group),
  );
  const sectionTokens = Int32Array.from(sections, (group) =>
    sumOver(segmentTokens, group),
  );
  const documentTokens = Int32Array.from(documents, (group) =>
    sumOver(sectionTokens, group),
  );
  const segmentPool = poolLevel(unitVectors, unitTokens, segments);
  const sectionPool = poolLevel(segmentPool.vectors, segmentTokens, sections);
  const documentPool = poolLevel(sectionPool.vectors, sectionTokens, documents);
  const unitSalience = scaleToMax(new Float64Array(input.unitSalience));
  const segmentSalience = meanSalience(unitSalience, unitTokens, segments);
  const sectionSalience = meanSalience(
    segmentSalience,
    segmentTokens,
    sections,
  );
  const documentSalience = meanSalience(
    sectionSalience,
    sectionTokens,
    documents,
  );
  const sectionOffset = documents.length;
  const segmentOffset = sectionOffset + sections.length;
  const unitOffset = segmentOffset + segments.length;
  const unitOfSegment = (group: Group): readonly [number, number] => [
    group.first,
    group.end,
  ];
  const unitOfSection = (group: Group): readonly [number, number] => [
    (segments[group.first] as Group).first,
    (segments[group.end - 1] as Group).end,
  ];
  const unitOfDocument = (group: Group): readonly [number, number] =>
    unitOfSection({
      document: group.document,
      first: (sections[group.first] as Group).first,
      end: (sections[group.end - 1] as Group).end,
    });
  const unitGroups = corpus.units.map((unit, index) => ({
    document: unit.document,
    first: index,
    end: index + 1,
  }));
  const unitConfidence = Float64Array.from(
    input.unitTermCounts,
    (count) => 1 - 1 / (1 + count),
  );
  const tokens: MegaToken[] = [];
  const levels: Level[] = [
    {
      name: "document",
      groups: documents,
      offset: 0,
      childOffset: sectionOffset,
      vectors: documentPool.vectors,
      confidence: documentPool.confidence,
      salience: documentSalience,
      tokens: documentTokens,
      parents: new Int32Array(documents.length).fill(-1),
      units: unitOfDocument,
    },
    {
      name: "section",
      groups: sections,
      offset: sectionOffset,
      childOffset: segmentOffset,
      vectors: sectionPool.vectors,
      confidence: sectionPool.confidence,
      salience: sectionSalience,
      tokens: sectionTokens,
      parents: parentsOf(documents, sections.length, 0),
      units: unitOfSection,
    },
    {
      name: "segment",
      groups: segments,
      offset: segmentOffset,
      childOffset: unitOffset,
      vectors: segmentPool.vectors,
      confidence: segmentPool.confidence,
      salience: segmentSalience,
      tokens: segmentTokens,
      parents: parentsOf(sections, segments.length, sectionOffset),
      units: unitOfSegment,
    },
    {
      name: "unit",
      groups: unitGroups,
      offset: unitOffset,
      childOffset: unitOffset,
      vectors: unitVectors,
      confidence: unitConfidence,
      salience: unitSalience,
      tokens: unitTokens,
      parents: parentsOf(segments, unitGroups.length, segmentOffset),
      units: unitOfSegment,
    },
  ];
  for (const level of levels) {
    pushLevel(corpus, tokens, level);
  }
  return {
    formatVersion: 1,
    encoder: { id: input.encoderId, dimension: unitVectors.dimension },
    tokenizer: input.tokenizer,
    documents: corpus.documents.map((document) => ({
      id: document.id,
      text: document.text,
    })),
    tokens,
  };
}
