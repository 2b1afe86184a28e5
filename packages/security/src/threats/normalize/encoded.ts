import type { TextSpan } from "./mapped-text.js";

/** A run of text that decodes to readable words. */
export interface EncodedRun extends TextSpan {
  readonly encoding: "base64" | "hex" | "binary";
  readonly decoded: string;
}

const BASE64 = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{24,}={0,2}(?![A-Za-z0-9+/=])/gu;
const HEX = /(?<![0-9a-fA-F])(?:[0-9a-fA-F]{2}[\s:]?){12,}(?![0-9a-fA-F])/gu;
const BINARY = /(?<![01])(?:[01]{8}\s?){6,}(?![01])/gu;

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

function decodeRun(
  encoding: EncodedRun["encoding"],
  run: string,
): string | undefined {
  let decoded: string;
  if (encoding === "base64") {
    // Long words and identifiers match the alphabet too; they decode to noise.
    if (!/[0-9+/=]|[A-Z].*[a-z].*[A-Z]/u.test(run)) {
      return undefined;
    }
    decoded = decodeBytes(Buffer.from(run, "base64"));
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
  return readable(decoded) ? decoded : undefined;
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
      const decoded = decodeRun(encoding, run);
      if (decoded !== undefined) {
        const start = offset + match.index;
        runs.push({ encoding, decoded, start, end: start + run.length });
      }
    }
  }
  return runs;
}
