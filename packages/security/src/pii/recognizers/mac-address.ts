import type { PiiFinding, Recognizer } from "../types.js";

const NAME = "mac-address";

/** Six hex pairs joined by one separator, ":" or "-", used throughout. */
const SEPARATED_FORM =
  /[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}/g;
/** Three groups of four hex digits joined by dots, as Cisco IOS prints. */
const DOTTED_FORM = /[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}/g;

type MacFormat = "colon" | "hyphen" | "dotted";

/**
 * Tells whether a match is on its own: no letter, digit or underscore touches it,
 * and no separator followed by a hex digit continues it, as in an IPv6
 * address or a longer hex dump.
 */
function isStandalone(text: string, start: number, end: number): boolean {
  const word = /^[\p{L}\p{N}_]$/u;
  const hex = /^[0-9A-Fa-f]$/;
  const before = text.charAt(start - 1);
  const after = text.charAt(end);
  if (word.test(before) || word.test(after)) {
    return false;
  }
  if (/^[:.-]$/.test(before) && hex.test(text.charAt(start - 2))) {
    return false;
  }
  if (/^[:.-]$/.test(after) && hex.test(text.charAt(end + 1))) {
    return false;
  }
  return true;
}

function toFinding(
  text: string,
  start: number,
  end: number,
  format: MacFormat,
): PiiFinding | undefined {
  const matched = text.slice(start, end);
  const hexDigits = matched.replace(/[^0-9A-Fa-f]/g, "");
  if (/^0+$/.test(hexDigits) || !isStandalone(text, start, end)) {
    return undefined;
  }
  const firstOctet = Number.parseInt(hexDigits.slice(0, 2), 16);
  // A dotted group of decimal digits only, such as "2024.0101.1234", is
  // often a date or a version, so it gets a lower score.
  const decimalOnly = /^[0-9]+$/.test(hexDigits);
  let score = 0.85;
  if (format === "dotted") {
    score = decimalOnly ? 0.4 : 0.75;
  }
  return {
    type: "MAC_ADDRESS",
    start,
    end,
    text: matched,
    score,
    recognizer: NAME,
    validation: {
      format,
      // Bit 0 of the first octet marks group (multicast) addresses, and
      // bit 1 marks locally administered ones.
      multicast: (firstOctet & 0b01) !== 0,
      locallyAdministered: (firstOctet & 0b10) !== 0,
      broadcast: /^f{12}$/i.test(hexDigits),
    },
  };
}

/**
 * Finds MAC-48 addresses written as six hex pairs with ":" or "-", or as
 * three dotted groups of four. The all-zero address is skipped because it
 * identifies no device.
 */
export const macAddressRecognizer: Recognizer = {
  name: NAME,
  types: ["MAC_ADDRESS"],
  find(text) {
    const findings: PiiFinding[] = [];
    for (const match of text.matchAll(SEPARATED_FORM)) {
      const format = match[1] === ":" ? "colon" : "hyphen";
      const end = match.index + match[0].length;
      const finding = toFinding(text, match.index, end, format);
      if (finding !== undefined) {
        findings.push(finding);
      }
    }
    for (const match of text.matchAll(DOTTED_FORM)) {
      const end = match.index + match[0].length;
      const finding = toFinding(text, match.index, end, "dotted");
      if (finding !== undefined) {
        findings.push(finding);
      }
    }
    return findings.sort((left, right) => left.start - right.start);
  },
};
