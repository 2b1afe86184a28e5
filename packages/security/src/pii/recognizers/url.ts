import { isIP } from "node:net";

import type { PiiFinding, Recognizer } from "../types.js";

const NAME = "url";

/**
 * An http, https or ftp URL, or a bare host starting with "www.", up to the
 * next whitespace, quote, angle bracket or CJK punctuation mark. CJK
 * punctuation (U+3000 to U+303F and the full-width marks U+FF01 to U+FF0F
 * and U+FF1A to U+FF20) ends a URL because CJK text puts no space there.
 */
const URL_CANDIDATE =
  /\b(?:(?:https?|ftp):\/\/|www\.)[^\s<>"'`\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]+/giu;
/** Punctuation that ends a sentence or clause rather than a URL. */
const TRAILING_PUNCTUATION = /^[.,;:!?*]$/;
/** Closing brackets that are kept only when the URL opens them too. */
const BRACKET_PAIRS: Readonly<Record<string, string>> = {
  ")": "(",
  "]": "[",
  "}": "{",
};
/** A top-level domain of two or more letters, or its punycode form. */
const TOP_LEVEL_DOMAIN = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** Counts each bracket character in a string. */
function countBrackets(value: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const character of value) {
    if ("()[]{}".includes(character)) {
      counts.set(character, (counts.get(character) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * Removes trailing sentence punctuation and closing brackets that have no
 * opening partner inside the URL, as in "(see https://example.com/a)."
 */
function trimCandidate(candidate: string): string {
  const counts = countBrackets(candidate);
  let end = candidate.length;
  while (end > 0) {
    const last = candidate.charAt(end - 1);
    const opening = BRACKET_PAIRS[last];
    const unbalanced =
      opening !== undefined &&
      (counts.get(last) ?? 0) > (counts.get(opening) ?? 0);
    if (!TRAILING_PUNCTUATION.test(last) && !unbalanced) {
      break;
    }
    if (unbalanced) {
      counts.set(last, (counts.get(last) ?? 0) - 1);
    }
    end -= 1;
  }
  return candidate.slice(0, end);
}

type HostKind = "domain" | "ipv4" | "ipv6" | "localhost";

/**
 * Classifies the host of a parsed URL, or returns undefined for a host
 * that is not a public-looking domain name, an IP address or localhost.
 */
function classifyHost(hostname: string): HostKind | undefined {
  if (hostname.startsWith("[")) {
    return "ipv6";
  }
  if (isIP(hostname) === 4) {
    return "ipv4";
  }
  if (hostname === "localhost") {
    return "localhost";
  }
  const labels = hostname.split(".");
  const topLevelDomain = labels[labels.length - 1] ?? "";
  if (labels.length < 2 || !TOP_LEVEL_DOMAIN.test(topLevelDomain)) {
    return undefined;
  }
  return "domain";
}

/** Parses a candidate with the WHATWG URL parser, or returns undefined. */
function parseCandidate(candidate: string): URL | undefined {
  const absolute = /^www\./i.test(candidate)
    ? `http://${candidate}`
    : candidate;
  try {
    return new URL(absolute);
  } catch {
    return undefined;
  }
}

/**
 * Finds http, https and ftp URLs and bare `www.` hosts that the WHATWG URL
 * parser accepts, with a host that is a domain name, an IP address or
 * localhost.
 */
export const urlRecognizer: Recognizer = {
  name: NAME,
  types: ["URL"],
  find(text) {
    const findings: PiiFinding[] = [];
    for (const match of text.matchAll(URL_CANDIDATE)) {
      const candidate = trimCandidate(match[0]);
      const url = parseCandidate(candidate);
      if (url === undefined) {
        continue;
      }
      // The WHATWG parser returns the host in ASCII (punycode) form.
      const hostKind = classifyHost(url.hostname);
      if (hostKind === undefined) {
        continue;
      }
      const hasScheme = !/^www\./i.test(candidate);
      findings.push({
        type: "URL",
        start: match.index,
        end: match.index + candidate.length,
        text: candidate,
        score: hasScheme ? 0.9 : 0.8,
        recognizer: NAME,
        validation: {
          scheme: url.protocol.slice(0, -1),
          schemeWritten: hasScheme,
          hostKind,
          credentials: url.username !== "" || url.password !== "",
          query: url.search !== "",
        },
      });
    }
    return findings;
  },
};
