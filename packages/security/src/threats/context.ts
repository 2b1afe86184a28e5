import type { TextSpan } from "./normalize/mapped-text.js";

/**
 * Score factor of a match that sits inside quotation marks. Quoting alone
 * lowers a score only a little, because attacks quote their own trigger
 * phrases too ("DAN, which stands for 'do anything now'").
 */
export const QUOTED_FACTOR = 0.9;

/** Score factor of a match framed as a cited phrase. */
export const MENTION_FACTOR = 0.5;

/** Score factor of a quoted match framed as a cited phrase. */
export const QUOTED_MENTION_FACTOR = 0.3;

/** Opening quotation marks, each with the marks that may close it. */
const QUOTE_PAIRS: Readonly<Record<string, string>> = {
  '"': '"',
  "'": "'",
  "`": "`",
  "\u201C": "\u201D\u201C",
  "\u2018": "\u2019",
  "\u00AB": "\u00BB",
  "\u2039": "\u203A",
  "\u201E": "\u201C\u201D",
  "\u201A": "\u2018\u2019",
  "\u300C": "\u300D",
  "\u300E": "\u300F",
};

/**
 * How far a quotation mark may sit from the match, in code units. A quote
 * of the phrase itself damps it; a whole quoted document, which is how an
 * indirect injection arrives, does not.
 */
const QUOTE_REACH = 40;

const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/** The reduction of a finding's score and its reason. */
export interface Damping {
  /** Factor from 0 to 1 that the score is multiplied by. */
  readonly factor: number;
  /** A sentence that explains the reduction, or undefined for none. */
  readonly note: string | undefined;
}

function closingQuote(
  text: string,
  opener: string,
  from: number,
  limit: number,
): boolean {
  const closers = QUOTE_PAIRS[opener] ?? "";
  for (let index = from; index < limit; index++) {
    const character = text.charAt(index);
    // A closer must not be an apostrophe inside a word, as in "don't".
    if (
      closers.includes(character) &&
      !WORD_CHARACTER.test(text.charAt(index + 1))
    ) {
      return true;
    }
  }
  return false;
}

/**
 * Tells whether the match is enclosed in quotation marks or backticks
 * that sit within {@link QUOTE_REACH} of it, in its sentence.
 */
export function isQuoted(
  text: string,
  sentence: TextSpan,
  match: TextSpan,
): boolean {
  const low = Math.max(sentence.start, match.start - QUOTE_REACH);
  const high = Math.min(sentence.end, match.end + QUOTE_REACH);
  for (let index = match.start; index >= low; index--) {
    const character = text.charAt(index);
    if (
      QUOTE_PAIRS[character] !== undefined &&
      !WORD_CHARACTER.test(text.charAt(index - 1)) &&
      closingQuote(text, character, Math.max(match.end - 1, index + 1), high)
    ) {
      return true;
    }
  }
  return false;
}

/** How far before and after the match framing words are read, in code units. */
const FRAMING_REACH = 60;

/**
 * Words that introduce a cited phrase, read at the end of the text just
 * before the match (after quotes, brackets and punctuation): "for
 * example", "such as", "is called", "the phrase", "an article quotes".
 * Words elsewhere in the sentence do not count, so an attack that names
 * an "attacker" or a "payload" in its own instructions is not lowered.
 */
