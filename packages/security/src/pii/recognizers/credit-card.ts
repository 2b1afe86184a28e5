import { textAfter, textBefore } from "../context.js";
import type { PiiFinding, Recognizer } from "../types.js";

const NAME = "credit-card";

const MIN_DIGITS = 12;
const MAX_DIGITS = 19;

/**
 * One range of issuer identification numbers. `from` and `to` are prefixes
 * of equal length, compared against the same number of leading digits, and
 * `lengths` lists the card number lengths that the issuer uses there.
 */
interface IssuerRange {
  readonly issuer: string;
  readonly from: string;
  readonly to: string;
  readonly lengths: readonly number[];
}

const LENGTHS_16_TO_19 = [16, 17, 18, 19];

/**
 * Issuer ranges and card lengths per network. Where ranges overlap, the
 * range with the longer prefix wins, so Discover's 6011 takes precedence
 * over RuPay's 60.
 *
 * NOTE: The table covers the major networks only and was not checked
 * against each network's current range list. Cards of unlisted networks,
 * and UnionPay cards that fail the Luhn check, are not found.
 */
const ISSUER_RANGES: readonly IssuerRange[] = [
  { issuer: "visa", from: "4", to: "4", lengths: [13, 16, 19] },
  { issuer: "mastercard", from: "51", to: "55", lengths: [16] },
  { issuer: "mastercard", from: "2221", to: "2720", lengths: [16] },
  { issuer: "amex", from: "34", to: "34", lengths: [15] },
  { issuer: "amex", from: "37", to: "37", lengths: [15] },
  { issuer: "discover", from: "6011", to: "6011", lengths: LENGTHS_16_TO_19 },
  { issuer: "discover", from: "644", to: "649", lengths: LENGTHS_16_TO_19 },
  { issuer: "discover", from: "65", to: "65", lengths: LENGTHS_16_TO_19 },
  { issuer: "jcb", from: "3528", to: "3589", lengths: LENGTHS_16_TO_19 },
  { issuer: "diners", from: "300", to: "305", lengths: [14, 16, 17, 18, 19] },
  { issuer: "diners", from: "3095", to: "3095", lengths: [14, 16, 17, 18, 19] },
  { issuer: "diners", from: "36", to: "36", lengths: [14, 16, 17, 18, 19] },
  { issuer: "diners", from: "38", to: "39", lengths: [14, 16, 17, 18, 19] },
  { issuer: "unionpay", from: "62", to: "62", lengths: LENGTHS_16_TO_19 },
  { issuer: "mir", from: "2200", to: "2204", lengths: LENGTHS_16_TO_19 },
  ...[
    "5018",
    "5020",
    "5038",
    "5893",
    "6304",
    "6759",
    "6761",
    "6762",
    "6763",
  ].map((prefix) => ({
    issuer: "maestro",
    from: prefix,
    to: prefix,
    lengths: [12, 13, 14, 15, 16, 17, 18, 19],
  })),
  { issuer: "dankort", from: "5019", to: "5019", lengths: [16] },
  { issuer: "rupay", from: "60", to: "60", lengths: [16] },
  { issuer: "rupay", from: "508", to: "508", lengths: [16] },
  { issuer: "rupay", from: "81", to: "82", lengths: [16] },
  { issuer: "verve", from: "506099", to: "506198", lengths: [16, 18, 19] },
  { issuer: "verve", from: "507865", to: "507964", lengths: [16, 18, 19] },
  { issuer: "verve", from: "650002", to: "650027", lengths: [16, 18, 19] },
  { issuer: "interpayment", from: "636", to: "636", lengths: LENGTHS_16_TO_19 },
  { issuer: "instapayment", from: "637", to: "639", lengths: [16] },
  { issuer: "troy", from: "9792", to: "9792", lengths: [16] },
  { issuer: "uatp", from: "1", to: "1", lengths: [15] },
];

/**
 * Words that mark a number as a payment card number. They win over the
 * identifier words below, so "paid with 4111111111111111 at the time of
 * booking" is a card even though "time" follows the number.
 */
const CARD_CONTEXT =
  /(?:^|[^a-z])(?:cards?|cardholder|card number|credit|debit|visa|master ?card|amex|american express|discover|jcb|diners|unionpay|maestro|payments?|pay|paid|charged?|purchased?|purchases|cc|ccn|pan|cvv|cvc|expiry|exp|carte|tarjeta|karte|kreditkarte)(?:[^a-z]|$)/;

/**
 * Words that mark a number as an identifier, a time or a count rather than
 * a card number, such as `created_at=1700000000000` or `order 4222222222222`.
 */
const IDENTIFIER_CONTEXT =
  /(?:^|[^a-z])(?:timestamp|ts|epoch|unix|ms|millis|milliseconds|time|date|created|updated|modified|order|id|uuid|invoice|tracking|ref|reference|serial|sku|isbn|imei|phone|tel)(?:[^a-z]|$)/;

/** A maximal run of digit groups joined by single spaces or hyphens. */
const DIGIT_RUN = /\d+(?:[ -]\d+)*/g;

/** Returns whether `digits` passes the Luhn (mod 10) check. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index -= 1) {
    let digit = digits.charCodeAt(index) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) {
        digit -= 9;
      }
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Returns the issuer whose range and lengths match `digits`, preferring the
 * range with the longest prefix, or undefined when no issuer matches.
 */
export function findIssuer(digits: string): string | undefined {
  let best: IssuerRange | undefined;
  for (const range of ISSUER_RANGES) {
    const prefix = digits.slice(0, range.from.length);
    const inRange = prefix >= range.from && prefix <= range.to;
    if (!inRange || !range.lengths.includes(digits.length)) {
      continue;
    }
    if (best === undefined || range.from.length > best.from.length) {
      best = range;
    }
  }
  return best?.issuer;
}

