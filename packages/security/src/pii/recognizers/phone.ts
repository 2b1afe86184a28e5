// The default "min" metadata of libphonenumber-js (1.13 README) checks only
// the length, so isValid() behaves like isPossible(). The "max" metadata adds
// the per-type digit patterns, so isValid() checks the digits and getType()
// reports the line type, for about 65 kB more.
import {
  findPhoneNumbersInText,
  isSupportedCountry,
  type CountryCode,
} from "libphonenumber-js/max";

import { textAfter, textBefore } from "../context.js";
import type { PiiFinding, Recognizer, RecognizerContext } from "../types.js";
import { cuedPhones, PHONE_RECOGNIZER_NAME as NAME } from "./cued-phone.js";
import { phoneSearchText } from "./phone-search-text.js";

/**
 * findPhoneNumbersInText with the matcher's `leniency` option, which the
 * library reads but its type declarations leave out.
 */
const findLenient = findPhoneNumbersInText as unknown as (
  text: string,
  options: { defaultCountry?: CountryCode; leniency: "POSSIBLE" | "VALID" },
) => ReturnType<typeof findPhoneNumbersInText>;

/**
 * Runs the matcher of libphonenumber-js on {@link phoneSearchText} with
 * stack traces turned off. The matcher builds and throws a ParseError for
 * each candidate it rejects, and capturing their stack traces took about
 * half of its time on text dense with digits. The call is synchronous, so
 * no other code runs with the setting before it is restored.
 */
function findPossibleNumbers(
  text: string,
  defaultCountry: CountryCode | undefined,
): ReturnType<typeof findPhoneNumbersInText> {
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return findLenient(phoneSearchText(text), {
      leniency: "POSSIBLE",
      ...(defaultCountry === undefined ? {} : { defaultCountry }),
    });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * Region code that libphonenumber uses for numbers of non-geographic
 * entities, such as +800 international freephone numbers.
 */
const NON_GEOGRAPHIC_REGION = "001";

const PHONE_CONTEXT =
  /(?:^|[^\p{L}])(?:phone|tel|telephone|mobile|cell|call|fax|contact|whatsapp|sms|t[eé]l[eé]phone|portable|handy)(?:[^\p{L}]|$)/u;

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

/**
 * Finds phone numbers with libphonenumber-js. Numbers written with a `+`
 * country code are found in any text. Numbers in national format are found
 * only when `context.defaultRegion` names a supported region, and are read
 * by that region's numbering plan. A finding passes the library's
 * isValid() check, or its isPossible() check with a phone word nearby (at
 * a lower score), and its span includes a written extension such as
 * "ext. 317". Digits written one at a time, as in "6.1.2.3.4.5.6.7.8",
 * are not read. Other phone-shaped digit groups count, at a lower score
 * still, when a phone word labels them, unless they read as a date, time,
 * amount, decimal, version, ZIP+4 code or list of figures.
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
    const matches = findPossibleNumbers(text, defaultCountry);

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
