import type { Corpus } from "./segment/index.js";
import { findPattern, findProtectedClass } from "./segment/protected.js";
import type { ProtectedClass, Range } from "./segment/protected.js";

/**
 * Marks the units that overlap a match of any `preserve` entry. A match
 * that spans several units marks all of them, so it is kept whole.
 */
export function markPreservedUnits(
  corpus: Corpus,
  preserve: readonly (RegExp | ProtectedClass)[],
): Uint8Array {
  const mandatory = new Uint8Array(corpus.units.length);
  if (preserve.length === 0) {
    return mandatory;
  }
  for (const document of corpus.documents) {
    const matches: Range[] = [];
    for (const entry of preserve) {
      const found =
        typeof entry === "string"
          ? findProtectedClass(document.text, entry)
          : findPattern(document.text, entry);
      matches.push(...found);
    }
    matches.sort((a, b) => a.start - b.start);
    let unit = document.firstUnit;
    for (const match of matches) {
      while (
        unit < document.endUnit &&
        (corpus.units[unit]?.end ?? 0) <= match.start
      ) {
        unit++;
      }
      for (let covering = unit; covering < document.endUnit; covering++) {
        const entry = corpus.units[covering];
        if (entry === undefined || entry.start >= match.end) {
          break;
        }
        mandatory[covering] = 1;
      }
    }
  }
  return mandatory;
}
