/**
 * A text as the built-in recognizers read it, with a map from its offsets
 * back to the offsets of the original text.
 */
export interface NormalizedText {
  /** The normalized text. */
  readonly text: string;
  /**
   * Converts a range of the normalized text to the range of the original
   * text that it came from. The range starts at the original character of
   * its first code unit and ends after the original character of its
   * last one, so it spans any character removed inside it.
   */
  toOriginal(start: number, end: number): { start: number; end: number };
}

/**
 * Characters that normalizeForDetection changes: default-ignorable code
 * points such as U+200B and the soft hyphen, space separators other than
 * U+0020, decimal digits other than 0 to 9, and the full-width forms of
 * ASCII characters.
 */
const CHANGED =
  /[\p{Default_Ignorable_Code_Point}\uFF01-\uFF5E]|(?! )\p{Zs}|(?![0-9])\p{Nd}/u;
const IGNORABLE = /^\p{Default_Ignorable_Code_Point}$/u;
const SPACE_SEPARATOR = /^\p{Zs}$/u;
const DECIMAL_DIGIT = /^\p{Nd}$/u;

/** Offset from a full-width ASCII form, such as U+FF20, to its ASCII form. */
const FULL_WIDTH_OFFSET = 0xfee0;

const digitCache = new Map<number, string>();

/**
 * Returns the ASCII digit of a decimal digit code point. Each script's
 * decimal digits form runs from 0 to 9, and some runs follow each other,
 * so the value is the distance from the start of the run modulo 10. All
 * 72 runs of Unicode 17.0 have that form.
 */
function asciiDigit(codePoint: number): string {
  const known = digitCache.get(codePoint);
  if (known !== undefined) {
    return known;
  }
  let distance = 0;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(codePoint - distance - 1))) {
    distance++;
  }
  const digit = String(distance % 10);
  digitCache.set(codePoint, digit);
  return digit;
}

/** Returns the replacement of one character, "" to remove it. */
function normalizeCharacter(character: string, codePoint: number): string {
  // No character below U+00A0 changes.
  if (codePoint < 0xa0) {
    return character;
  }
  if (IGNORABLE.test(character)) {
    return "";
  }
  if (codePoint >= 0xff01 && codePoint <= 0xff5e) {
    return String.fromCharCode(codePoint - FULL_WIDTH_OFFSET);
  }
  if (SPACE_SEPARATOR.test(character)) {
    return " ";
  }
  if (DECIMAL_DIGIT.test(character)) {
    return asciiDigit(codePoint);
  }
  return character;
}

function identity(text: string): NormalizedText {
  return { text, toOriginal: (start, end) => ({ start, end }) };
}

/**
 * Builds the normalized text with, for each of its code units, the
 * original range that it came from.
 */
function mapCharacters(text: string): NormalizedText {
  // Every character maps to at most as many code units as it has, so the
  // normalized text is never longer than the original.
  const starts = new Int32Array(text.length);
  const ends = new Int32Array(text.length);
  const parts: string[] = [];
  let length = 0;
  let unchangedFrom = 0;
  let index = 0;
  while (index < text.length) {
    const codePoint = text.codePointAt(index) as number;
    const size = codePoint > 0xffff ? 2 : 1;
    const character = text.slice(index, index + size);
    const replacement = normalizeCharacter(character, codePoint);

    if (replacement === character) {
      for (let unit = 0; unit < size; unit++) {
        starts[length] = index + unit;
        ends[length] = index + unit + 1;
        length++;
      }
    } else {
      parts.push(text.slice(unchangedFrom, index), replacement);
      unchangedFrom = index + size;
      for (let unit = 0; unit < replacement.length; unit++) {
        starts[length] = index;
        ends[length] = index + size;
        length++;
      }
    }
    index += size;
  }
  parts.push(text.slice(unchangedFrom));

  return {
    text: parts.join(""),
    toOriginal: (start, end) => ({
      start: starts[start] ?? text.length,
      end: ends[end - 1] ?? text.length,
    }),
  };
}

/**
 * Normalizes a text for detection, so that characters a reader does not
 * see, or reads as others, cannot hide personal data. It removes
 * default-ignorable code points such as zero-width spaces and joiners,
 * the soft hyphen, direction marks and variation selectors. It turns
 * other spaces such as U+00A0 and U+202F into U+0020, and full-width
 * ASCII forms and the decimal digits of every script into ASCII. The
 * cost is linear in the length of the text, and a text without such
 * characters is returned as it is.
 */
export function normalizeForDetection(text: string): NormalizedText {
  return CHANGED.test(text) ? mapCharacters(text) : identity(text);
}
