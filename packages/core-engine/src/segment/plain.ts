import type { CorpusBuilder } from "./corpus.js";
import { findUncuttableRanges } from "./protected.js";
import type { Range } from "./protected.js";
import { splitSentences, trimRange } from "./sentences.js";
import { MAX_UNIT_TOKENS, WINDOW_TOKENS } from "./limits.js";
import { pushWindows } from "./window.js";

// Blank lines and form feeds (page breaks in RFCs) separate blocks.
const BLOCK_SEPARATOR = /\n[ \t\r\f\v]*\n|\f/g;

const TOP_LEVEL_HEADING = /^(?:book|part|volume)\b/iu;
const CHAPTER_HEADING =
  /^(?:chapter|act|scene|epilogue|prologue|appendix|section)\b/iu;
const NUMBERED_HEADING = /^(\d+(?:\.\d+)*)\.?[ \t]+\p{Lu}[^.!?;]*$/u;
const HAS_LOWERCASE = /\p{Ll}/u;
const UPPERCASE_LETTER = /\p{Lu}/gu;
const SENTENCE_END = /[.!?。！？]["'’”)]*$/u;

/**
 * Returns the depth of a plain-text heading, or 0 when the line is not
 * one. Recognised: book, part and chapter titles, numbered section titles
 * such as `3.2 Caching`, and short lines in capitals.
 */
export function plainHeadingLevel(line: string): number {
  if (line.length > 100 || line.includes("\n")) {
    return 0;
  }
  if (TOP_LEVEL_HEADING.test(line)) {
    return 1;
  }
  if (CHAPTER_HEADING.test(line)) {
    return 2;
  }
  const numbered = NUMBERED_HEADING.exec(line);
  if (numbered !== null && line.length <= 80) {
    return (numbered[1] ?? "").split(".").length + 1;
  }
  // Capitals only, and at least three of them: scripts without case (CJK)
  // have no lowercase letters either, but no capitals.
  const capitals = line.match(UPPERCASE_LETTER)?.length ?? 0;
  const words = line.split(/\s+/u).length;
  if (capitals >= 3 && words <= 12 && !HAS_LOWERCASE.test(line)) {
    return SENTENCE_END.test(line) && words > 6 ? 0 : 2;
  }
  return 0;
}

/** Cuts a plain-text document into blocks, sections and units. */
export function segmentPlainText(builder: CorpusBuilder, text: string): void {
  const uncuttable = findUncuttableRanges(text);
  const sentences: Range[] = [];
  let blockStart = 0;
  const addBlock = (start: number, end: number): void => {
    const range = trimRange(text, start, end);
    if (range === undefined) {
      return;
    }
    const level = plainHeadingLevel(text.slice(range.start, range.end));
    if (level > 0) {
      builder.beginSection(level);
      builder.beginBlock("heading", range.start, range.end);
      builder.addUnit("heading", range.start, range.end);
      return;
    }
    builder.beginBlock("paragraph", range.start, range.end);
    sentences.length = 0;
    splitSentences(text, range.start, range.end, uncuttable, sentences);
    const windows: Range[] = [];
    for (const sentence of sentences) {
      pushWindows(
        text,
        sentence,
        uncuttable,
        MAX_UNIT_TOKENS,
        WINDOW_TOKENS,
        windows,
      );
    }
    for (const window of windows) {
      builder.addUnit("sentence", window.start, window.end);
    }
  };
  BLOCK_SEPARATOR.lastIndex = 0;
  for (const match of text.matchAll(BLOCK_SEPARATOR)) {
    addBlock(blockStart, match.index);
    blockStart = match.index + match[0].length;
  }
  addBlock(blockStart, text.length);
}
