import type { TextSpan } from "./mapped-text.js";

/** A run of text that decodes to readable words. */
export interface EncodedRun extends TextSpan {
  readonly encoding: "base64" | "hex" | "binary";
  readonly decoded: string;
}

/**
 * Base64 or base64url text, possibly wrapped over several lines as mail
 * and PEM files wrap it. Every line has four or more characters, so a
 * line break is the only separator and the pattern cannot backtrack
 * between lines. {@link MIN_BASE64_LENGTH} is checked after the match.
 */
const BASE64 =
  /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{4,}(?:\r?\n[A-Za-z0-9+/_-]{4,})*={0,2}(?![A-Za-z0-9+/_=-])/gu;
const HEX = /(?<![0-9a-fA-F])(?:[0-9a-fA-F]{2}[\s:]?){12,}(?![0-9a-fA-F])/gu;
const BINARY = /(?<![01])(?:[01]{8}\s?){6,}(?![01])/gu;

/** Minimum number of base64 characters in a run, line breaks left out. */
const MIN_BASE64_LENGTH = 24;

/** Share of printable characters a decoded run needs to count as text. */
const MIN_PRINTABLE = 0.9;

function readable(text: string): boolean {
  if (text.length < 8) {
    return false;
  }
  const printable = text.match(/[\p{L}\p{N}\p{P}\p{S}\p{Zs}\n]/gu)?.length ?? 0;
  return printable / text.length >= MIN_PRINTABLE && /\p{L}{3}/u.test(text);
}

function decodeBytes(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
}

/**
 * Tells whether a run of base64 characters looks encoded rather than like
 * a long word or identifier. An encoded run has a digit, `+`, `/`, `=`,
 * `-` or `_`, or a capital after a small letter after a capital, as in
 * "SWdub3Jl". The check reads the run once, so it stays linear.
 */
export function looksEncoded(run: string): boolean {
  let capitalThenSmall = false;
  let capital = false;
  for (let index = 0; index < run.length; index++) {
    const code = run.charCodeAt(index);
    if (code >= 0x41 && code <= 0x5a) {
      if (capitalThenSmall) {
        return true;
      }
      capital = true;
    } else if (code >= 0x61 && code <= 0x7a) {
      capitalThenSmall ||= capital;
    } else if (code !== 0x0a && code !== 0x0d) {
      return true;
    }
  }
  return false;
}

/** Removes the line breaks of a wrapped base64 run. */
function unwrap(run: string): string {
  return run.replace(/[\r\n]/gu, "");
}

/**
 * Decodes a base64 run. A run whose text is itself base64 is decoded
 * once more, so text encoded twice is read too.
 */
function decodeBase64(run: string): string | undefined {
  const flat = unwrap(run);
  if (flat.length < MIN_BASE64_LENGTH || !looksEncoded(flat)) {
    return undefined;
  }
  const decoded = decodeBytes(Buffer.from(flat, "base64"));
  const inner = decoded.trim();
  if (
    /^[A-Za-z0-9+/_\r\n-]+={0,2}$/u.test(inner) &&
    unwrap(inner).length >= MIN_BASE64_LENGTH &&
    looksEncoded(unwrap(inner))
  ) {
    const twice = decodeBytes(Buffer.from(unwrap(inner), "base64"));
    if (readable(twice)) {
      return twice;
    }
  }
  return decoded;
}

function decodeRun(
  encoding: EncodedRun["encoding"],
  run: string,
): string | undefined {
  let decoded: string | undefined;
  if (encoding === "base64") {
    decoded = decodeBase64(run);
  } else if (encoding === "hex") {
    decoded = decodeBytes(Buffer.from(run.replace(/[\s:]/gu, ""), "hex"));
  } else {
    const bits = run.replace(/\s/gu, "");
    const bytes = new Uint8Array(Math.floor(bits.length / 8));
    for (let index = 0; index < bytes.length; index++) {
      bytes[index] = parseInt(bits.slice(index * 8, index * 8 + 8), 2);
    }
    decoded = decodeBytes(bytes);
  }
  return decoded !== undefined && readable(decoded) ? decoded : undefined;
}

/**
 * Returns where a run may start: at its first character, and on its second
 * line when it is a wrapped base64 block whose first line is narrower or
 * wider than the second. Such a first line is likely a word before the
 * block, such as "decode" on a line of its own.
 */
function runStarts(encoding: EncodedRun["encoding"], run: string): number[] {
  const first = run.indexOf("\n");
  if (encoding !== "base64" || first < 0) {
    return [0];
  }
  const second = run.indexOf("\n", first + 1);
  const width = (second < 0 ? run.length : second) - (first + 1);
  const firstWidth = run.charAt(first - 1) === "\r" ? first - 1 : first;
  return firstWidth === width ? [0] : [0, first + 1];
}

/**
 * Finds runs of base64, hexadecimal or binary in `text` that decode to
 * readable text, so instructions hidden that way can be read. Offsets
 * are added to `offset`.
 */
export function findEncodedRuns(text: string, offset: number): EncodedRun[] {
  const runs: EncodedRun[] = [];
  const patterns: [EncodedRun["encoding"], RegExp][] = [
    ["base64", BASE64],
    ["hex", HEX],
    ["binary", BINARY],
  ];
  for (const [encoding, pattern] of patterns) {
    for (const match of text.matchAll(pattern)) {
      const run = match[0].trimEnd();
      for (const from of runStarts(encoding, run)) {
        const decoded = decodeRun(encoding, run.slice(from));
        if (decoded !== undefined) {
          const start = offset + match.index + from;
          const end = offset + match.index + run.length;
          runs.push({ encoding, decoded, start, end });
          break;
        }
      }
    }
  }
  return runs;
}
