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

/**
 * Maximum length of a sentence. A longer one is read in windows of at
 * most this length, cut at white space.
 */
export const MAX_SENTENCE_LENGTH = 1000;

/**
 * Code units that consecutive windows of a long sentence share, so a
 * phrase of up to this length that a window end cuts is read whole in the
 * next window.
 */
export const SENTENCE_OVERLAP = 200;

/** Moves an offset back by one where it would split a surrogate pair. */
function onCharacter(text: string, offset: number): number {
  const code = text.charCodeAt(offset);
  return code >= 0xdc00 && code <= 0xdfff ? offset - 1 : offset;
}

/**
 * Cuts a long piece into overlapping windows. Each window ends at the
 * last space of its second half, else at the length limit, and the next
 * starts {@link SENTENCE_OVERLAP} code units earlier, after a space.
 */
function windowsOf(text: string, from: number, to: number): TextSpan[] {
  const windows: TextSpan[] = [];
  let piece = from;
  while (to - piece > MAX_SENTENCE_LENGTH) {
    const limit = piece + MAX_SENTENCE_LENGTH;
    const space = text.lastIndexOf(" ", limit);
    const end = onCharacter(
      text,
      space > piece + MAX_SENTENCE_LENGTH / 2 ? space : limit,
    );
    windows.push({ start: piece, end });
    const back = end - SENTENCE_OVERLAP;
    const after = text.indexOf(" ", back);
    piece = onCharacter(text, after >= 0 && after < end ? after + 1 : back);
  }
  windows.push({ start: piece, end: to });
  return windows;
}

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
    for (const window of windowsOf(text, from, cut.end)) {
      spans.push({ start: start + window.start, end: start + window.end });
    }
    from = cut.next;
  }
  return spans;
}

/**
 * Tells whether the segmenter needs to see a line break: not when it
 * joins two non-blank lines (a wrapped sentence), nor when it follows
 * another line break (a run of blank lines, of which the first break
 * ends the paragraph).
 */
function isHardBreak(text: string, at: number, length: number): boolean {
  let before = at - 1;
  while (text.charAt(before) === " " || text.charAt(before) === "\t") {
    before--;
  }
  let after = at + length;
  while (text.charAt(after) === " " || text.charAt(after) === "\t") {
    after++;
  }
  const previous = text.charAt(before);
  if (previous === "\n" || previous === "\r") {
    return false;
  }
  return previous === "" || /^[\r\n]?$/u.test(text.charAt(after));
}

/**
 * Returns the text with each single line break (`\n`, `\r` or `\r\n`)
 * between two non-blank lines written as spaces, so a sentence wrapped
 * over lines is segmented as one sentence. A blank line still ends a
 * paragraph. Every break after the first of a run is written as a space
 * too, so that a flood of empty lines is not one segment per line. The
 * length stays the same, so offsets still apply.
 */
export function joinWrappedLines(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  for (const match of text.matchAll(/\r\n|\n|\r/gu)) {
    if (!isHardBreak(text, match.index, match[0].length)) {
      parts.push(text.slice(copied, match.index), " ".repeat(match[0].length));
      copied = match.index + match[0].length;
    }
  }
  parts.push(text.slice(copied));
  return parts.join("");
}

/**
 * An exclamation or question mark with a character right after it that
 * cannot follow a sentence end, as in `/*!50000UNION` or `a!=b`.
 */
const INNER_STOP = /[!?](?=[^\s"'\u201D\u2019)\]!?])/gu;

/**
 * Returns the text with each {@link INNER_STOP} written as `_`, because
 * UAX #29 ends a sentence after `!` or `?` even inside a word, which
 * would cut code apart. The length stays the same.
 */
export function hideInnerStops(text: string): string {
  return text.replace(INNER_STOP, "_");
}

/**
 * Splits `text` into sentences with `Intl.Segmenter` (Unicode UAX #29
 * rules), one bounded slice at a time, then at sentence stops followed by
 * a lower-case word. A single line break inside a sentence is read as a
 * space, a blank line ends a sentence, and `!` or `?` ends one only
 * before white space, a quote, a bracket or the end. A sentence longer than
 * {@link MAX_SENTENCE_LENGTH} becomes overlapping windows, so spans may
 * overlap; they are sorted by start and by end. Each span is trimmed of
 * surrounding white space; empty sentences are left out.
 */
export function splitSentences(text: string): TextSpan[] {
  const sentences: TextSpan[] = [];
  for (const slice of boundedSlices(text)) {
    const part = hideInnerStops(
      joinWrappedLines(text.slice(slice.start, slice.end)),
    );
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
