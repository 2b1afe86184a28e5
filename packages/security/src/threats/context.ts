import type { TextSpan } from "./normalize/mapped-text.js";

/**
 * Score factor of a match that sits inside quotation marks. Quoting alone
 * lowers a score only a little, because attacks quote their own trigger
 * phrases too ("DAN, which stands for 'do anything now'").
 */
export const QUOTED_FACTOR = 0.9;

/** Score factor of a match in a sentence that talks about attacks. */
export const MENTION_FACTOR = 0.5;

/** Score factor of a quoted match in a sentence that talks about attacks. */
export const QUOTED_MENTION_FACTOR = 0.3;

/**
 * Words of a sentence that discusses or cites an attack instead of making
 * one: examples, names of attack kinds, advice and teaching material.
 * They are read outside the match itself, on lower-cased text without
 * accents.
 */
const MENTION_CUES = [
  /\b(?:for example|for instance|e\.g\.|such as|an example|as an example|examples? (?:of|is|are|include)|sample (?:input|payload|string|attack))\b/u,
  /\b(?:attacks?|attackers?|injections?|exploits?|exploited|vulnerabilit(?:y|ies)|vulnerable|payloads?|malicious|adversarial)\b/u,
  /\b(?:(?:is|are|was|were) (?:called|known as|named)|so-called|the (?:phrase|string|sentence|snippet)|this (?:phrase|string|snippet))\b/u,
  /\b(?:dangerous|unsafe|insecure|risky|never use|avoid(?:s|ing)?|prevent(?:s|ing|ion)?|protect(?:s|ing)? against|defend(?:s|ing)? against|detect(?:s|ing|ion|ed)?|sanitiz(?:e|es|ed|ing)|sanitis(?:e|es|ed|ing)|mitigat\w+)\b/u,
  /\b(?:tutorial|article|blog post|lesson|course|owasp|cve-\d+|security (?:training|awareness|researchers?|team|guide|test(?:ing|s)?))\b/u,
  /\b(?:par exemple|un exemple|zum beispiel|beispiel|por ejemplo|un ejemplo|per esempio|un esempio|por exemplo|um exemplo|attaque|angriff|ataque|attacco)\b/u,
];

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

/** How far from the match a mention cue counts, in code units. */
const MENTION_REACH = 80;

/**
 * Tells whether the sentence, within {@link MENTION_REACH} of the match
 * but outside it, uses words that discuss or cite an attack.
 */
export function hasMentionCue(
  text: string,
  sentence: TextSpan,
  match: TextSpan,
): boolean {
  const before = text.slice(
    Math.max(sentence.start, match.start - MENTION_REACH),
    Math.max(sentence.start, match.start),
  );
  const after = text.slice(
    Math.min(sentence.end, match.end),
    Math.min(sentence.end, match.end + MENTION_REACH),
  );
  const outside = `${before} ${after}`
    .normalize("NFKD")
    .replace(/\p{Mn}/gu, "")
    .toLowerCase();
  return MENTION_CUES.some((cue) => cue.test(outside));
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
 * attack rather than an attack: quoted, or in a sentence that talks about
 * attacks or gives an example. Both cues together multiply. Quotation is
 * read only when `readQuotes` is true, for prose: in code, quotes are
 * part of the payload.
 * NOTE: an attacker can add such words on purpose. A strong match with a
 * mention cue still reaches `warn`, but a quoted one falls to `allow`.
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
      note: "The score is lowered because the text is quoted in a sentence that discusses attacks or gives an example.",
    };
  }
  if (mention) {
    return {
      factor: MENTION_FACTOR,
      note: "The score is lowered because the sentence discusses attacks or gives an example.",
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