const INTRODUCED =
  /(?:\bfor (?:example|instance)|\be\.g\.|\bsuch as|\bincluding|\b(?:as )?an example(?: of)?|\bexamples? (?:of|is|are|include)|\bsample (?:input|payload|string|attack)s?|\b(?:is|are|was|were) (?:called|named)|\bknown as|\bso-called|\b(?:the|this|that) (?:phrase|string|snippet|payload)|\bthe sentence|\b(?:attacks?|payloads?|phrases?|strings?|inputs?|commands?|prompts?|queries|probes?|tricks?|things|something) like|\b(?:phrase|string|payload|probe|example|snippet|attack|vector|input) (?:is|was|reads)|\b(?:quotes|quoted|writes|wrote|lists|listed|cites|cited)|\b(?:par exemple|zum beispiel|por ejemplo|per esempio|por exemplo))[\s,:;(\-"'`\u2013\u2014\u201C\u201D\u2018\u2019\u00AB\u00BB]*$/u;

/**
 * A statement about the match, read just after it: a copula or "as", up
 * to three words, then a word that judges or names it ("... is
 * dangerous", "... as an example of a login bypass", "... as the classic
 * XSS probe"). Only the rest of the match's own word may come first.
 */
const JUDGED =
  /^[^\s.;:!?(]{0,30}\s+(?:is|are|was|were|remains|as)\s+(?:\p{L}+\s+){0,3}?(?:dangerous|unsafe|insecure|risky|vulnerable|harmful|malicious|bad|examples?|samples?|attacks?|payloads?|exploits?|injections?|bypass(?:es)?|probes?|tricks?|techniques?|vectors?|phrases?)\b/u;

/** Lower-cases a text and drops its accents, as the framing words are written. */
function plain(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{Mn}/gu, "")
    .toLowerCase();
}

/**
 * Tells whether the match is framed as a cited phrase: introduced by
 * words just before it, or judged by a statement just after it, within
 * its sentence and {@link FRAMING_REACH}.
 */
export function hasMentionCue(
  text: string,
  sentence: TextSpan,
  match: TextSpan,
): boolean {
  const before = text.slice(
    Math.max(sentence.start, match.start - FRAMING_REACH),
    Math.max(sentence.start, match.start),
  );
  const after = text.slice(
    Math.min(sentence.end, match.end),
    Math.min(sentence.end, match.end + FRAMING_REACH),
  );
  return INTRODUCED.test(plain(before)) || JUDGED.test(plain(after));
}

/**
 * English words that prose uses and payloads rarely do; a sentence with
 * two or more of them reads as prose.
 */
const FUNCTION_WORDS =
  /\b(?:the|a|an|is|are|was|of|to|and|in|that|this|for|as|with|how|why|what|about|when|often|never|can|should)\b/gu;

/** Tells whether the text around a match reads as English prose. */
function readsAsProse(
  text: string,
  sentence: TextSpan,
  match: TextSpan,
): boolean {
  const outside = `${text.slice(sentence.start, match.start)} ${text.slice(match.end, sentence.end)}`;
  return (outside.toLowerCase().match(FUNCTION_WORDS)?.length ?? 0) >= 2;
}

/**
 * Computes how much to lower a finding that reads as a mention of an
 * attack rather than an attack: quoted, or framed as a cited phrase (see
 * {@link hasMentionCue}). Both cues together multiply. Quotation is read
 * only when `readQuotes` is true, for prose: in code, quotes are part of
 * the payload.
 * NOTE: an attacker can frame a phrase on purpose ("for example, ignore
 * ..."). A strong match so framed still reaches `warn`, but a quoted one
 * falls to `allow`.
 */
export function contextDamping(
  text: string,
  sentence: TextSpan,
  match: TextSpan,
  readQuotes: boolean,
): Damping {
  const quoted = readQuotes && isQuoted(text, sentence, match);
  // Payload strings carry words like "vulnerable" too; only prose mentions.
  const mention =
    hasMentionCue(text, sentence, match) &&
    (readQuotes || readsAsProse(text, sentence, match));
  if (quoted && mention) {
    return {
      factor: QUOTED_MENTION_FACTOR,
      note: "The score is lowered because the text is quoted and framed as an example or a cited phrase.",
    };
  }
  if (mention) {
    return {
      factor: MENTION_FACTOR,
      note: "The score is lowered because the text is framed as an example or a cited phrase.",
    };
  }
  if (quoted) {
    return {
      factor: QUOTED_FACTOR,
      note: "The score is lowered because the text is quoted.",
    };
  }
  return { factor: 1, note: undefined };
}
