import { domainToASCII } from "node:url";

import type { PiiFinding, Recognizer } from "../types.js";

/** Maximum local-part length in octets (RFC 5321). */
const MAX_LOCAL_OCTETS = 64;
/** Maximum address length in octets, the path limit of RFC 5321 less "<>". */
const MAX_ADDRESS_OCTETS = 254;
/** Maximum DNS label length in octets (RFC 1035). */
const MAX_LABEL_OCTETS = 63;

/**
 * Characters accepted in a local part: Unicode letters, marks and digits
 * (RFC 6531) plus `.`, `_`, `%`, `+` and `-`.
 * NOTE: RFC 5322 also allows characters such as `=`, `/`, `'` and `{`, but
 * they are left out because they join an address to the text around it, as
 * in `email=john@example.com`.
 */
const LOCAL_CHAR = /^[\p{L}\p{M}\p{N}._%+-]$/u;
/** Characters that a local part accepts but cannot start with. */
const NON_INITIAL_LOCAL_CHAR = /^[.\p{M}]$/u;
/** Characters accepted in a domain before it is split into labels. */
const DOMAIN_CHAR = /^[\p{L}\p{M}\p{N}.-]$/u;
/** A top-level domain of two or more letters, or its punycode form. */
const TOP_LEVEL_DOMAIN = /^(?:\p{L}[\p{L}\p{M}]+|xn--[a-z0-9-]+)$/iu;

const NAME = "email";

function isAscii(value: string): boolean {
  return /^\p{ASCII}*$/u.test(value);
}

/** Returns the code point that ends just before `index`, if any. */
function codePointBefore(text: string, index: number): string {
  const low = text.charCodeAt(index - 1);
  if (low >= 0xdc00 && low <= 0xdfff && index >= 2) {
    const high = text.charCodeAt(index - 2);
    if (high >= 0xd800 && high <= 0xdbff) {
      return text.slice(index - 2, index);
    }
  }
  return text.slice(index - 1, index);
}

/** Returns the code point that starts at `index`, if any. */
function codePointAt(text: string, index: number): string {
  const codePoint = text.codePointAt(index);
  return codePoint === undefined ? "" : String.fromCodePoint(codePoint);
}

/** Finds where the run of local-part characters ending at `at` starts. */
function scanLocalStart(text: string, at: number): number {
  let start = at;
  while (start > 0) {
    const character = codePointBefore(text, start);
    if (!LOCAL_CHAR.test(character)) {
      break;
    }
    start -= character.length;
  }
  // A dot cannot start a local part, so leading dots belong to the prose.
  // Nor can a combining mark or a variation selector (U+FE00 to U+FE0F,
  // which are marks too), because it belongs to the character before it,
  // such as U+FE0F after the emoji in "❤️ana@example.com".
  while (start < at) {
    const character = codePointAt(text, start);
    if (!NON_INITIAL_LOCAL_CHAR.test(character)) {
      break;
    }
    start += character.length;
  }
  return start;
}

/** Finds where the run of domain characters starting at `from` ends. */
function scanDomainEnd(text: string, from: number): number {
  let end = from;
  while (end < text.length) {
    const character = codePointAt(text, end);
    if (!DOMAIN_CHAR.test(character)) {
      break;
    }
    end += character.length;
  }
  // Trailing dots and hyphens are sentence punctuation, not the domain.
  while (end > from && /[.-]/.test(text.charAt(end - 1))) {
    end -= 1;
  }
  return end;
}

interface DomainCheck {
  readonly asciiDomain: string;
  readonly topLevelDomain: string;
}

/**
 * Validates a domain and returns its ASCII (punycode) form, or undefined
 * when a label is empty, too long, starts or ends with a hyphen, or the
 * top-level domain is not alphabetic.
 */
function checkDomain(domain: string): DomainCheck | undefined {
  const labels = domain.split(".");
  if (labels.length < 2) {
    return undefined;
  }
  for (const label of labels) {
    if (label === "" || label.startsWith("-") || label.endsWith("-")) {
      return undefined;
    }
  }
  const topLevelDomain = labels[labels.length - 1] ?? "";
  if (!TOP_LEVEL_DOMAIN.test(topLevelDomain)) {
    return undefined;
  }
  // "icon@2x.png" names an image at twice the resolution, not a mailbox.
  if (labels.length === 2 && /^\d+x$/iu.test(labels[0] ?? "")) {
    return undefined;
  }
  // domainToASCII returns "" for labels that IDNA rejects, such as
  // malformed punycode.
  const asciiDomain = domainToASCII(domain);
  if (asciiDomain === "") {
    return undefined;
  }
  for (const label of asciiDomain.split(".")) {
    if (label.length > MAX_LABEL_OCTETS) {
      return undefined;
    }
  }
  return { asciiDomain, topLevelDomain };
}

/** Builds a finding for the address whose "@" is at `at`, if it is valid. */
function checkAddress(text: string, at: number): PiiFinding | undefined {
  const start = scanLocalStart(text, at);
  const end = scanDomainEnd(text, at + 1);
  // A second "@" next to the address means this is not one address.
  if (text.charAt(start - 1) === "@" || text.charAt(end) === "@") {
    return undefined;
  }

  const localPart = text.slice(start, at);
  const domain = text.slice(at + 1, end);
  if (localPart === "" || localPart.endsWith(".") || localPart.includes("..")) {
    return undefined;
  }
  const localOctets = Buffer.byteLength(localPart, "utf8");
  if (localOctets > MAX_LOCAL_OCTETS) {
    return undefined;
  }

  const domainCheck = checkDomain(domain);
  if (domainCheck === undefined) {
    return undefined;
  }
  const addressOctets = localOctets + 1 + domainCheck.asciiDomain.length;
  if (addressOctets > MAX_ADDRESS_OCTETS) {
    return undefined;
  }

  return {
    type: "EMAIL",
    start,
    end,
    text: text.slice(start, end),
    score: 0.95,
    recognizer: NAME,
    validation: {
      localPartOctets: localOctets,
      addressOctets,
      internationalLocalPart: !isAscii(localPart),
      internationalDomain: !isAscii(domain),
      punycode: /(?:^|\.)xn--/i.test(domain),
      topLevelDomain: domainCheck.topLevelDomain.toLowerCase(),
    },
  };
}

/**
 * Finds email addresses, including internationalised ones (RFC 6531).
 * The scan starts at each "@" and grows outwards, so its cost is linear in
 * the text length.
 */
export const emailRecognizer: Recognizer = {
  name: NAME,
  types: ["EMAIL"],
  find(text) {
    const findings: PiiFinding[] = [];
    let at = text.indexOf("@");
    while (at !== -1) {
      const finding = checkAddress(text, at);
      if (finding !== undefined) {
        findings.push(finding);
      }
      at = text.indexOf("@", at + 1);
    }
    return findings;
  },
};
