import type { Range } from "./protected.js";
import { rangeAround } from "./protected.js";

// Titles and abbreviations after which a full stop does not end a sentence.
const ALWAYS_ABBREVIATED = new Set([
  "Mr",
  "Mrs",
  "Ms",
  "Mx",
  "Dr",
  "Prof",
  "St",
  "Sr",
  "Jr",
  "Mt",
  "Messrs",
  "Mme",
  "Mmes",
  "Mlle",
  "Gen",
  "Col",
  "Capt",
  "Lt",
  "Sgt",
  "Cpl",
  "Pvt",
  "Maj",
  "Adm",
  "Cmdr",
  "Gov",
  "Sen",
  "Rep",
  "Rev",
  "Hon",
  "Pres",
  "Fr",
  "Supt",
  "Insp",
  "vs",
  "cf",
  "al",
  "approx",
  "ca",
  "viz",
  "resp",
  "Fig",
  "fig",
  "Figs",
  "figs",
  "Vol",
  "vol",
  "Vols",
  "Eq",
  "eq",
  "Ch",
  "ch",
  "Sec",
  "sec",
  "Dept",
  "dept",
  "Univ",
  "est",
]);

// Abbreviations that do not end a sentence when a number follows them.
const ABBREVIATED_BEFORE_NUMBER = new Set([
  "No",
  "no",
  "Nos",
  "nos",
  "Nr",
  "p",
  "pp",
  "Art",
  "art",
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Sept",
  "Oct",
  "Nov",
  "Dec",
]);

// The word before a final full stop, when it is a whole word: the "B" of
// "KX-4471-B." is part of an id, not an initial.
const LAST_WORD_BEFORE_STOP =
  /(?<![\p{L}\p{N}\-_/])([\p{L}.]+)\.[)\]"'’”]*\s*$/u;
// A list marker alone ("1.", "b)", "iv.") is not a sentence.
const LIST_MARKER_ONLY = /^\s*\(?(?:\d{1,3}|[a-z]|[ivxlcdm]{1,6})[.)]\s*$/iu;
const CLOSING_OR_SPACE = new Set([
  " ",
  "\t",
  "\n",
  "\r",
  "\u00a0",
  ")",
  "]",
  '"',
  "'",
  "’",
  "”",
]);
const DOTTED_ACRONYM = /^(?:\p{L}\.)+\p{L}$/u;
const SINGLE_CAPITAL = /^\p{Lu}$/u;
const FIRST_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const LOWERCASE = /\p{Ll}/u;
const UPPERCASE = /\p{Lu}/u;
const DIGIT = /\p{N}/u;

// A line that starts with a list marker or a speaker label starts a new
// sentence even inside a hard-wrapped paragraph.
// Speaker labels are one to three capitalized words ("JOHN:", "Dr. Smith:",
// "Speaker 2:"), so a wrapped line such as "English ambassador and his
// wife: both" does not start a sentence. Sticky, to test at a line start.
const HARD_LINE_START =
  /[ \t]*(?:[-*•+‣◦▪]|\(?\d{1,3}[.)]|\(?[a-z][.)]|\p{Lu}[\p{L}.'’-]*(?:[ \t]\p{Lu}[\p{L}.'’-]*){0,2}(?:[ \t]\d{1,3})?:)[ \t]/uy;

// Characters after which Intl.Segmenter may end a sentence (UAX #29 STerm
// and ATerm, the common ones) and the separators it always breaks after.
const SENTENCE_TERMINAL = /[.!?。！？｡．‼‽⁇⁈⁉؟।॥\u0085\u2028\u2029]/u;

let sentenceSegmenter: Intl.Segmenter | undefined;

function getSegmenter(): Intl.Segmenter {
  sentenceSegmenter ??= new Intl.Segmenter(undefined, {
    granularity: "sentence",
  });
  return sentenceSegmenter;
}

function firstMatch(text: string, pattern: RegExp): string {
  const match = pattern.exec(text);
  return match === null ? "" : match[0];
}

/** Tells whether text ends with a full stop, maybe inside closing quotes. */
function endsWithFullStop(text: string): boolean {
  let index = text.length - 1;
  while (index >= 0 && CLOSING_OR_SPACE.has(text[index] ?? "")) {
    index--;
  }
  return text[index] === ".";
}

/**
 * Tells whether a sentence break between `before` and `after` is a false
 * one: after a list marker, an abbreviation, an initial or a dotted
 * acronym, or before a lowercase word. `before` is the sentence so far, or
 * its last few dozen characters.
 */
export function isFalseSentenceBreak(before: string, after: string): boolean {
  if (LIST_MARKER_ONLY.test(before)) {
    return true;
  }
  const next = firstMatch(after, FIRST_LETTER_OR_DIGIT);
  if (next !== "" && LOWERCASE.test(next)) {
    return true;
  }
  if (!endsWithFullStop(before)) {
    return false;
  }
  const match = LAST_WORD_BEFORE_STOP.exec(before.slice(-40));
  if (match === null) {
    return false;
  }
  const word = match[1] ?? "";
  if (ALWAYS_ABBREVIATED.has(word) || DOTTED_ACRONYM.test(word)) {
    return true;
  }
  if (SINGLE_CAPITAL.test(word)) {
    return UPPERCASE.test(next);
  }
  return ABBREVIATED_BEFORE_NUMBER.has(word) && DIGIT.test(next);
}

