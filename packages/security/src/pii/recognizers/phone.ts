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

/** Converts `defaultRegion` to a country code that the library supports. */
function toDefaultCountry(region: string | undefined): CountryCode | undefined {
  if (region === undefined) {
    return undefined;
  }
  const upper = region.trim().toUpperCase();
  return isSupportedCountry(upper) ? upper : undefined;
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
 * "ext. 317".
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
        score: Math.min(score, 1),
        recognizer: NAME,
        validation,
      });
    }
    return findings;
  },
};
