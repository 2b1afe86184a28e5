/**
 * Built-in classes of text that segmentation never cuts and that callers
 * can list in `preserve` to force into the output.
 */
export const PROTECTED_CLASSES = [
  "numbers",
  "dates",
  "ids",
  "urls",
  "emails",
  "quoted",
  "speakers",
  "code",
] as const;

/** One of the built-in protected classes. */
export type ProtectedClass = (typeof PROTECTED_CLASSES)[number];

/** A `[start, end)` range of characters. */
export interface Range {
  readonly start: number;
  readonly end: number;
}

const MONTH =
  "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";

const GERMAN_MONTH =
  "(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|Jan|Feb|Mär|Apr|Jun|Jul|Aug|Sep|Sept|Okt|Nov|Dez)";

// Patterns are written for recall: a false match only keeps two pieces of
// text together, or keeps a unit that the caller asked to preserve anyway.
const NUMBER_PATTERN =
  /(?:[$€£¥₹]\s?)?[-+−]?\d+(?:[ \u00A0\u202F\u2009]\d{3}(?!\d))*(?:[.,]\d+)*(?:\s?(?:%|‰|[$€£¥₹]))?/gu;
const DATE_PATTERN = new RegExp(
  [
    String.raw`\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?`,
    String.raw`\d{1,2}[./-]\d{1,2}[./-]\d{2,4}`,
    String.raw`(?:\d{1,2}\s+)?\b${MONTH}\.?(?:\s+\d{1,2}(?:st|nd|rd|th)?)?,?\s+\d{4}`,
    // German and other ordinal dates: "5. März 2024", "1. Januar".
    String.raw`\d{1,2}\.\s?${GERMAN_MONTH}\.?(?:\s\d{4})?`,
    // Chinese and Japanese dates: "2024年11月23日", "11月23日".
    String.raw`(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日)?|\d{4}年`,
  ].join("|"),
  "gi",
);
const URL_PATTERN =
  /(?:[a-z][a-z0-9+.-]*:\/\/|www\.)[^\s<>"`]*[^\s<>"`.,;:!?)\]}'’”]/iy;
const URL_SCHEME_CHAR = /[a-z0-9+.-]/i;
const EMAIL_PATTERN =
  /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/uy;
const EMAIL_LOCAL_CHAR = /[\p{L}\p{N}._%+-]/u;
const QUOTED_PATTERN =
  /"[^"\n]{1,400}"|“[^”]{1,400}”|«[^»]{1,400}»|„[^“”]{1,400}[“”]|「[^」]{1,400}」|『[^』]{1,400}』/gu;
const SPEAKER_PATTERN =
  /^[ \t]*\p{Lu}[\p{L}.'’-]*(?:[ \t]\p{Lu}[\p{L}.'’-]*){0,3}(?:[ \t]\d{1,3})?[ \t]*:(?=[ \t])/gmu;
const INLINE_CODE_PATTERN = /`[^`\n]+`/gu;

function matchAllRanges(text: string, pattern: RegExp): Range[] {
  const ranges: Range[] = [];
  pattern.lastIndex = 0;
  for (const match of text.matchAll(pattern)) {
    ranges.push({ start: match.index, end: match.index + match[0].length });
  }
  return ranges;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

const DIGIT_RUN = /[0-9]+/g;

/** Calls `visit` with each maximal run of ASCII digits in `text`. */
function forEachDigitRun(
  text: string,
  visit: (start: number, end: number) => void,
): void {
  DIGIT_RUN.lastIndex = 0;
  for (let match = DIGIT_RUN.exec(text); match; match = DIGIT_RUN.exec(text)) {
    visit(match.index, match.index + match[0].length);
  }
}

// Every date contains digits, so only the text around digit runs is
// searched; a whole-text search costs tens of milliseconds per megabyte.
// Windows may overlap; matches found twice are merged by the caller.
function findDates(text: string): Range[] {
  const ranges: Range[] = [];
  let lastMatchEnd = 0;
  forEachDigitRun(text, (start, end) => {
    if (end <= lastMatchEnd) {
      return;
    }
    const from = Math.max(0, start - 24);
    const to = Math.min(text.length, end + 24);
    for (const range of matchAllRanges(text.slice(from, to), DATE_PATTERN)) {
      const found = { start: from + range.start, end: from + range.end };
      if (found.start <= start && found.end >= end) {
        ranges.push(found);
        lastMatchEnd = Math.max(lastMatchEnd, found.end);
      }
    }
  });
  return mergeRanges(ranges);
}

function isIdChar(code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 90);
}

function isIdSeparator(code: number): boolean {
  // - _ / .
  return code === 45 || code === 95 || code === 47 || code === 46;
}

// Codes that mix capitals and digits: KX-4471-B, T-00981-Z, AB12345.
function findIds(text: string): Range[] {
  const ranges: Range[] = [];
  let coveredUpTo = 0;
  forEachDigitRun(text, (digitStart) => {
    if (digitStart < coveredUpTo) {
      return;
    }
    let start = digitStart;
    while (start > 0) {
      const before = text.charCodeAt(start - 1);
      if (isIdChar(before)) {
        start--;
      } else if (
        isIdSeparator(before) &&
        start > 1 &&
        isIdChar(text.charCodeAt(start - 2))
      ) {
        start--;
      } else {
        break;
      }
    }
    let end = digitStart;
    while (end < text.length) {
      const code = text.charCodeAt(end);
      if (isIdChar(code)) {
        end++;
      } else if (isIdSeparator(code) && isIdChar(text.charCodeAt(end + 1))) {
        end++;
      } else {
        break;
      }
    }
    coveredUpTo = end;
    const candidate = text.slice(start, end);
    const hasLetter = /[A-Z]/.test(candidate);
    const hasSeparator = /[-_/.]/.test(candidate);
    if (hasLetter && (hasSeparator || candidate.length >= 5)) {
      const before = start > 0 ? (text[start - 1] ?? "") : "";
      const after = text[end] ?? "";
      if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after)) {
        ranges.push({ start, end });
      }
    }
  });
  return ranges;
}

