// The default "min" metadata of libphonenumber-js (1.13 README) checks only
// the length, so isValid() behaves like isPossible(). The "max" metadata adds
// the per-type digit patterns, so isValid() checks the digits and getType()
// reports the line type, for about 65 kB more.
import examples from "libphonenumber-js/mobile/examples";
import {
  findPhoneNumbersInText,
  getExampleNumber,
  isSupportedCountry,
  parsePhoneNumberFromString,
  type CountryCode,
} from "libphonenumber-js/max";

import { textAfter, textBefore } from "../context.js";
import type { PiiFinding, Recognizer, RecognizerContext } from "../types.js";

const NAME = "phone";

/**
 * findPhoneNumbersInText with the matcher's `leniency` option, which the
 * library reads but its type declarations leave out.
 */
const findLenient = findPhoneNumbersInText as unknown as (
  text: string,
  options: { defaultCountry?: CountryCode; leniency: "POSSIBLE" | "VALID" },
) => ReturnType<typeof findPhoneNumbersInText>;

/**
 * Region code that libphonenumber uses for numbers of non-geographic
 * entities, such as +800 international freephone numbers.
 */
const NON_GEOGRAPHIC_REGION = "001";

const PHONE_CONTEXT =
  /(?:^|[^\p{L}])(?:phone|tel|telephone|mobile|cell|call|fax|contact|whatsapp|sms|t[eé]l[eé]phone|portable|handy)(?:[^\p{L}]|$)/u;

/**
 * Words that make a bare group of digits a phone number. Stricter than
 * PHONE_CONTEXT's window: the word must come just before the number (as
 * in "call me on", "Mobile:", "reach you at") or just after it (as in
 * "555 0142 office", "...-Fax").
 */
const CUE_BEFORE =
  /(?:phone|tel|telephone|mobile|cell|call(?: me)?|fax|desk|office|whatsapp|sms|text me|dial|hotline|landline|reach (?:me|us|you)|answering|messages|registered|t[eé]l[eé]phone|portable|handy)\b[^\p{L}\p{N}]{0,4}(?:(?:on|at|to|is|number|no\.?|nr\.?)[^\p{L}\p{N}]{0,3}){0,2}$/u;
const CUE_AFTER =
  /^[\s,-]{0,3}(?:office|mobile|cell|fax|home|work|desk|phone)\b/u;

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

/** Converts `defaultRegion` to a country code that the library supports. */
function toDefaultCountry(region: string | undefined): CountryCode | undefined {
  if (region === undefined) {
    return undefined;
  }
  const upper = region.trim().toUpperCase();
  return isSupportedCountry(upper) ? upper : undefined;
}

/**
 * Rounds a score to 2 decimals, so sums of binary fractions such as
 * 0.7 + 0.1 read 0.8 and not 0.7999999999999999.
 */
function roundScore(score: number): number {
  return Math.round(score * 100) / 100;
}

function hasPhoneContext(text: string, start: number, end: number): boolean {
  return (
    PHONE_CONTEXT.test(textBefore(text, start)) ||
    PHONE_CONTEXT.test(textAfter(text, end))
  );
}

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

/**
 * Finds phone-shaped digit groups that a phone word introduces or
 * follows, for national numbers of regions other than the default one
 * and numbers the numbering plans reject. These score lower than the
 * numbers libphonenumber-js validates.
 */
function cuedPhones(
  text: string,
  taken: readonly PiiFinding[],
  region: CountryCode | undefined,
): PiiFinding[] {
  const findings: PiiFinding[] = [];
  for (const match of text.matchAll(PHONE_SHAPE)) {
    const start = match.index;
    const end = start + match[0].length;
    const number = match[0].replace(/\s?(?:x|ext\.?)\s?\d+$/u, "");
    const digits = digitCount(number);
    if (
      digits < 7 ||
      digits > 15 ||
      DATE_SHAPE.test(number) ||
      inRegionFormat(number, region) ||
      taken.some((found) => found.start < end && start < found.end) ||
      !(
        CUE_BEFORE.test(textBefore(text, start, 24)) ||
        CUE_AFTER.test(textAfter(text, end, 12))
      )
    ) {
      continue;
    }
    findings.push({
      type: "PHONE",
      start,
      end,
      text: match[0],
      score: 0.4,
      recognizer: NAME,
      validation: { valid: false, cued: true, digits },
    });
  }
  return findings;
}

/**
 * Finds phone numbers with libphonenumber-js. Numbers written with a `+`
 * country code are found in any text. Numbers in national format are found
 * only when `context.defaultRegion` names a supported region, and are read
 * by that region's numbering plan. A finding passes the library's
 * isValid() check, or its isPossible() check with a phone word nearby (at
 * a lower score), and its span includes a written extension such as
 * "ext. 317". Other phone-shaped digit groups count, at a lower score
 * still, when a phone word stands right before or after them.
 */
export const phoneRecognizer: Recognizer = {
  name: NAME,
  types: ["PHONE"],
  find(text: string, context: RecognizerContext): PiiFinding[] {
    if (text.length === 0) {
      return [];
    }
    const defaultCountry = toDefaultCountry(context.defaultRegion);
    // Possible numbers are read too: test data and real directories hold
    // numbers that the digit patterns reject, which count only next to a
    // word such as "phone" or "call".
    const matches = findLenient(text, {
      leniency: "POSSIBLE",
      ...(defaultCountry === undefined ? {} : { defaultCountry }),
    });

    const findings: PiiFinding[] = [];
    for (const match of matches) {
      const { number } = match;
      const start = match.startsAt;
      const end = match.endsAt;
      const matchedText = text.slice(start, end);
      const international = /^\(?\+/.test(matchedText);
      const nearPhoneWord = hasPhoneContext(text, start, end);
      const valid = number.isValid();
      if (!valid && !(nearPhoneWord && number.isPossible())) {
        continue;
      }

      let score = valid ? 0.7 : 0.45;
      if (international) {
        score += 0.15;
      }
      if (nearPhoneWord) {
        score += 0.1;
      }

      const validation: Record<string, string | number | boolean> = {
        valid,
        region: number.country ?? NON_GEOGRAPHIC_REGION,
        countryCallingCode: number.countryCallingCode,
        international,
        extension: number.ext !== undefined,
      };
      const numberType = number.getType();
      if (numberType !== undefined) {
        validation.numberType = numberType;
      }

      findings.push({
        type: "PHONE",
        start,
        end,
        text: matchedText,
        score: roundScore(Math.min(score, 1)),
        recognizer: NAME,
        validation,
      });
    }
    return [...findings, ...cuedPhones(text, findings, defaultCountry)];
  },
};
