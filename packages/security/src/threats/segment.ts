import type { TextSpan } from "./normalize/mapped-text.js";

/**
 * Maximum length of a slice handed to the sentence segmenter in one call,
 * so memory per call stays bounded and the work stays linear in the input
 * length.
 */
export const MAX_SLICE_LENGTH = 8192;

/**
 * Cuts `text` into consecutive slices of at most `maxLength` code units.
 * A cut falls after the last line break in the second half of the slice,
 * else after the last white space there, else at the limit, and never
 * inside a surrogate pair.
 */
export function boundedSlices(
  text: string,
  maxLength = MAX_SLICE_LENGTH,
): TextSpan[] {
  const slices: TextSpan[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + maxLength, text.length);
    if (end < text.length) {
      end = cutPoint(text, start, end);
    }
    slices.push({ start, end });
    start = end;
  }
  return slices;
}

function cutPoint(text: string, start: number, limit: number): number {
  const half = start + Math.floor((limit - start) / 2);
  const newline = text.lastIndexOf("\n", limit - 1);
  if (newline >= half) {
    return newline + 1;
  }
  for (let index = limit - 1; index >= half; index--) {
    if (/\s/u.test(text.charAt(index))) {
      return index + 1;
    }
  }
  const code = text.charCodeAt(limit - 1);
  // A high surrogate at the end would split a character in two.
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}

const SEGMENTER = new Intl.Segmenter("en", { granularity: "sentence" });

/**
 * A sentence end that UAX #29 leaves unbroken because the next word starts
 * in lower case, as in informal text ("done. now do this"). The word
 * before the stop must have three or more letters, so "e.g. this" stays.
 */
const LOWER_CASE_START = /(?<=[\p{L}\p{N})\]"'”’]{3}[.!?])\s+(?=\p{Ll})/gu;

/** Maximum length of a sentence; a longer one is cut at white space. */
export const MAX_SENTENCE_LENGTH = 1000;

/** Splits one segment further at lower-case sentence starts and by length. */
function refineSegment(start: number, text: string): TextSpan[] {
  const spans: TextSpan[] = [];
  let from = 0;
  const cuts = [...text.matchAll(LOWER_CASE_START)].map((match) => ({
    end: match.index,
    next: match.index + match[0].length,
  }));
  cuts.push({ end: text.length, next: text.length });
  for (const cut of cuts) {
    let piece = from;
    while (cut.end - piece > MAX_SENTENCE_LENGTH) {
      const limit = piece + MAX_SENTENCE_LENGTH;
      const space = text.lastIndexOf(" ", limit);
      const end = space > piece + MAX_SENTENCE_LENGTH / 2 ? space : limit;
      spans.push({ start: start + piece, end: start + end });
      piece = end;
    }
    spans.push({ start: start + piece, end: start + cut.end });
    from = cut.next;
  }
  return spans;
}

/**
 * Splits `text` into sentences with `Intl.Segmenter` (Unicode UAX #29
 * rules, which also break after line breaks), one bounded slice at a
 * time, then at sentence stops followed by a lower-case word, and cuts
 * sentences longer than {@link MAX_SENTENCE_LENGTH} at white space. Each
 * span is trimmed of surrounding white space; empty sentences are left
 * out.
 */
export function splitSentences(text: string): TextSpan[] {
  const sentences: TextSpan[] = [];
  for (const slice of boundedSlices(text)) {
    const part = text.slice(slice.start, slice.end);
    for (const segment of SEGMENTER.segment(part)) {
      const start = slice.start + segment.index;
      for (const span of refineSegment(start, segment.segment)) {
        const piece = text.slice(span.start, span.end);
        const leading = piece.length - piece.trimStart().length;
        const length = piece.trim().length;
        if (length > 0) {
          sentences.push({
            start: span.start + leading,
            end: span.start + leading + length,
          });
        }
      }
    }
  }
  return sentences;
}

/**
 * Returns the index of the sentence that contains `offset`, or of the last
 * sentence that starts before it; -1 when none does.
 */
export function sentenceAt(
  sentences: readonly TextSpan[],
  offset: number,
): number {
  let low = 0;
  let high = sentences.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((sentences[middle]?.start ?? 0) <= offset) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}
