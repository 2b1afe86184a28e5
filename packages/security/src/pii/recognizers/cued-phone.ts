import examples from "libphonenumber-js/mobile/examples";
import {
  getExampleNumber,
  parsePhoneNumberFromString,
  type CountryCode,
} from "libphonenumber-js/max";

import { textAfter, textBefore } from "../context.js";
import type { PiiFinding } from "../types.js";
import { continuesAsNonPhone, hasNonPhoneShape } from "./non-phone-numbers.js";

/** Name of the phone recognizer, reported in each finding. */
export const PHONE_RECOGNIZER_NAME = "phone";

/**
 * Words that make a bare group of digits right after them a phone
 * number, as in "call me on", "Mobile:" or "reach you at". The text is
 * in lower case.
 */
const CUE_BEFORE =
  /(?:phone|tel|telephone|mobile|cell|call(?: me)?|fax|desk|office|whatsapp|sms|text me|dial|hotline|landline|reach (?:me|us|you)|answering|messages|registered|t[eé]l[eé]phone|portable|handy)\b[^\p{L}\p{N}]{0,4}(?:(?:on|at|to|is|number|no\.?|nr\.?)[^\p{L}\p{N}]{0,3}){0,2}$/u;

/**
 * A phone word right after the number that labels it: it ends the line
 * or comes before punctuation, another number, "or" or "and", as in
 * "555 0142 office", "555-0142-Fax," or "555 0142 home or". A word such as
 * "office" that starts a new phrase ("office hours") is no label. The
 * text is in lower case.
 */
const CUE_AFTER =
  /^[\s,-]{0,3}(?:office|mobile|cell|fax|home|work|desk|phone)(?:\s(?:phone|line|number|no\.?))?(?!\p{L})[^\S\n]*(?:$|\n|[^\p{L}\s]|(?:or|and)(?!\p{L}))/u;

/**
 * A label of another kind of number right before the digits, as in
 * "Ticket 1234-5678" or "Order no. 4512". A phone word after such a
 * number starts the next phrase instead of labelling it. The text is in
 * lower case.
 */
const OTHER_NUMBER_LABEL =
  /(?:^|[^\p{L}])(?:ticket|invoice|order|ref|reference|id|account|acct|case|claim|policy|serial|version|build|release|price|cost|total|amount|balance|between|zip|postcode|pin|isbn|year|date|room|page|item|sku|part|model|tracking|booking|reservation|score)(?:\s?(?:number|no\.?|nr\.?|#))?[\s:#.=-]*$/u;

/**
 * Digit groups shaped like a phone number: an optional international
 * prefix, an optional bracketed area code, two or more groups joined by a
 * space, hyphen or dot, and an optional extension.
 */
const PHONE_SHAPE =
  /(?<![\p{L}\p{N}+])(?:\+|00)?(?:\(\d{1,5}\)[ .-]?|\d{1,5}[ .-])(?:\d{1,8}[ .-]){0,4}\d{2,8}(?:\s?(?:x|ext\.?)\s?\d{1,6})?(?![\p{L}\p{N}])/gu;

/** Shapes of dates, which PHONE_SHAPE would otherwise also match. */
const DATE_SHAPE =
  /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$/u;

function digitCount(text: string): number {
  return text.replace(/\D/gu, "").length;
}

/** The lengths of the digit runs of a number as written, such as "3,3,4". */
function digitGroups(text: string): string {
  return (text.match(/\d+/gu) ?? []).map((run) => run.length).join(",");
}

/**
 * Tells whether a number is grouped as the default region writes its own
 * numbers (3, 3 and 4 digits in the US, as "000-555-0100") and has a
 * possible length there. The region's numbering plan then decides, and
 * a phone word does not overrule a rejection.
 */
function inRegionFormat(number: string, region?: CountryCode): boolean {
  if (region === undefined) {
    return false;
  }
  const example = getExampleNumber(region, examples);
  const parsed = parsePhoneNumberFromString(number, region);
  return (
    example !== undefined &&
    parsed?.isPossible() === true &&
    digitGroups(example.formatNational()) === digitGroups(number)
  );
}

/** Characters of context that the cue patterns read on each side. */
const CUE_WINDOW = 24;

/**
 * Tells whether a phone word labels the digits from `start` to `end`:
 * one right before them, or one right after them unless a label of
 * another kind of number comes before them.
 */
function isCued(text: string, start: number, end: number): boolean {
  const before = textBefore(text, start, CUE_WINDOW);
  if (CUE_BEFORE.test(before)) {
    return true;
  }
  return (
    CUE_AFTER.test(textAfter(text, end, CUE_WINDOW)) &&
    !OTHER_NUMBER_LABEL.test(before)
  );
}

/**
 * Finds phone-shaped digit groups that a phone word introduces or
 * follows, for national numbers of regions other than the default one
 * and numbers the numbering plans reject. These score lower than the
 * numbers libphonenumber-js validates, and digits shaped or continued as
 * a date, time, amount, decimal, version, postal code or list of figures
 * are skipped. `taken` are the findings of libphonenumber-js, which the
 * digits must not overlap.
 */
export function cuedPhones(
  text: string,
  taken: readonly PiiFinding[],
  region: CountryCode | undefined,
): PiiFinding[] {
  const findings: PiiFinding[] = [];
  const sortedTaken = [...taken].sort(
    (left, right) => left.start - right.start,
  );
  // Matches come in text order, so one pass over the sorted findings
  // finds those that overlap a match.
  let next = 0;
  for (const match of text.matchAll(PHONE_SHAPE)) {
    const start = match.index;
    const end = start + match[0].length;
    while ((sortedTaken[next]?.end ?? Infinity) <= start) {
      next++;
    }
    const overlapsTaken = (sortedTaken[next]?.start ?? Infinity) < end;
    const number = match[0].replace(/\s?(?:x|ext\.?)\s?\d+$/u, "");
    const digits = digitCount(number);
    if (
      digits < 7 ||
      digits > 15 ||
      overlapsTaken ||
      DATE_SHAPE.test(number) ||
      hasNonPhoneShape(number) ||
      !isCued(text, start, end) ||
      continuesAsNonPhone(
        textBefore(text, start, CUE_WINDOW),
        textAfter(text, end, CUE_WINDOW),
      ) ||
      inRegionFormat(number, region)
    ) {
      continue;
    }
    findings.push({
      type: "PHONE",
      start,
      end,
      text: match[0],
      score: 0.4,
      recognizer: PHONE_RECOGNIZER_NAME,
      validation: { valid: false, cued: true, digits },
    });
  }
  return findings;
}
