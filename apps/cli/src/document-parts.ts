import type { CompressResult } from "@retrieval-free/core-engine";

/**
 * Finds the part of the compressed text that each document produced, from
 * its first kept span to its last with the separators between them.
 * Returns a map from document id to that text, without the documents of
 * which nothing was kept.
 *
 * The output is the spans in order joined by separators, so each span is
 * found by searching forward from the end of the previous one. Returns
 * undefined if a span cannot be found that way, which would mean that the
 * text does not follow that layout.
 */
export function splitByDocument(
  result: Pick<CompressResult, "text" | "spans">,
): Map<string, string> | undefined {
  const bounds = new Map<string, { start: number; end: number }>();
  let cursor = 0;
  for (const span of result.spans) {
    const start = result.text.indexOf(span.text, cursor);
    if (start < 0) {
      return undefined;
    }
    cursor = start + span.text.length;
    const known = bounds.get(span.documentId);
    if (known === undefined) {
      bounds.set(span.documentId, { start, end: cursor });
    } else {
      known.end = cursor;
    }
  }
  const parts = new Map<string, string>();
  for (const [id, { start, end }] of bounds) {
    parts.set(id, result.text.slice(start, end));
  }
  return parts;
}
