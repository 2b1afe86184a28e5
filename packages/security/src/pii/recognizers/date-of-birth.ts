import { textBefore } from "../context.js";
import type { PiiFinding, Recognizer, RecognizerContext } from "../types.js";

const NAME = "date-of-birth";

/** Earliest accepted birth year. */
const MIN_YEAR = 1900;
/** How many words before a date the context check reads. */
const CONTEXT_WORDS = 6;
/** Words that mark a following date as a date of birth. */
const BIRTH_CONTEXT =
  /(?<![\p{L}\p{N}])(?:born|(?:date|day|place) of birth|birth ?date|birthday|dob|d\.o\.b\.?)(?![\p{L}\p{N}])/u;

/** English month names and their common abbreviations, as group 1. */
const MONTH =
  "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:tember|t)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";
const ORDINAL = "(?:st|nd|rd|th)?";

/** Year, month and day joined by one separator, such as "1985-03-12". */
const YEAR_FIRST =
  /(?<![\d./-])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?![\d/-]|\.\d)/g;
/** Day and month in either order, then the year, such as "12/03/1985". */
const YEAR_LAST =
  /(?<![\d./-])(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?![\d/-]|\.\d)/g;
/** A day, then a month name and year, such as "12th of March 1985". */
const DAY_MONTH_NAME = new RegExp(
  `(?<![\\p{L}\\p{N}])(\\d{1,2})${ORDINAL}(?:\\s+of)?\\s+${MONTH},?\\s+(\\d{4})(?![\\p{L}\\p{N}])`,
  "giu",
);
/** A month name, then a day and year, such as "March 12, 1985". */
const MONTH_NAME_DAY = new RegExp(
  `(?<![\\p{L}\\p{N}])${MONTH}\\s+(\\d{1,2})${ORDINAL},?\\s+(\\d{4})(?![\\p{L}\\p{N}])`,
  "giu",
);
/**
 * A day, month name and year joined by one "-" or "/", such as
 * "12-Mar-1985" or "12/Mar/1985".
 */
const DAY_MONTH_NAME_JOINED = new RegExp(
  `(?<![\\p{L}\\p{N}./-])(\\d{1,2})([-/])${MONTH}\\2(\\d{4})(?![\\p{L}\\p{N}]|[-/.]\\d)`,
  "giu",
);

const MONTH_PREFIXES = [
  "jan",
  "feb",
  "mar",
  "apr",
  "may",
  "jun",
  "jul",
  "aug",
  "sep",
  "oct",
  "nov",
  "dec",
];

/**
 * Regions that write numeric dates month first, so "03/12/1985" is 12 March
 * elsewhere and 3 December there.
 */
const MONTH_FIRST_REGIONS = new Set(["US", "PH", "FM", "MH", "PW", "AS", "GU"]);

function monthFromName(name: string): number {
  return MONTH_PREFIXES.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  const days = [
    31,
    isLeapYear(year) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  return days[month - 1] ?? 0;
}

/**
 * Tells whether the date exists in the Gregorian calendar, is in 1900 or later
 * and is not after today.
 */
function isValidBirthDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return false;
  }
  const today = new Date();
  const todayKey =
    today.getFullYear() * 10_000 +
    (today.getMonth() + 1) * 100 +
    today.getDate();
  const dateKey = year * 10_000 + month * 100 + day;
  return year >= MIN_YEAR && dateKey <= todayKey;
}

/**
 * Returns the context word that marks a date at `start` as a birth date, or
 * undefined. Only the last few words of the same sentence count.
 */
function findBirthContext(text: string, start: number): string | undefined {
  // Dots inside "D.O.B." would otherwise read as a sentence end.
  const before = textBefore(text, start, 60).replace(/d\.o\.b\.?/g, "dob");
  const sentenceBreak = /[!?;\n]|\.\s/g;
  let sentenceStart = 0;
  for (const match of before.matchAll(sentenceBreak)) {
    sentenceStart = match.index + match[0].length;
  }
  const words = before.slice(sentenceStart).trim().split(/\s+/);
  const recent = words.slice(-CONTEXT_WORDS).join(" ");
  return BIRTH_CONTEXT.exec(recent)?.[0];
}

