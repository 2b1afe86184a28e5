import { MappedTextBuilder } from "./mapped-text.js";
import type { MappedText } from "./mapped-text.js";

/**
 * Lower-case Cyrillic and Greek letters that look like a Latin letter, with
 * that letter. Applied only inside words that mix them with Latin letters,
 * or to long all-Cyrillic words made only of the closest look-alikes, so
 * genuine Russian or Greek text keeps its letters.
 */
const HOMOGLYPHS: Readonly<Record<string, string>> = {
  а: "a",
  в: "b",
  г: "r",
  е: "e",
  ё: "e",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  п: "n",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  ь: "b",
  ѕ: "s",
  і: "i",
  ї: "i",
  ј: "j",
  ԁ: "d",
  һ: "h",
  ԛ: "q",
  ԝ: "w",
  ӏ: "l",
  ɡ: "g",
  ɑ: "a",
  α: "a",
  β: "b",
  γ: "y",
  ε: "e",
  η: "n",
  ι: "i",
  κ: "k",
  ν: "v",
  ο: "o",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  ω: "w",
  ϲ: "c",
  ϳ: "j",
};

/** Cyrillic letters that are near-identical to a Latin letter. */
const CLOSEST_CYRILLIC = new Set("аеорсухіјѕԁһԛԝӏ");

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const LATIN_LETTER = /[a-z]/u;

function shouldMapHomoglyphs(word: string): boolean {
  let lookAlikes = 0;
  for (const character of word) {
    if (HOMOGLYPHS[character] !== undefined) {
      lookAlikes++;
    }
  }
  if (lookAlikes === 0) {
    return false;
  }
  if (LATIN_LETTER.test(word)) {
    return true;
  }
  return (
    word.length >= 4 &&
    Array.from(word).every((character) => CLOSEST_CYRILLIC.has(character))
  );
}

/**
 * Replaces Cyrillic and Greek look-alike letters with Latin ones inside
 * words that mix scripts, such as "ignоre" with a Cyrillic о. Expects
 * lower-cased input.
 */
export function mapHomoglyphs(input: MappedText): MappedText {
  if (!/[\u0370-\u052F\u0250-\u02AF]/u.test(input.text)) {
    return input;
  }
  const builder = new MappedTextBuilder();
  let copied = 0;
  for (const match of input.text.matchAll(WORD)) {
    if (!shouldMapHomoglyphs(match[0])) {
      continue;
    }
    builder.copy(input, copied, match.index);
    for (let index = 0; index < match[0].length; index++) {
      const at = match.index + index;
      const latin = HOMOGLYPHS[input.text.charAt(at)];
      if (latin === undefined) {
        builder.copy(input, at, at + 1);
      } else {
        builder.replace(input, at, at + 1, latin);
      }
    }
    copied = match.index + match[0].length;
  }
  builder.copy(input, copied, input.text.length);
  return builder.build();
}

/** Digits and symbols that stand for letters in leetspeak. */
const LEET: Readonly<Record<string, string>> = {
  "0": "o",
  "1": "i",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  "@": "a",
  $: "s",
  "!": "i",
  "|": "i",
};

/** A run of letters, digits and leet symbols that may form one word. */
const LEET_WORD = /[\p{L}\p{N}@$!|]+/gu;

/** Ordinals and counts such as "1st", "4th" or "90s" that are not leetspeak. */
const NUMBER_WORD = /^\d+(?:st|nd|rd|th|s|k|m|x|px|am|pm|kg|km|mb|gb)$/u;

function decodeLeetWord(word: string): string | undefined {
  if (!/\p{L}/u.test(word) || NUMBER_WORD.test(word)) {
    return undefined;
  }
  let decoded = "";
  let changed = false;
  for (let index = 0; index < word.length; index++) {
    const character = word.charAt(index);
    const letter = LEET[character];
    // "!" and "|" are punctuation unless a letter follows inside the word.
    const isSymbol = character === "!" || character === "|";
    if (
      letter !== undefined &&
      (!isSymbol || /\p{L}/u.test(word.charAt(index + 1)))
    ) {
      decoded += letter;
      changed = true;
    } else {
      decoded += character;
    }
  }
  return changed ? decoded : undefined;
}

/**
 * Reads leetspeak inside words that contain at least one letter, so
 * "1gn0re" becomes "ignore" while "2024" and "$100" stay. The digit 1 is
 * read as "i"; prose patterns accept "i" where they expect "l".
 */
export function decodeLeetspeak(input: MappedText): MappedText {
  if (!/[013457@$!|]/u.test(input.text)) {
    return input;
  }
  const builder = new MappedTextBuilder();
  let copied = 0;
  for (const match of input.text.matchAll(LEET_WORD)) {
    // "<|im_start|>" is a chat-template token, not leetspeak for "iim".
    const token = input.text.charAt(match.index - 1) === "<";
    const decoded = token ? undefined : decodeLeetWord(match[0]);
    if (decoded === undefined) {
      continue;
    }
    builder.copy(input, copied, match.index);
    // Leet decoding keeps the length, so each unit maps to its source.
    for (let index = 0; index < decoded.length; index++) {
      const at = match.index + index;
      builder.replace(input, at, at + 1, decoded.charAt(index));
    }
    copied = match.index + match[0].length;
  }
  builder.copy(input, copied, input.text.length);
  return builder.build();
}

/**
 * Three or more single letters, each followed by one separator, as in
 * "i g n o r e" or "i.g.n.o.r.e".
 */
const SPACED_LETTERS =
  /(?<![\p{L}\p{N}])\p{L}(?:[ .\-_*·•+/](?=\p{L}(?:[^\p{L}\p{N}]|$))\p{L}){2,}(?![\p{L}\p{N}])/gu;

/** Joins letters spelled out with separators, so "i g n o r e" reads "ignore". */
export function joinSpacedLetters(input: MappedText): MappedText {
  // test() moves lastIndex of a global pattern, and matchAll starts there.
  SPACED_LETTERS.lastIndex = 0;
  const found = SPACED_LETTERS.test(input.text);
  SPACED_LETTERS.lastIndex = 0;
  if (!found) {
    return input;
  }
  const builder = new MappedTextBuilder();
  let copied = 0;
  for (const match of input.text.matchAll(SPACED_LETTERS)) {
    builder.copy(input, copied, match.index);
    let at = match.index;
    for (const character of match[0]) {
      if (/\p{L}/u.test(character)) {
        builder.copy(input, at, at + character.length);
      }
      at += character.length;
    }
    copied = match.index + match[0].length;
  }
  builder.copy(input, copied, input.text.length);
  return builder.build();
}