function isSpace(code: number): boolean {
  return (
    code === 32 ||
    (code >= 9 && code <= 13) ||
    code === 0xa0 ||
    code === 0x3000 ||
    code === 0xfeff ||
    (code >= 0x2000 && code <= 0x200b) ||
    code === 0x202f ||
    code === 0x2028 ||
    code === 0x2029
  );
}

/** Moves `start` forward and `end` back past white space. */
export function trimRange(
  text: string,
  start: number,
  end: number,
): Range | undefined {
  let from = start;
  let to = end;
  while (from < to && isSpace(text.charCodeAt(from))) {
    from++;
  }
  while (to > from && isSpace(text.charCodeAt(to - 1))) {
    to--;
  }
  return to > from ? { start: from, end: to } : undefined;
}

/** Offsets where a line inside `[start, end)` starts a new sentence. */
function hardLineBreaks(text: string, start: number, end: number): number[] {
  const breaks: number[] = [];
  let newline = text.indexOf("\n", start);
  while (newline >= 0 && newline < end - 1) {
    const lineStart = newline + 1;
    HARD_LINE_START.lastIndex = lineStart;
    if (HARD_LINE_START.test(text)) {
      breaks.push(lineStart);
    }
    newline = text.indexOf("\n", lineStart);
  }
  return breaks;
}

/**
 * Splits `text[start, end)` into trimmed sentence ranges and appends them
 * to `out`. Line breaks count as spaces, because `Intl.Segmenter` always
 * breaks at a line feed and would cut hard-wrapped text at every line.
 * No break falls inside a range of `uncuttable`.
 */
export function splitSentences(
  text: string,
  start: number,
  end: number,
  uncuttable: readonly Range[],
  out: Range[],
): void {
  const groups = [start, ...hardLineBreaks(text, start, end), end];
  for (let index = 0; index + 1 < groups.length; index++) {
    splitLineGroup(
      text,
      groups[index] ?? start,
      groups[index + 1] ?? end,
      uncuttable,
      out,
    );
  }
}

/**
 * Longest text given to one `Intl.Segmenter` call. V8's sentence
 * segmentation takes time quadratic in the length of its input, so a
 * paragraph longer than this is segmented in slices.
 */
const MAX_SEGMENTER_INPUT = 8192;

/** Returns the end of a segmenter slice of `text` that starts at `from`. */
function sliceEnd(text: string, from: number): number {
  const limit = from + MAX_SEGMENTER_INPUT;
  if (limit >= text.length) {
    return text.length;
  }
  let space = -1;
  for (let index = limit; index > from + MAX_SEGMENTER_INPUT / 2; index--) {
    if (text[index] !== " ") {
      continue;
    }
    if (SENTENCE_TERMINAL.test(text[index - 1] ?? "")) {
      return index;
    }
    if (space < 0) {
      space = index;
    }
  }
  if (space >= 0) {
    return space;
  }
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit + 1 : limit;
}

/** Yields the offsets in `unwrapped` where the segmenter finds a sentence start. */
function* sentenceStarts(unwrapped: string): Generator<number> {
  for (let from = 0; from < unwrapped.length;) {
    const to = sliceEnd(unwrapped, from);
    for (const segment of getSegmenter().segment(unwrapped.slice(from, to))) {
      yield from + segment.index;
    }
    from = to;
  }
}

function splitLineGroup(
  text: string,
  start: number,
  end: number,
  uncuttable: readonly Range[],
  out: Range[],
): void {
  const slice = text.slice(start, end);
  // Without a terminal character before its last one, the group is a
  // single sentence, and the segmenter need not run.
  if (!SENTENCE_TERMINAL.test(slice.slice(0, -1))) {
    pushTrimmed(text, start, end, out);
    return;
  }
  const unwrapped =
    slice.includes("\n") || slice.includes("\r")
      ? slice.replace(/[\r\n]/g, " ")
      : slice;
  let sentenceStart = 0;
  for (const at of sentenceStarts(unwrapped)) {
    if (at === 0 || rangeAround(uncuttable, start + at) !== undefined) {
      continue;
    }
    const before = unwrapped.slice(Math.max(sentenceStart, at - 48), at);
    const after = unwrapped.slice(at, at + 16);
    if (isFalseSentenceBreak(before, after)) {
      continue;
    }
    pushTrimmed(text, start + sentenceStart, start + at, out);
    sentenceStart = at;
  }
  pushTrimmed(text, start + sentenceStart, end, out);
}

function pushTrimmed(
  text: string,
  start: number,
  end: number,
  out: Range[],
): void {
  const range = trimRange(text, start, end);
  if (range !== undefined) {
    out.push(range);
  }
}