interface DateCandidate {
  readonly start: number;
  readonly end: number;
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly format: string;
  readonly ambiguous: boolean;
}

function collectNumericDates(
  text: string,
  context: RecognizerContext,
): DateCandidate[] {
  const candidates: DateCandidate[] = [];
  for (const match of text.matchAll(YEAR_FIRST)) {
    candidates.push({
      start: match.index,
      end: match.index + match[0].length,
      year: Number(match[1]),
      month: Number(match[3]),
      day: Number(match[4]),
      format: "Y-M-D",
      ambiguous: false,
    });
  }

  const monthFirst = MONTH_FIRST_REGIONS.has(
    (context.defaultRegion ?? "").toUpperCase(),
  );
  for (const match of text.matchAll(YEAR_LAST)) {
    const first = Number(match[1]);
    const second = Number(match[3]);
    // A part over 12 can only be the day, which settles the order.
    const ambiguous = first <= 12 && second <= 12 && first !== second;
    const dayFirst = first > 12 || (second <= 12 && !monthFirst);
    candidates.push({
      start: match.index,
      end: match.index + match[0].length,
      year: Number(match[4]),
      month: dayFirst ? second : first,
      day: dayFirst ? first : second,
      format: dayFirst ? "D/M/Y" : "M/D/Y",
      ambiguous,
    });
  }
  return candidates;
}

function collectNamedMonthDates(text: string): DateCandidate[] {
  const candidates: DateCandidate[] = [];
  for (const match of text.matchAll(DAY_MONTH_NAME)) {
    candidates.push({
      start: match.index,
      end: match.index + match[0].length,
      year: Number(match[3]),
      month: monthFromName(match[2] ?? ""),
      day: Number(match[1]),
      format: "D MONTH Y",
      ambiguous: false,
    });
  }
  for (const match of text.matchAll(DAY_MONTH_NAME_JOINED)) {
    candidates.push({
      start: match.index,
      end: match.index + match[0].length,
      year: Number(match[4]),
      month: monthFromName(match[3] ?? ""),
      day: Number(match[1]),
      format: "D-MON-Y",
      ambiguous: false,
    });
  }
  for (const match of text.matchAll(MONTH_NAME_DAY)) {
    candidates.push({
      start: match.index,
      end: match.index + match[0].length,
      year: Number(match[3]),
      month: monthFromName(match[1] ?? ""),
      day: Number(match[2]),
      format: "MONTH D, Y",
      ambiguous: false,
    });
  }
  return candidates;
}

/**
 * Finds calendar dates written as "1985-03-12", "12/03/1985", "12 March
 * 1985", "12-Mar-1985" or "March 12, 1985" that a word such as "born", "DOB" or "date of
 * birth" introduces within the same sentence. Numeric dates whose day and
 * month could swap are read month first for regions such as "US" and day
 * first elsewhere, and marked ambiguous.
 */
export const dateOfBirthRecognizer: Recognizer = {
  name: NAME,
  types: ["DATE_OF_BIRTH"],
  find(text, context) {
    const candidates = [
      ...collectNumericDates(text, context),
      ...collectNamedMonthDates(text),
    ].sort((left, right) => left.start - right.start);

    const findings: PiiFinding[] = [];
    let coveredUntil = 0;
    for (const candidate of candidates) {
      const { start, end, year, month, day } = candidate;
      if (start < coveredUntil || !isValidBirthDate(year, month, day)) {
        continue;
      }
      const contextWord = findBirthContext(text, start);
      if (contextWord === undefined) {
        continue;
      }
      coveredUntil = end;
      findings.push({
        type: "DATE_OF_BIRTH",
        start,
        end,
        text: text.slice(start, end),
        score: candidate.ambiguous ? 0.75 : 0.85,
        recognizer: NAME,
        validation: {
          format: candidate.format,
          year,
          month,
          day,
          ambiguous: candidate.ambiguous,
          contextWord,
        },
      });
    }
    return findings;
  },
};
