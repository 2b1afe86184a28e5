import type { Range } from "./protected.js";
import { rangeAround } from "./protected.js";
import { trimRange } from "./sentences.js";

/**
 * Tells whether a UTF-16 code unit belongs to a script written without
 * spaces between words (Chinese, Japanese, Thai and others), where BPE
 * tokenizers spend about one token per character.
 */
export function isDenseScriptCode(code: number): boolean {
  return (
    (code >= 0x2e80 && code <= 0x9fff) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xff00 && code <= 0xffef) ||
    (code >= 0x0e00 && code <= 0x0eff) ||
    (code >= 0x1000 && code <= 0x109f) ||
    (code >= 0xd800 && code <= 0xdbff)
  );
}

/** Estimates the tokens of `text[start, end)` without a tokenizer. */
export function estimateTokens(
  text: string,
  start: number,
  end: number,
): number {
  let dense = 0;
  for (let index = start; index < end; index++) {
    if (isDenseScriptCode(text.charCodeAt(index))) {
      dense++;
    }
  }
  return dense + (end - start - dense) / 4;
}

function isWhiteSpace(code: number): boolean {
  return (
    code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x3000
  );
}

// Clause punctuation after which a window cut reads naturally.
const CLAUSE_END = new Set([
  ",",
  ";",
  ":",
  "，",
  "、",
  "；",
  "：",
  "。",
  "）",
  ")",
]);

let graphemeSegmenter: Intl.Segmenter | undefined;

/**
 * Moves `position` back to the nearest grapheme cluster boundary, so a cut
 * never separates a base character from its marks, an emoji from its
 * modifiers or the parts of a joined emoji sequence.
 */
function graphemeBoundaryAtOrBefore(
  text: string,
  position: number,
  floor: number,
): number {
  const from = Math.max(floor, position - 32);
  graphemeSegmenter ??= new Intl.Segmenter(undefined, {
    granularity: "grapheme",
  });
  let boundary = from;
  for (const segment of graphemeSegmenter.segment(
    text.slice(from, Math.min(text.length, position + 32)),
  )) {
    const at = from + segment.index;
    if (at > position) {
      break;
    }
    boundary = at;
  }
  return boundary;
}

/** Returns the first white-space position in `[from, limit)`, or -1. */
function nextWhiteSpace(text: string, from: number, limit: number): number {
  for (let index = from; index < limit; index++) {
    if (isWhiteSpace(text.charCodeAt(index))) {
      return index;
    }
  }
  return -1;
}

/**
 * Picks where to end a window that should end near `target`: after clause
 * punctuation if there is one in the back half, else at white space. In
 * scripts written without spaces it cuts between grapheme clusters; a
 * word in a script with spaces is never cut, so without white space the
 * window grows to the next space, or to `limit`. Never inside an
 * uncuttable range. Returns a position in `(from, limit]`.
 */
function chooseCut(
  text: string,
  from: number,
  target: number,
  limit: number,
  uncuttable: readonly Range[],
): number {
  const lowest = from + Math.max(1, Math.floor((target - from) / 2));
  let spaceCut = -1;
  let clauseCut = -1;
  for (let index = target; index > lowest; index--) {
    const code = text.charCodeAt(index);
    const previous = text[index - 1] ?? "";
    if (isWhiteSpace(code) && !isWhiteSpace(text.charCodeAt(index - 1))) {
      if (spaceCut < 0) {
        spaceCut = index;
      }
      if (CLAUSE_END.has(previous)) {
        clauseCut = index;
        break;
      }
    } else if (CLAUSE_END.has(previous) && isDenseScriptCode(code)) {
      clauseCut = index;
      break;
    }
  }
  let cut = clauseCut >= 0 ? clauseCut : spaceCut;
  if (cut < 0) {
    if (
      isDenseScriptCode(text.charCodeAt(target)) ||
      isDenseScriptCode(text.charCodeAt(target - 1))
    ) {
      cut = graphemeBoundaryAtOrBefore(text, target, from + 1);
    } else {
      const space = nextWhiteSpace(text, target, limit);
      cut = space < 0 ? limit : space;
    }
  }
  const range = rangeAround(uncuttable, cut);
  if (range !== undefined) {
    cut = range.start > from ? range.start : range.end;
  }
  return Math.min(Math.max(cut, from + 1), limit);
}

/**
 * Appends `range` to `out`, cut into windows of about `targetTokens`
 * estimated tokens when it is longer than `maxTokens`. A single sentence
 * of thousands of tokens (a log line, a list without full stops) becomes
 * several selectable windows instead of one unit that never fits. The cost
 * is linear in the length of the range.
 */
export function pushWindows(
  text: string,
  range: Range,
  uncuttable: readonly Range[],
  maxTokens: number,
  targetTokens: number,
  out: Range[],
): void {
  if (
    range.end - range.start <= maxTokens ||
    estimateTokens(text, range.start, range.end) <= maxTokens
  ) {
    out.push(range);
    return;
  }
  let from = range.start;
  while (from < range.end) {
    let accumulated = 0;
    let index = from;
    while (index < range.end && accumulated < targetTokens) {
      accumulated += isDenseScriptCode(text.charCodeAt(index)) ? 1 : 0.25;
      index++;
    }
    // A short tail joins the window before it instead of standing alone.
    const tail = Math.min(range.end, index + targetTokens * 4);
    if (
      index >= range.end ||
      (tail === range.end &&
        estimateTokens(text, index, range.end) < targetTokens / 4)
    ) {
      pushTrimmed(text, from, range.end, out);
      return;
    }
    const cut = chooseCut(text, from, index, range.end, uncuttable);
    pushTrimmed(text, from, cut, out);
    from = cut;
  }
}

function pushTrimmed(
  text: string,
  start: number,
  end: number,
  out: Range[],
): void {
  const trimmed = trimRange(text, start, end);
  if (trimmed !== undefined) {
    out.push(trimmed);
  }
}
