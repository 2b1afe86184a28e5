import { segmentDocuments } from "../segment/index.js";
import type { Corpus, UnitKind } from "../segment/index.js";
import type { DocumentFormat } from "../types.js";

/** A unit of a segmented document with its text. */
export interface SegmentedUnit {
  readonly kind: UnitKind;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** Index of the unit this one requires, or -1. */
  readonly requires: number;
}

/** Segments one document and returns the corpus and its units' texts. */
export function segmentText(
  text: string,
  format: DocumentFormat,
): { corpus: Corpus; units: SegmentedUnit[] } {
  const corpus = segmentDocuments([{ id: "doc", text, format }]);
  const units = corpus.units.map((unit) => ({
    kind: unit.kind,
    start: unit.start,
    end: unit.end,
    text: text.slice(unit.start, unit.end),
    requires: unit.requires,
  }));
  return { corpus, units };
}

/** Returns the texts of the units of one segmented document. */
export function unitTexts(text: string, format: DocumentFormat): string[] {
  return segmentText(text, format).units.map((unit) => unit.text);
}

/**
 * Returns the positions strictly inside `[start, end)` where a unit of
 * the corpus starts or ends, that is the cuts that split the range.
 */
export function cutsInside(
  corpus: Corpus,
  start: number,
  end: number,
): number[] {
  const cuts: number[] = [];
  for (const unit of corpus.units) {
    for (const position of [unit.start, unit.end]) {
      if (position > start && position < end) {
        cuts.push(position);
      }
    }
  }
  return cuts;
}
