import { MappedText, MappedTextBuilder } from "./mapped-text.js";

/**
 * Code point ranges of characters that render as nothing, so they can split
 * a keyword without changing how it looks. They are the soft hyphen, the
 * combining grapheme joiner, zero-width and joiner characters, bidi
 * controls, variation selectors, Hangul fillers, the byte order mark, and
 * the tag begin and cancel characters.
 */
const INVISIBLE_RANGES: readonly (readonly [number, number])[] = [
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x061c, 0x061c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xe0001, 0xe0001],
  [0xe007f, 0xe007f],
  [0xe0100, 0xe01ef],
];

/** Unicode tag characters, which spell hidden ASCII text. */
const TAG_FIRST = 0xe0020;
const TAG_LAST = 0xe007e;

function isInvisible(codePoint: number): boolean {
  return INVISIBLE_RANGES.some(
    ([first, last]) => codePoint >= first && codePoint <= last,
  );
}

/**
 * Tells whether a code point is a C0 or C1 control character other than
 * the white space characters tab, line feed, vertical tab, form feed and
 * carriage return.
 */
function isControl(codePoint: number): boolean {
  return (
    (codePoint < 0x20 && (codePoint < 0x09 || codePoint > 0x0d)) ||
    (codePoint >= 0x7f && codePoint <= 0x9f)
  );
}

/** Tells whether {@link stripInvisible} would change the text. */
function needsStripping(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || (code >= 0x7f && code <= 0xad)) {
      if (isControl(code) || code === 0x0b || code === 0x0c || code === 0xad) {
        return true;
      }
    } else if (code >= 0x34f && (isInvisible(code) || code >= 0xd800)) {
      // A surrogate may start a tag or variation selector; check it whole.
      const codePoint = text.codePointAt(index) ?? code;
      if (
        isInvisible(codePoint) ||
        (codePoint >= TAG_FIRST && codePoint <= TAG_LAST)
      ) {
        return true;
      }
    }
  }
  return false;
}

/**
 * Removes invisible and control characters, and turns Unicode tag
 * characters back into the ASCII they spell, so hidden text is read.
 */
export function stripInvisible(input: MappedText): MappedText {
  if (!needsStripping(input.text)) {
    return input;
  }
  const builder = new MappedTextBuilder();
  const text = input.text;
  let index = 0;
  while (index < text.length) {
    const codePoint = text.codePointAt(index) ?? 0;
    const size = codePoint > 0xffff ? 2 : 1;
    if (codePoint >= TAG_FIRST && codePoint <= TAG_LAST) {
      builder.replace(
        input,
        index,
        index + size,
        String.fromCharCode(codePoint - 0xe0000),
      );
    } else if (codePoint === 0x0b || codePoint === 0x0c) {
      // Form feed is white space in HTML, and both are in JavaScript.
      builder.replace(input, index, index + size, " ");
    } else if (!isInvisible(codePoint) && !isControl(codePoint)) {
      builder.copy(input, index, index + size);
    }
    index += size;
  }
  return builder.build();
}

/**
 * Letters that neither NFKD nor lower-casing reduce to ASCII or to the
 * plain form that the prose patterns are written in, such as the German
 * sharp s, the Turkish dotless i and the Arabic alef with hamza.
 */
const EXTRA_FOLDS: Readonly<Record<string, string>> = {
  ß: "ss",
  ı: "i",
  đ: "d",
  ð: "d",
  ø: "o",
  ł: "l",
  ħ: "h",
  æ: "ae",
  œ: "oe",
  þ: "th",
  "\u0623": "\u0627",
  "\u0625": "\u0627",
  "\u0622": "\u0627",
  "\u0671": "\u0627",
  "\u0649": "\u064A",
  "\u2018": "'",
  "\u2019": "'",
  "\u201B": "'",
  "\u2032": "'",
  "\u02BC": "'",
};

/**
 * Scripts whose accents and vowel marks are optional in writing, so the
 * prose view drops them. Indic and Thai marks are part of the spelling
 * and Cyrillic letters such as й would change, so those scripts keep them.
 */
const ACCENT_FOLDED =
  /[\p{Script=Latin}\p{Script=Greek}\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Common}]/u;

const MARK = /\p{Mn}/gu;

/**
 * A run of ASCII characters that no combining mark follows, a base
 * character with its combining marks, or a run of stray marks.
 */
const CLUSTER = /(?:\p{ASCII}(?!\p{M}))+|\P{M}\p{M}*|\p{M}+/gsu;

const ASCII = /^\p{ASCII}*$/u;

/** The mode of {@link foldText}: prose drops accents, code keeps them. */
export type FoldMode = "prose" | "code";

/**
 * Prime marks that payload lists carry in place of quotes after copying
 * through a word processor; the code view reads them as ASCII quotes.
 * Curly quotes stay, because prose uses them and a database does not
 * read them as quotes.
 */
const CODE_QUOTES: Readonly<Record<string, string>> = {
  "\u2032": "'",
  "\u2033": '"',
};

function foldCluster(cluster: string, mode: FoldMode): string {
  let folded: string;
  if (mode === "prose" && ACCENT_FOLDED.test(cluster)) {
    folded = cluster.normalize("NFKD").replace(MARK, "").normalize("NFKC");
  } else {
    folded = cluster.normalize("NFKC");
  }
  folded = folded.toLowerCase();
  if (mode === "code") {
    folded = CODE_QUOTES[folded] ?? folded;
  }
  if (mode === "prose") {
    let mapped = "";
    for (const character of folded) {
      mapped += EXTRA_FOLDS[character] ?? character;
    }
    folded = mapped;
  }
  return folded;
}

/**
 * Applies NFKC compatibility folding (full-width and mathematical letters,
 * ligatures) and lower-casing, one base character with its marks at a
 * time so every output unit maps to its source. The `prose` mode also
 * drops accents of Latin, Greek, Arabic and Hebrew letters.
 */
export function foldText(input: MappedText, mode: FoldMode): MappedText {
  if (ASCII.test(input.text)) {
    // ASCII lower-casing keeps every length, so the spans stay valid.
    const lower = input.text.toLowerCase();
    return lower === input.text
      ? input
      : new MappedText(lower, input.starts, input.ends);
  }
  const builder = new MappedTextBuilder();
  for (const match of input.text.matchAll(CLUSTER)) {
    const from = match.index;
    const to = from + match[0].length;
    if (match[0].charCodeAt(0) < 0x80 && ASCII.test(match[0])) {
      builder.copyAs(input, from, to, match[0].toLowerCase());
      continue;
    }
    const folded = foldCluster(match[0], mode);
    if (folded === match[0]) {
      builder.copy(input, from, to);
    } else if (folded.length > 0) {
      builder.replace(input, from, to, folded);
    }
  }
  return builder.build();
}