function findUrls(text: string): Range[] {
  const ranges: Range[] = [];
  for (const needle of ["://", "www.", "WWW."]) {
    for (
      let at = text.indexOf(needle);
      at >= 0;
      at = text.indexOf(needle, at + needle.length)
    ) {
      let start = at;
      if (needle === "://") {
        while (start > 0 && URL_SCHEME_CHAR.test(text[start - 1] ?? "")) {
          start--;
        }
      }
      URL_PATTERN.lastIndex = start;
      const match = URL_PATTERN.exec(text);
      if (match !== null) {
        ranges.push({ start, end: start + match[0].length });
      }
    }
  }
  return ranges;
}

function findEmails(text: string): Range[] {
  const ranges: Range[] = [];
  for (let at = text.indexOf("@"); at >= 0; at = text.indexOf("@", at + 1)) {
    let start = at;
    while (start > 0 && EMAIL_LOCAL_CHAR.test(text[start - 1] ?? "")) {
      start--;
    }
    if (start === at) {
      continue;
    }
    EMAIL_PATTERN.lastIndex = start;
    const match = EMAIL_PATTERN.exec(text);
    if (match !== null) {
      ranges.push({ start, end: start + match[0].length });
    }
  }
  return ranges;
}

const FINDERS: Record<ProtectedClass, (text: string) => Range[]> = {
  numbers: (text) => matchAllRanges(text, NUMBER_PATTERN),
  dates: findDates,
  ids: findIds,
  urls: findUrls,
  emails: findEmails,
  quoted: (text) => matchAllRanges(text, QUOTED_PATTERN),
  speakers: (text) => matchAllRanges(text, SPEAKER_PATTERN),
  code: (text) => matchAllRanges(text, INLINE_CODE_PATTERN),
};

/** Finds every match of a built-in class in `text`, sorted by start. */
export function findProtectedClass(
  text: string,
  name: ProtectedClass,
): Range[] {
  return FINDERS[name](text).sort((a, b) => a.start - b.start);
}

/**
 * Finds every match of a caller's regular expression in `text`. Empty
 * matches are skipped.
 */
export function findPattern(text: string, pattern: RegExp): Range[] {
  const flags = pattern.flags.includes("g")
    ? pattern.flags
    : `${pattern.flags}g`;
  const global = new RegExp(pattern.source, flags.replace("y", ""));
  return matchAllRanges(text, global).filter(
    (range) => range.end > range.start,
  );
}

// Quotes are kept whole by segmentation only when they are short: a quoted
// speech of many sentences must still be cut into sentences.
const MAX_UNCUT_QUOTE_LENGTH = 60;

const SEGMENTATION_CLASSES: readonly ProtectedClass[] = [
  "urls",
  "emails",
  "dates",
  "ids",
  "numbers",
  "quoted",
  "code",
];

/**
 * Finds the ranges of `text` that no cut may fall inside: URLs, e-mail
 * addresses, dates, ids, numbers, short quotes and inline code. Returns
 * them sorted by start with overlapping ranges merged.
 */
export function findUncuttableRanges(text: string): Range[] {
  const ranges: Range[] = [];
  for (const name of SEGMENTATION_CLASSES) {
    for (const range of FINDERS[name](text)) {
      const length = range.end - range.start;
      if (length < 2) {
        continue;
      }
      if (name === "quoted" && length > MAX_UNCUT_QUOTE_LENGTH) {
        continue;
      }
      ranges.push(range);
    }
  }
  return mergeRanges(ranges);
}

/** Sorts ranges and merges those that overlap or touch. */
export function mergeRanges(ranges: Range[]): Range[] {
  if (ranges.length < 2) {
    return ranges;
  }
  ranges.sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Range[] = [];
  let current = ranges[0] as Range;
  for (let index = 1; index < ranges.length; index++) {
    const next = ranges[index] as Range;
    if (next.start <= current.end) {
      if (next.end > current.end) {
        current = { start: current.start, end: next.end };
      }
    } else {
      merged.push(current);
      current = next;
    }
  }
  merged.push(current);
  return merged;
}

/**
 * Returns the range of the sorted, non-overlapping `ranges` that contains
 * `position` strictly inside it, found by binary search.
 */
export function rangeAround(
  ranges: readonly Range[],
  position: number,
): Range | undefined {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const range = ranges[middle] as Range;
    if (range.end <= position) {
      low = middle + 1;
    } else if (range.start >= position) {
      high = middle - 1;
    } else {
      return range;
    }
  }
  return undefined;
}
