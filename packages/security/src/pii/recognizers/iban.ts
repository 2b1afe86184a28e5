import { isDelimited, textBefore } from "../context.js";
import type { PiiFinding, Recognizer } from "../types.js";

const NAME = "iban";

/**
 * IBAN length, including the country code and check digits, for each
 * country in the SWIFT IBAN registry (ISO 13616).
 *
 * NOTE: The table reflects the 2024 registry releases and has not been
 * checked against the current registry file. Later releases may add
 * countries or change a length, as they did for Burundi (BI).
 */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HN: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
};

/**
 * IBAN country codes of Single Euro Payments Area members. They are the EU
 * and EEA states, Switzerland, the United Kingdom and Gibraltar, and the
 * smaller members Monaco, San Marino, Vatican City, Andorra, Albania,
 * Moldova, Montenegro, North Macedonia and Serbia.
 */
const SEPA_COUNTRIES: ReadonlySet<string> = new Set([
  "AD",
  "AL",
  "AT",
  "BE",
  "BG",
  "CH",
  "CY",
  "CZ",
  "DE",
  "DK",
  "EE",
  "ES",
  "FI",
  "FR",
  "GB",
  "GI",
  "GR",
  "HR",
  "HU",
  "IE",
  "IS",
  "IT",
  "LI",
  "LT",
  "LU",
  "LV",
  "MC",
  "MD",
  "ME",
  "MK",
  "MT",
  "NL",
  "NO",
  "PL",
  "PT",
  "RO",
  "RS",
  "SE",
  "SI",
  "SK",
  "SM",
  "VA",
]);

const IBAN_CONTEXT =
  /(?:^|[^a-z])(?:iban|bic|swift|sepa|bank|account|acct|konto|compte|cuenta|rib)(?:[^a-z]|$)/;

/** Country code and check digits, the fixed start of every IBAN. */
const IBAN_START = /[A-Za-z]{2}\d{2}/g;

const ALPHANUMERIC = /^[A-Za-z0-9]$/;

/**
 * Returns whether an IBAN in electronic format (upper case, no spaces)
 * passes the ISO 7064 mod-97-10 check. The check moves the country code and
 * check digits to the end, reads letters as 10 to 35 and expects remainder 1.
 */
export function passesMod97(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const character of rearranged) {
    const code = character.charCodeAt(0);
    if (code >= 48 && code <= 57) {
      remainder = (remainder * 10 + (code - 48)) % 97;
    } else if (code >= 65 && code <= 90) {
      remainder = (remainder * 100 + (code - 55)) % 97;
    } else {
      return false;
    }
  }
  return remainder === 1;
}

/**
 * Reads `length` alphanumeric characters from `start`, either unbroken or
 * in groups of four joined by single spaces, and returns the end offset, or
 * undefined when the text has another shape.
 */
function readIbanEnd(
  text: string,
  start: number,
  length: number,
): number | undefined {
  const compact = text.slice(start, start + length);
  if (compact.length === length && /^[A-Za-z0-9]+$/.test(compact)) {
    return start + length;
  }

  let position = start;
  let collected = 0;
  while (collected < length) {
    if (collected > 0) {
      if (text.charAt(position) !== " ") {
        return undefined;
      }
      position += 1;
    }
    const groupLength = Math.min(4, length - collected);
    for (let offset = 0; offset < groupLength; offset += 1) {
      if (!ALPHANUMERIC.test(text.charAt(position + offset))) {
        return undefined;
      }
    }
    position += groupLength;
    collected += groupLength;
  }
  return position;
}

/**
 * Finds IBANs: a country code from the registry, two check digits and the
 * country's BBAN, written unbroken or in groups of four separated by single
 * spaces. A finding has exactly the country's length and passes the
 * mod-97 check, and its span ends where the IBAN ends, so a following word
 * is never part of it.
 */
export const ibanRecognizer: Recognizer = {
  name: NAME,
  types: ["IBAN"],
  find(text: string): PiiFinding[] {
    const findings: PiiFinding[] = [];
    const pattern = new RegExp(IBAN_START.source, "g");
    let match: RegExpExecArray | null;
    while ((match = pattern.exec(text)) !== null) {
      const start = match.index;
      const country = match[0].slice(0, 2).toUpperCase();
      const length = IBAN_LENGTHS[country];
      if (length === undefined) {
        continue;
      }
      const end = readIbanEnd(text, start, length);
      if (end === undefined || !isDelimited(text, start, end)) {
        continue;
      }
      const matchedText = text.slice(start, end);
      const electronic = matchedText.replaceAll(" ", "").toUpperCase();
      const checkDigits = Number(electronic.slice(2, 4));
      // ISO 13616 check digits range from 02 to 98.
      if (checkDigits < 2 || checkDigits > 98 || !passesMod97(electronic)) {
        continue;
      }

      const nearIbanWord = IBAN_CONTEXT.test(textBefore(text, start));
      findings.push({
        type: "IBAN",
        start,
        end,
        text: matchedText,
        score: nearIbanWord ? 1 : 0.9,
        recognizer: NAME,
        validation: {
          mod97: true,
          country,
          length,
          sepa: SEPA_COUNTRIES.has(country),
        },
      });
      pattern.lastIndex = end;
    }
    return findings;
  },
};
