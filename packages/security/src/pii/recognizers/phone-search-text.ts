/**
 * Characters that libphonenumber-js 1.13 (its VALID_PUNCTUATION) accepts
 * between the digit groups of one phone number: dashes, slashes, dots,
 * spaces, brackets and tildes, full-width forms included.
 */
const GROUP_PUNCTUATION = new Set(
  "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff0d" +
    "/\uff0f.\uff0e \u00a0\u00ad\u200b\u2060\u3000" +
    "()[]\uff08\uff09\uff3b\uff3d~\u2053\u223c\uff5e",
);

/** Punctuation characters that the matcher accepts between two groups. */
const MAX_GROUP_PUNCTUATION = 4;

/**
 * Digits of the shortest possible national number in the libphonenumber-js
 * metadata (4, in regions such as Niue and Saint Helena).
 */
const MIN_PHONE_DIGITS = 4;

/**
 * A digit chain this close after a possible phone number, and this short,
 * may be its extension (", ext. 17", " x 9") and is kept.
 */
const EXTENSION_REACH = 32;
const MAX_EXTENSION_LENGTH = 24;

const NON_ASCII_DIGIT = /^\p{Nd}$/u;

/** Digit groups joined as the matcher joins them. */
interface DigitChain {
  readonly start: number;
  readonly end: number;
  readonly digits: number;
  /** Digits of the longest group. */
  readonly longestGroup: number;
}

/** Returns the code units of the decimal digit at `index`, or 0. */
function digitSizeAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  if (code >= 0x30 && code <= 0x39) {
    return 1;
  }
  if (code < 0x80 || Number.isNaN(code)) {
    return 0;
  }
  const codePoint = text.codePointAt(index) as number;
  const character = String.fromCodePoint(codePoint);
  return NON_ASCII_DIGIT.test(character) ? character.length : 0;
}

/** Reads the digit chain that starts at `start`, which is a digit. */
function readChain(text: string, start: number): DigitChain {
  let index = start;
  let digits = 0;
  let longestGroup = 0;
  for (;;) {
    let group = 0;
    for (let size = digitSizeAt(text, index); size > 0;) {
      group++;
      index += size;
      size = digitSizeAt(text, index);
    }
    digits += group;
    longestGroup = Math.max(longestGroup, group);
    const groupEnd = index;
    let punctuation = 0;
    while (
      punctuation < MAX_GROUP_PUNCTUATION &&
      GROUP_PUNCTUATION.has(text.charAt(index + punctuation))
    ) {
      punctuation++;
    }
    if (punctuation === 0 || digitSizeAt(text, index + punctuation) === 0) {
      return { start, end: groupEnd, digits, longestGroup };
    }
    index += punctuation;
  }
}

/**
 * Tells whether a chain may hold a phone number: it has enough digits,
 * and some group of two or more, as phone numbers are usually written.
 * Digits written one at a time ("1.1.1.1", "6 1 2 3 4 5 6 7 8") are not
 * read, although libphonenumber-js accepts some of them.
 */
function mayHoldPhoneNumber(chain: DigitChain): boolean {
  return chain.digits >= MIN_PHONE_DIGITS && chain.longestGroup >= 2;
}

/**
 * Returns the text that libphonenumber-js searches: `text` with each chain
 * of digits that cannot hold a phone number replaced by "_", so offsets
 * stay those of `text`. The matcher builds and rejects a candidate for
 * every few digits of such a chain, and a text of "1." repeated cost
 * seconds per megabyte. It joins digits only across its punctuation, so
 * its candidates in other chains stay the same. A short chain right after
 * a possible number is kept, because it may be its extension.
 *
 * NOTE: a blanked chain no longer starts a candidate, so digits that the
 * matcher read as its extension ("7 x 555 0142") are read on their own.
 */
export function phoneSearchText(text: string): string {
  const parts: string[] = [];
  let copiedTo = 0;
  let lastPossibleEnd = -Infinity;
  let index = 0;
  while (index < text.length) {
    if (digitSizeAt(text, index) === 0) {
      index++;
      continue;
    }
    const chain = readChain(text, index);
    index = chain.end;
    if (mayHoldPhoneNumber(chain)) {
      lastPossibleEnd = chain.end;
      continue;
    }
    const mayBeExtension =
      chain.start - lastPossibleEnd <= EXTENSION_REACH &&
      chain.end - chain.start <= MAX_EXTENSION_LENGTH;
    if (!mayBeExtension) {
      parts.push(
        text.slice(copiedTo, chain.start),
        "_".repeat(chain.end - chain.start),
      );
      copiedTo = chain.end;
    }
  }
  if (parts.length === 0) {
    return text;
  }
  parts.push(text.slice(copiedTo));
  return parts.join("");
}
