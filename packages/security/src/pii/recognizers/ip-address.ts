import { isIP } from "node:net";

import { textBefore } from "../context.js";
import type { PiiFinding, Recognizer } from "../types.js";

const NAME = "ip-address";

/** Four dot-separated groups of one to three digits. */
const IPV4_CANDIDATE = /\d{1,3}(?:\.\d{1,3}){3}/g;
/** A run of characters that can form an IPv6 address. */
const IPV6_CANDIDATE = /[0-9A-Fa-f:.]+/g;
/** A zone id after "%", such as `eth0` in `fe80::1%eth0` (RFC 4007). */
const ZONE_ID = /%[0-9A-Za-z_.~-]+/y;
/** Words that mark a following dotted number as a version. */
const VERSION_WORDS = new Set(["version", "ver", "v", "release", "build"]);
/** How many words before a candidate the version check reads. */
const VERSION_WORD_LOOKBACK = 3;
/**
 * A word that ends right before a candidate, joined to it by one space or
 * by "/", as in "Python 3.11.4.0" or the product token "nginx/1.25.3.1".
 */
const PRODUCT_WORD_BEFORE = /(?<![\p{L}\p{N}_.-])(\p{L}[\p{L}\p{N}_-]*)\/$/u;
/**
 * Words that come right before an address in prose, logs and commands,
 * such as "from" or "host". A quad after one of them and a slash is still
 * an address.
 */
const ADDRESS_WORDS = new Set([
  "ip",
  "ipv4",
  "inet",
  "address",
  "addr",
  "host",
  "hostname",
  "server",
  "client",
  "peer",
  "remote",
  "local",
  "source",
  "src",
  "destination",
  "dest",
  "dst",
  "gateway",
  "gw",
  "router",
  "proxy",
  "dns",
  "nameserver",
  "node",
  "subnet",
  "network",
  "mask",
  "netmask",
  "from",
  "to",
  "at",
  "via",
  "on",
  "in",
  "of",
  "for",
  "by",
  "with",
  "and",
  "or",
  "then",
  "is",
  "was",
  "ping",
  "ssh",
  "curl",
  "telnet",
  "open",
  "connect",
  "connected",
  "connecting",
  "reach",
  "resolve",
  "resolved",
  "block",
  "blocked",
  "allow",
  "allowed",
  "deny",
  "denied",
  "ban",
  "banned",
  "listen",
  "listening",
  "bind",
]);

function isWordCharacter(character: string): boolean {
  return /^[\p{L}\p{N}_]$/u.test(character);
}

/** Tells whether the text right before `start` is a version label. */
function followsVersionWord(text: string, start: number): boolean {
  const words = textBefore(text, start, 30)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== "")
    .slice(-VERSION_WORD_LOOKBACK);
  return words.some((word) => VERSION_WORDS.has(word));
}

/**
 * Returns whether a candidate at `start` follows a product name and a
 * slash, as in "nginx/1.25.3.1" or a user agent's "Chrome/120.0.6099.71".
 * A product name followed by a space ("Firefox 115.0.2.1") is not
 * enough: prose puts all kinds of words before real addresses, so such a
 * quad stays an address unless a version word precedes it. The words in
 * ADDRESS_WORDS, such as "host" or "from", never mark a version.
 */
function followsProductName(text: string, start: number): boolean {
  const word = PRODUCT_WORD_BEFORE.exec(textBefore(text, start, 30))?.[1];
  return word !== undefined && !ADDRESS_WORDS.has(word);
}

/**
 * Tells whether an IPv4 candidate is on its own: no letter, digit or underscore
 * touches it, and it is not part of a longer dotted number like `1.2.3.4.5`.
 */
function isStandaloneIpv4(text: string, start: number, end: number): boolean {
  const before = text.charAt(start - 1);
  const after = text.charAt(end);
  if (isWordCharacter(before) || isWordCharacter(after)) {
    return false;
  }
  if (before === "." && /\d/.test(text.charAt(start - 2))) {
    return false;
  }
  if (after === "." && /\d/.test(text.charAt(end + 1))) {
    return false;
  }
  return true;
}

interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * Trims sentence punctuation from an IPv6 candidate and returns the longest
 * prefix that node:net accepts, or undefined.
 */
