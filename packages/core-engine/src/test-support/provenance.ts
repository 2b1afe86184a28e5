import type { CompressResult } from "../types.js";

/** A source document as the caller passed it. */
export interface SourceDocument {
  readonly id: string;
  readonly text: string;
}

/**
 * Lists every way the spans of a result break provenance. A span must
 * equal `source.slice(start, end)` of the document named by its
 * `documentId`, with offsets inside the document and not inside a
 * surrogate pair. Spans of one document must not overlap and must be in
 * order, documents must follow the input order, and each span text must
 * appear in `result.text` in order. Returns an empty list when all hold.
 */
export function findProvenanceProblems(
  result: Pick<CompressResult, "spans" | "text">,
  documents: readonly SourceDocument[],
): string[] {
  const problems: string[] = [];
  const order = new Map(
    documents.map((document, index) => [document.id, index]),
  );
  let previousDocument = -1;
  let previousEnd = 0;
  let searchFrom = 0;
  result.spans.forEach((span, index) => {
    const label = `span ${index} (${span.documentId} ${span.start}-${span.end})`;
    const documentIndex = order.get(span.documentId);
    const source = documents[documentIndex ?? -1];
    if (documentIndex === undefined || source === undefined) {
      problems.push(`${label} names an unknown document`);
      return;
    }
    if (
      !Number.isInteger(span.start) ||
      !Number.isInteger(span.end) ||
      span.start < 0 ||
      span.end > source.text.length ||
      span.start >= span.end
    ) {
      problems.push(`${label} has offsets outside its document`);
      return;
    }
    if (source.text.slice(span.start, span.end) !== span.text) {
      problems.push(`${label} text differs from its source slice`);
    }
    if (splitsSurrogatePair(source.text, span.start)) {
      problems.push(`${label} starts inside a surrogate pair`);
    }
    if (splitsSurrogatePair(source.text, span.end)) {
      problems.push(`${label} ends inside a surrogate pair`);
    }
    if (documentIndex < previousDocument) {
      problems.push(`${label} comes after a span of a later document`);
    } else if (documentIndex === previousDocument && span.start < previousEnd) {
      problems.push(`${label} overlaps or precedes the previous span`);
    }
    previousDocument = documentIndex;
    previousEnd = span.end;
    const found = result.text.indexOf(span.text, searchFrom);
    if (found < 0) {
      problems.push(`${label} text is missing from the output in order`);
    } else {
      searchFrom = found + span.text.length;
    }
  });
  return problems;
}

/** Tells whether a cut at `position` falls between two halves of a pair. */
export function splitsSurrogatePair(text: string, position: number): boolean {
  const before = text.charCodeAt(position - 1);
  const after = text.charCodeAt(position);
  return (
    before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff
  );
}

/**
 * Tells whether a kept span cuts the range `[start, end)`: it overlaps the
 * range without covering it whole.
 */
export function spansCutRange(
  spans: CompressResult["spans"],
  documentId: string,
  start: number,
  end: number,
): boolean {
  return spans.some(
    (span) =>
      span.documentId === documentId &&
      span.start < end &&
      span.end > start &&
      (span.start > start || span.end < end),
  );
}

/** Tells whether some kept span covers the range `[start, end)` whole. */
export function spansCoverRange(
  spans: CompressResult["spans"],
  documentId: string,
  start: number,
  end: number,
): boolean {
  return spans.some(
    (span) =>
      span.documentId === documentId && span.start <= start && span.end >= end,
  );
}