interface DigitGroup {
  readonly start: number;
  readonly end: number;
  /** Separator before this group, or "" for the first group of a run. */
  readonly separator: string;
}

function splitGroups(run: string, runStart: number): DigitGroup[] {
  const groups: DigitGroup[] = [];
  const pattern = /([ -]?)(\d+)/g;
  for (const match of run.matchAll(pattern)) {
    const separator = match[1] ?? "";
    const start = runStart + match.index + separator.length;
    groups.push({ start, end: start + (match[2]?.length ?? 0), separator });
  }
  return groups;
}

const WORD_CHARACTER = /^[\p{L}\p{N}_]$/u;

/** Returns the code point that ends just before `index`, or "". */
function codePointBefore(text: string, index: number): string {
  const low = text.charCodeAt(index - 1);
  if (low >= 0xdc00 && low <= 0xdfff && index >= 2) {
    const high = text.charCodeAt(index - 2);
    if (high >= 0xd800 && high <= 0xdbff) {
      return text.slice(index - 2, index);
    }
  }
  return text.slice(Math.max(0, index - 1), index);
}

/** Returns the code point that starts at `index`, or "". */
function codePointAt(text: string, index: number): string {
  const codePoint = text.codePointAt(index);
  return codePoint === undefined ? "" : String.fromCodePoint(codePoint);
}

/**
 * Returns whether the span is a separate number. No letter, digit or
 * underscore may touch it, compared as whole code points so that a letter
 * outside the BMP, such as "𝐀" (U+1D400), counts as one. The span must also
 * not continue a hyphenated number or a decimal.
 */
function isStandalone(text: string, start: number, end: number): boolean {
  if (
    WORD_CHARACTER.test(codePointBefore(text, start)) ||
    WORD_CHARACTER.test(codePointAt(text, end))
  ) {
    return false;
  }
  const before = text.slice(Math.max(0, start - 2), start);
  const after = text.slice(end, end + 2);
  return !/\d[-.,]$/.test(before) && !/^[-.,]\d/.test(after);
}

interface Candidate {
  readonly start: number;
  readonly end: number;
  readonly digits: string;
  readonly grouped: boolean;
}

/**
 * Returns the longest card-like span that starts at `groups[first]`, uses
 * one kind of separator and passes the Luhn and issuer checks.
 */
function longestCardAt(
  text: string,
  groups: readonly DigitGroup[],
  first: number,
): Candidate | undefined {
  let best: Candidate | undefined;
  let digits = "";
  let separator: string | undefined;
  const firstGroup = groups[first];
  if (firstGroup === undefined) {
    return undefined;
  }
  for (let index = first; index < groups.length; index += 1) {
    const group = groups[index];
    if (group === undefined) {
      break;
    }
    if (index > first) {
      separator ??= group.separator;
      if (group.separator !== separator) {
        break;
      }
    }
    digits += text.slice(group.start, group.end);
    if (digits.length > MAX_DIGITS) {
      break;
    }
    if (
      digits.length >= MIN_DIGITS &&
      isStandalone(text, firstGroup.start, group.end) &&
      passesLuhn(digits) &&
      findIssuer(digits) !== undefined
    ) {
      best = {
        start: firstGroup.start,
        end: group.end,
        digits,
        grouped: index > first,
      };
    }
  }
  return best;
}

function hasContext(
  pattern: RegExp,
  text: string,
  start: number,
  end: number,
): boolean {
  return (
    pattern.test(textBefore(text, start)) || pattern.test(textAfter(text, end))
  );
}

function scoreCandidate(
  text: string,
  candidate: Candidate,
): { score: number; cardContext: boolean } | undefined {
  const { start, end } = candidate;
  const cardContext = hasContext(CARD_CONTEXT, text, start, end);
  if (cardContext) {
    return { score: 0.95, cardContext };
  }
  if (hasContext(IDENTIFIER_CONTEXT, text, start, end)) {
    // An unbroken digit run next to words such as "id" or "timestamp" is
    // far more often an identifier or a millisecond time than a card.
    return candidate.grouped ? { score: 0.5, cardContext } : undefined;
  }
  return { score: candidate.grouped ? 0.8 : 0.7, cardContext };
}

/**
 * Finds payment card numbers of 12 to 19 digits, written unbroken or in
 * groups joined by single spaces or single hyphens. A finding passes the
 * Luhn check and matches an issuer's number range and lengths. Unbroken
 * numbers near identifier or time words, without card words, are skipped.
 */
export const creditCardRecognizer: Recognizer = {
  name: NAME,
  types: ["CREDIT_CARD"],
  find(text: string): PiiFinding[] {
    const findings: PiiFinding[] = [];
    for (const run of text.matchAll(DIGIT_RUN)) {
      const groups = splitGroups(run[0], run.index);
      let index = 0;
      while (index < groups.length) {
        const candidate = longestCardAt(text, groups, index);
        const scored =
          candidate === undefined ? undefined : scoreCandidate(text, candidate);
        if (candidate === undefined || scored === undefined) {
          index += 1;
          continue;
        }
        findings.push({
          type: "CREDIT_CARD",
          start: candidate.start,
          end: candidate.end,
          text: text.slice(candidate.start, candidate.end),
          score: scored.score,
          recognizer: NAME,
          validation: {
            luhn: true,
            issuer: findIssuer(candidate.digits) ?? "unknown",
            length: candidate.digits.length,
            grouped: candidate.grouped,
            cardContext: scored.cardContext,
          },
        });
        while (
          index < groups.length &&
          (groups[index]?.start ?? Infinity) < candidate.end
        ) {
          index += 1;
        }
      }
    }
    return findings;
  },
};