function trimIpv6(text: string, start: number, end: number): Span | undefined {
  let candidateEnd = end;
  while (candidateEnd > start && text.charAt(candidateEnd - 1) === ".") {
    candidateEnd -= 1;
  }
  // A single trailing colon ends a sentence clause, as in "fe80::1: down",
  // but "::" can end an address, as in "2001:db8::".
  if (
    text.charAt(candidateEnd - 1) === ":" &&
    text.charAt(candidateEnd - 2) !== ":"
  ) {
    candidateEnd -= 1;
  }
  const address = text.slice(start, candidateEnd);
  if (isIP(address) !== 6) {
    return undefined;
  }
  return { start, end: candidateEnd };
}

/**
 * Tells whether a valid IPv6 string looks like an address rather than code.
 * `std::vector` and `A::B` parse as IPv6 ("a::b") but are C++ or Rust
 * paths, so an address must contain a decimal digit. A form compressed
 * with "::" must also contain an embedded IPv4 address or at least three
 * groups. Failing that, it needs a group of four hex digits and a decimal
 * digit in every group, because short forms such as `e2e::fe` or
 * `cafe::1234` are usually identifiers or words.
 * NOTE: short real addresses such as the loopback `::1` are skipped too.
 */
function looksLikeIpv6Address(address: string): boolean {
  if (!/\d/.test(address)) {
    return false;
  }
  if (!address.includes("::") || address.includes(".")) {
    return true;
  }
  const groups = address.split(":").filter((group) => group !== "");
  if (groups.length >= 3) {
    return true;
  }
  return (
    groups.some((group) => group.length === 4) &&
    groups.every((group) => /\d/.test(group))
  );
}

/**
 * Returns whether the character at `index` continues code rather than
 * ending an address. Such a character is a letter, digit, "_", "$", "{" or
 * "(", as in `ab12::{x}`.
 */
function continuesCode(text: string, index: number): boolean {
  const character = text.charAt(index);
  return isWordCharacter(character) || /^[$({]$/.test(character);
}

function findIpv6(text: string): PiiFinding[] {
  const findings: PiiFinding[] = [];
  for (const match of text.matchAll(IPV6_CANDIDATE)) {
    const runStart = match.index;
    const runEnd = runStart + match[0].length;
    if ((match[0].match(/:/g)?.length ?? 0) < 2) {
      continue;
    }
    const span = trimIpv6(text, runStart, runEnd);
    if (span === undefined) {
      continue;
    }
    const address = text.slice(span.start, span.end);
    if (!looksLikeIpv6Address(address)) {
      continue;
    }

    let end = span.end;
    ZONE_ID.lastIndex = end;
    const zone = span.end === runEnd ? ZONE_ID.exec(text) : null;
    const zoneId = zone === null ? "" : zone[0].replace(/\.+$/, "");
    if (zoneId.length > 1 && isIP(address + zoneId) === 6) {
      end += zoneId.length;
    }
    if (
      isWordCharacter(text.charAt(span.start - 1)) ||
      continuesCode(text, end)
    ) {
      continue;
    }

    findings.push({
      type: "IP_ADDRESS",
      start: span.start,
      end,
      text: text.slice(span.start, end),
      score: 0.9,
      recognizer: NAME,
      validation: {
        version: 6,
        compressed: address.includes("::"),
        embeddedIpv4: address.includes("."),
        zoneId: end > span.end,
      },
    });
  }
  return findings;
}

function findIpv4(text: string, ipv6Findings: PiiFinding[]): PiiFinding[] {
  const findings: PiiFinding[] = [];
  for (const match of text.matchAll(IPV4_CANDIDATE)) {
    const start = match.index;
    const end = start + match[0].length;
    const insideIpv6 = ipv6Findings.some(
      (finding) => finding.start <= start && end <= finding.end,
    );
    // node:net rejects octets over 255 and leading zeros such as "01".
    if (
      insideIpv6 ||
      !isStandaloneIpv4(text, start, end) ||
      isIP(match[0]) !== 4 ||
      followsVersionWord(text, start) ||
      followsProductName(text, start)
    ) {
      continue;
    }
    findings.push({
      type: "IP_ADDRESS",
      start,
      end,
      text: match[0],
      score: 0.9,
      recognizer: NAME,
      validation: { version: 4 },
    });
  }
  return findings;
}

/**
 * Finds IPv4 and IPv6 addresses that node:net `isIP` accepts, skipping
 * version numbers like "version 1.2.3.4" or "Python 3.11.4.0" and code
 * such as the C++ path `std::vector`.
 */
export const ipAddressRecognizer: Recognizer = {
  name: NAME,
  types: ["IP_ADDRESS"],
  find(text) {
    const ipv6Findings = findIpv6(text);
    const findings = [...ipv6Findings, ...findIpv4(text, ipv6Findings)];
    return findings.sort((left, right) => left.start - right.start);
  },
};
