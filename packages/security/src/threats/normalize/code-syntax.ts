import { MappedTextBuilder } from "./mapped-text.js";
import type { MappedText } from "./mapped-text.js";

/**
 * Rebuilds `input` with each match of `pattern` replaced by the text of
 * its one group, which must end `suffix` units before the match ends. The
 * group keeps its own units, and the rest of the match is dropped.
 */
function keepGroup(
  input: MappedText,
  pattern: RegExp,
  suffix: number,
): MappedText {
  const builder = new MappedTextBuilder();
  let copied = 0;
  for (const match of input.text.matchAll(pattern)) {
    const inner = match[1] ?? "";
    const start = match.index + match[0].length - suffix - inner.length;
    builder.copy(input, copied, match.index);
    builder.copy(input, start, start + inner.length);
    copied = match.index + match[0].length;
  }
  builder.copy(input, copied, input.text.length);
  return builder.build();
}

/**
 * A MySQL versioned comment such as `/*!50000UNION*\/`, whose content
 * MySQL runs as SQL when its version is at least the number.
 */
const VERSIONED_COMMENT = /\/\*!\d{0,6}([^*]{0,200})\*\//gu;

/**
 * Replaces MySQL versioned comments with their content, so
 * `/*!50000UNION*\/ SELECT` reads as `UNION SELECT`.
 */
export function unwrapVersionedComments(input: MappedText): MappedText {
  return input.text.includes("/*!")
    ? keepGroup(input, VERSIONED_COMMENT, "*/".length)
    : input;
}

/**
 * A quote or backslash between two word characters, which shell quote
 * removal drops, so `w'g'e't`, `c"a"t` and `r\m` run wget, cat and rm.
 * Also the field separator variable `${IFS}` or `$IFS`, which the shell
 * expands to white space, so `cat${IFS}/etc/passwd` has two words. The
 * view is lower-cased, so the name is matched in lower case.
 */
const SPLIT_IN_WORD = /(?<=\w)['"\\](?=\w)|\$\{ifs\}|\$ifs(?!\w)/gu;

/** Tells whether {@link joinShellWords} would change the text. */
export function hasSplitWords(text: string): boolean {
  SPLIT_IN_WORD.lastIndex = 0;
  const found = SPLIT_IN_WORD.test(text);
  SPLIT_IN_WORD.lastIndex = 0;
  return found;
}

/**
 * Removes quotes and backslashes inside words and writes `${IFS}` as a
 * space, as a shell does before it runs a command, so command names split
 * that way read whole.
 */
export function joinShellWords(input: MappedText): MappedText {
  if (!hasSplitWords(input.text)) {
    return input;
  }
  const builder = new MappedTextBuilder();
  let copied = 0;
  for (const match of input.text.matchAll(SPLIT_IN_WORD)) {
    builder.copy(input, copied, match.index);
    const end = match.index + match[0].length;
    if (match[0].startsWith("$")) {
      builder.replace(input, match.index, end, " ");
    }
    copied = end;
  }
  builder.copy(input, copied, input.text.length);
  return builder.build();
}
