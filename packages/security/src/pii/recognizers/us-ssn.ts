import { isDelimited, textAfter, textBefore } from "../context.js";
import type { PiiFinding, Recognizer } from "../types.js";

const NAME = "us-ssn";

/**
 * Area, group and serial written with one kind of separator: hyphens,
 * single spaces, or none.
 */
const SSN_PATTERN = /(\d{3})([- ]?)(\d{2})\2(\d{4})/g;

const SSN_CONTEXT =
  /(?:^|[^a-z])(?:ssns?|social security|soc\.? ?sec\.?|ss ?#|ss no\.?|ssa|taxpayer|itin)(?:[^a-z]|$)/;

/**
 * Numbers that the Social Security Administration voided after they were
 * printed as samples: 078-05-1120 on a wallet insert sold by Woolworth in
 * 1938, and 219-09-9999 in an SSA advertisement.
 */
const PUBLISHED_EXAMPLES: ReadonlySet<string> = new Set([
  "078051120",
  "219099999",
]);

/**
 * Returns why the area, group and serial cannot form an issued SSN, or
 * undefined when they can. The SSA never issues area 000, 666 or 900-999,
 * group 00 or serial 0000.
 */
export function findSsnProblem(digits: string): string | undefined {
  const area = Number(digits.slice(0, 3));
  const group = Number(digits.slice(3, 5));
  const serial = Number(digits.slice(5, 9));
  if (area === 0 || area === 666 || area >= 900) {
    return "invalid area";
  }
  if (group === 0) {
    return "invalid group";
  }
  if (serial === 0) {
    return "invalid serial";
  }
  if (PUBLISHED_EXAMPLES.has(digits)) {
    return "published example";
  }
  // Numbers such as 111-11-1111 and 123-45-6789 are placeholders in forms
  // and test data far more often than real SSNs.
  if (/^(\d)\1{8}$/.test(digits) || digits === "123456789") {
    return "placeholder";
  }
  return undefined;
}

/**
 * Finds US Social Security numbers written as AAA-GG-SSSS or AAA GG SSSS,
 * and as nine unbroken digits only next to words such as "SSN" or "social
 * security". Area, group and serial must be ones the SSA can issue.
 */
export const usSsnRecognizer: Recognizer = {
  name: NAME,
  types: ["US_SSN"],
  find(text: string): PiiFinding[] {
    const findings: PiiFinding[] = [];
    for (const match of text.matchAll(SSN_PATTERN)) {
      const start = match.index;
      const end = start + match[0].length;
      const separator = match[2] ?? "";
      if (
        !isDelimited(text, start, end) ||
        continuesNumber(text, start, end, separator)
      ) {
        continue;
      }
      const digits = `${match[1] ?? ""}${match[3] ?? ""}${match[4] ?? ""}`;
      if (findSsnProblem(digits) !== undefined) {
        continue;
      }

      const nearSsnWord =
        SSN_CONTEXT.test(textBefore(text, start)) ||
        SSN_CONTEXT.test(textAfter(text, end));
      const score = scoreSsn(separator, nearSsnWord);
      if (score === undefined) {
        continue;
      }
      findings.push({
        type: "US_SSN",
        start,
        end,
        text: match[0],
        score,
        recognizer: NAME,
        validation: {
          valid: true,
          format:
            separator === "-"
              ? "hyphenated"
              : separator === " "
                ? "spaced"
                : "unbroken",
          context: nearSsnWord,
        },
      });
    }
    return findings;
  },
};

/**
 * Returns whether a hyphen or space joins the match to more digits, as in
 * 1-212-55-5014 or the digit groups of a card number.
 */
function continuesNumber(
  text: string,
  start: number,
  end: number,
  separator: string,
): boolean {
  const before = text.slice(Math.max(0, start - 2), start);
  const after = text.slice(end, end + 2);
  // A number written with hyphens is continued by a hyphen, not by a
  // space and the next number, as in "536-90-4399 2024".
  let joiner = / /u;
  if (separator === "") {
    joiner = /[- ]/u;
  } else if (separator === "-") {
    joiner = /-/u;
  }
  return (
    (joiner.test(before.charAt(1)) && /\d/u.test(before.charAt(0))) ||
    (joiner.test(after.charAt(0)) && /\d/u.test(after.charAt(1)))
  );
}

/** Returns the score, or undefined when the format needs context it lacks. */
function scoreSsn(separator: string, nearSsnWord: boolean): number | undefined {
  if (separator === "") {
    return nearSsnWord ? 0.85 : undefined;
  }
  const base = separator === "-" ? 0.6 : 0.45;
  return nearSsnWord ? base + 0.35 : base;
}
