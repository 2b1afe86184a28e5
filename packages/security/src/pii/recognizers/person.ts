import type { PiiFinding, Recognizer } from "../types.js";
import { isKnownPlace } from "./location.js";
import {
  CALENDAR_WORDS,
  COMMON_WORDS,
  isAttached,
  isCapitalized,
  isSentenceStart,
  isSpaceGap,
  ORGANIZATION_WORDS,
  STREET_WORDS,
  tokenizeWords,
} from "./words.js";
import type { WordToken } from "./words.js";

const NAME = "person";

/** Maximum number of capitalised words or initials in one name. */
const MAX_NAME_WORDS = 4;

/** Honorifics, matched when written with a capital letter. */
const HONORIFICS: ReadonlySet<string> = new Set([
  "mr",
  "mrs",
  "ms",
  "miss",
  "mister",
  "dr",
  "prof",
  "professor",
  "sir",
  "madam",
  "madame",
  "mme",
  "mlle",
  "mx",
  "rev",
  "herr",
  "frau",
]);

/** Lower-case particles allowed between the words of a name. */
const PARTICLES: ReadonlySet<string> = new Set([
  "van",
  "von",
  "de",
  "der",
  "den",
  "da",
  "di",
  "du",
  "del",
  "della",
  "dos",
  "le",
  "la",
  "bin",
  "bint",
  "ibn",
  "al",
  "el",
  "ter",
  "ten",
]);

/**
 * Phrases before a name, as lower-case words from the first to the last.
 * The last word must be next to the name, with at most a colon or comma
 * between them.
 */
const CUES_BEFORE: readonly (readonly string[])[] = [
  ["my", "name", "is"],
  ["name", "is"],
  ["name's"],
  ["name"],
  ["named"],
  ["named", "him"],
  ["named", "her"],
  ["called", "him"],
  ["called", "her"],
  ["called"],
  ["call", "me"],
  ["calls", "me"],
  ["i", "am"],
  ["i'm"],
  ["this", "is"],
  ["dear"],
  ["hi"],
  ["hello"],
  ["hey"],
  ["thanks"],
  ["signed", "by"],
  ["written", "by"],
  ["approved", "by"],
  ["directed", "by"],
  ["produced", "by"],
  ["composed", "by"],
  ["performed", "by"],
  ["painted", "by"],
  ["authored", "by"],
  ["founded", "by"],
  ["reviewed", "by"],
  ["sent", "by"],
  ["contact"],
  ["customer"],
  ["client"],
  ["patient"],
  ["partner"],
  ["wife"],
  ["husband"],
  ["son"],
  ["daughter"],
  ["mother"],
  ["father"],
  ["brother"],
  ["sister"],
  ["friend"],
  ["colleague"],
  ["boss"],
  ["manager"],
  ["ceo"],
  ["cto"],
  ["cfo"],
  ["founder"],
  ["director"],
  ["producer"],
  ["author"],
  ["president"],
  ["said"],
  ["says"],
  ["asked"],
  ["told"],
  ["wrote"],
  ["replied"],
  ["shouted"],
  ["starring"],
  ["regards"],
  ["sincerely"],
];

/** Single cue words, which never start a name even when capitalised. */
const CUE_WORDS: ReadonlySet<string> = new Set(
  CUES_BEFORE.filter((cue) => cue.length === 1).map((cue) => cue[0] ?? ""),
);

/** Adverbs that often open a sentence with a capital letter. */
const SENTENCE_ADVERBS: ReadonlySet<string> = new Set([
  "later",
  "now",
  "soon",
  "finally",
  "meanwhile",
  "however",
  "instead",
  "again",
  "once",
  "perhaps",
  "maybe",
  "suddenly",
  "afterwards",
  "eventually",
  "tonight",
  "sometimes",
  "recently",
  "currently",
]);

/** Verbs after a name that make it the speaker or writer. */
const CUES_AFTER: ReadonlySet<string> = new Set([
  "said",
  "says",
  "told",
  "tells",
  "wrote",
  "writes",
  "asked",
  "asks",
  "replied",
  "explained",
  "added",
  "shouted",
  "answered",
]);

const ARTICLES: ReadonlySet<string> = new Set(["the", "a", "an"]);

/** Sign-offs whose cue may sit at the end of the line before the name. */
const SIGN_OFFS: ReadonlySet<string> = new Set(["regards", "sincerely"]);

/** The kinds of rule, from the strongest to the weakest. */
type PersonRule =
  | "honorific"
  | "cue-before"
  | "cue-after"
  | "name-line"
  | "capitalized-sequence"
  | "sentence-start-sequence";

const RULE_SCORES: Readonly<Record<PersonRule, number>> = {
  honorific: 0.85,
  "cue-before": 0.75,
  "cue-after": 0.7,
  "name-line": 0.5,
  "capitalized-sequence": 0.4,
  "sentence-start-sequence": 0.35,
};

/** Tells whether a word is a single capital letter used as an initial. */
function isInitial(token: WordToken): boolean {
  return /^[\p{Lu}\p{Lt}]$/u.test(token.text);
}

/** Tells whether a word may be part of a name. */
function isNameWord(text: string, token: WordToken): boolean {
  return (
    isCapitalized(token.text) &&
    !isAttached(text, token) &&
    !COMMON_WORDS.has(token.lower) &&
    !CALENDAR_WORDS.has(token.lower) &&
    !ORGANIZATION_WORDS.has(token.lower) &&
    !STREET_WORDS.has(token.lower) &&
    !HONORIFICS.has(token.lower) &&
    !CUE_WORDS.has(token.lower) &&
    !SENTENCE_ADVERBS.has(token.lower)
  );
}

/** Tells whether two words of a name are joined, as in "J. Smith". */
function isNameGap(
  text: string,
  previous: WordToken,
  next: WordToken,
): boolean {
  const gap = text.slice(previous.end, next.start);
  if (isSpaceGap(gap)) {
    return true;
  }
  return isInitial(previous) && /^\.[ \t\u00a0]?$/u.test(gap);
}

/**
 * Returns how many tokens from `index` form a name: one to
 * {@link MAX_NAME_WORDS} capitalised words or initials, with particles
 * such as "van der" between them. Returns 0 when there is no name there.
 */
function measureName(
  text: string,
  tokens: readonly WordToken[],
  index: number,
): number {
  let count = 0;
  let words = 0;
  let fullWords = 0;
  while (words < MAX_NAME_WORDS) {
    const token = tokens[index + count];
    if (token === undefined) {
      break;
    }
    const previous = tokens[index + count - 1];
    if (
      count > 0 &&
      (previous === undefined || !isNameGap(text, previous, token))
    ) {
      break;
    }
    if (isNameWord(text, token)) {
      count += 1;
      words += 1;
      fullWords += 1;
      continue;
    }
    if (isInitial(token) && !isAttached(text, token)) {
      count += 1;
      words += 1;
      continue;
    }
    // A particle counts only between two words of the name.
    let particles = 0;
    while (PARTICLES.has(tokens[index + count + particles]?.text ?? "")) {
      particles += 1;
    }
    const following = tokens[index + count + particles];
    const lastParticle = tokens[index + count + particles - 1];
    if (
      count > 0 &&
      particles > 0 &&
      following !== undefined &&
      lastParticle !== undefined &&
      isSpaceGap(text.slice(token.start - 1, token.start)) &&
      isNameGap(text, lastParticle, following) &&
      isNameWord(text, following)
    ) {
      count += particles;
      continue;
    }
    break;
  }
  // A run of initials alone is too weak to be a name.
  return fullWords === 0 ? 0 : count;
}

/** Tells whether the words right after a name continue an organisation. */
function isFollowedByOrganization(
  text: string,
  tokens: readonly WordToken[],
  index: number,
): boolean {
  const next = tokens[index];
  const previous = tokens[index - 1];
  if (next === undefined || previous === undefined) {
    return false;
  }
  if (!isSpaceGap(text.slice(previous.end, next.start))) {
    return false;
  }
  return ORGANIZATION_WORDS.has(next.lower) || STREET_WORDS.has(next.lower);
}

interface Cue {
  readonly rule: PersonRule;
  readonly cue: string;
}

/** Finds an honorific such as "Dr." or "Mrs" right before token `index`. */
function findHonorific(
  text: string,
  tokens: readonly WordToken[],
  index: number,
): Cue | undefined {
  const previous = tokens[index - 1];
  const token = tokens[index];
  if (previous === undefined || token === undefined) {
    return undefined;
  }
  if (
    !HONORIFICS.has(previous.lower) ||
    !/^[\p{Lu}\p{Lt}]/u.test(previous.text)
  ) {
    return undefined;
  }
  const gap = text.slice(previous.end, token.start);
  if (!/^\.?[ \t\u00a0]{1,2}$/u.test(gap)) {
    return undefined;
  }
  return { rule: "honorific", cue: previous.lower };
}

/** Tells whether the gap between a cue and a name keeps them together. */
function isCueGap(gap: string, cue: readonly string[]): boolean {
  if (/^[ \t\u00a0]{0,8}[:,]?[ \t\u00a0]{0,8}$/u.test(gap) && gap !== "") {
    return true;
  }
  // A sign-off ends its own line: "Best regards,\nJane Doe".
  const last = cue[cue.length - 1] ?? "";
  return SIGN_OFFS.has(last) && /^,[ \t]*\r?\n[ \t]*$/u.test(gap);
}

/** Finds a cue phrase such as "my name is" right before token `index`. */
function findCueBefore(
  text: string,
  tokens: readonly WordToken[],
  index: number,
): Cue | undefined {
  const token = tokens[index];
  const previous = tokens[index - 1];
  if (token === undefined || previous === undefined) {
    return undefined;
  }
  const gap = text.slice(previous.end, token.start);
  for (const cue of CUES_BEFORE) {
    if (!isCueGap(gap, cue)) {
      continue;
    }
    let matched = true;
    for (let offset = 0; offset < cue.length; offset += 1) {
      const word = tokens[index - cue.length + offset];
      if (word === undefined || word.lower !== cue[offset]) {
        matched = false;
        break;
      }
      const next = tokens[index - cue.length + offset + 1];
      if (offset < cue.length - 1 && next !== undefined) {
        if (!isSpaceGap(text.slice(word.end, next.start))) {
          matched = false;
          break;
        }
      }
    }
    if (matched) {
      return { rule: "cue-before", cue: cue.join(" ") };
    }
  }
  return undefined;
}

/** Finds a verb such as "said" right after the name that ends at `index`. */
function findCueAfter(
  text: string,
  tokens: readonly WordToken[],
  index: number,
): Cue | undefined {
  const last = tokens[index - 1];
  const next = tokens[index];
  if (last === undefined || next === undefined || !CUES_AFTER.has(next.lower)) {
    return undefined;
  }
  const gap = text.slice(last.end, next.start);
  if (!/^,?[ \t\u00a0]{1,2}$/u.test(gap)) {
    return undefined;
  }
  return { rule: "cue-after", cue: next.lower };
}

/** Words before a capitalised run that make it a place or a title. */
const NOT_NAME_BEFORE: ReadonlySet<string> = new Set([
  "the",
  "a",
  "an",
  "of",
  "in",
  "at",
  "from",
  "on",
  "near",
  "via",
]);

/** Returns the text of the line that contains `index`. */
function lineAround(text: string, index: number): string {
  const lineStart = text.lastIndexOf("\n", index - 1) + 1;
  const lineEnd = text.indexOf("\n", index);
  return text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd);
}

/**
 * Tells whether a run of words sits in a postal address: a number is
 * within two words of it on its line, or the line has a street word such
 * as "Street" or "Apt".
 */
function isInAddress(
  text: string,
  tokens: readonly WordToken[],
  index: number,
  count: number,
): boolean {
  const first = tokens[index];
  if (first === undefined) {
    return false;
  }
  const line = lineAround(text, first.start);
  const lineStart = text.lastIndexOf("\n", first.start - 1) + 1;
  const lineEnd = lineStart + line.length;
  for (let offset = -2; offset < count + 2; offset += 1) {
    const token = tokens[index + offset];
    if (token === undefined || token.start < lineStart || token.end > lineEnd) {
      continue;
    }
    if (/\p{N}/u.test(token.text)) {
      return true;
    }
  }
  return tokenizeWords(line).some(
    (token) => STREET_WORDS.has(token.lower) && /\p{N}/u.test(line),
  );
}

/**
 * Tells whether the run of words fills its line, as a name heading a
 * signature or an address does. The line before must hold no number, so a
 * town line inside an address block does not count.
 */
function fillsLine(text: string, start: number, end: number): boolean {
  const line = lineAround(text, start);
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const rest = line.slice(0, start - lineStart) + line.slice(end - lineStart);
  if (!text.includes("\n") || !/^[\s>*•-]*$/u.test(rest)) {
    return false;
  }
  const lineBefore = lineStart === 0 ? "" : lineAround(text, lineStart - 1);
  return !/\p{N}/u.test(lineBefore);
}

/**
 * Tells whether a run of two or more capitalised words may be a name: it
 * does not follow an article, a preposition of place or a capitalised
 * word, sit in a postal address, or contain a known place.
 */
function isCapitalizedRun(
  text: string,
  tokens: readonly WordToken[],
  index: number,
  count: number,
): boolean {
  const first = tokens[index];
  if (first === undefined) {
    return false;
  }
  let fullWords = 0;
  const parts: string[] = [];
  for (let offset = 0; offset < count; offset += 1) {
    const token = tokens[index + offset];
    if (token === undefined) {
      return false;
    }
    parts.push(token.lower);
    if (isKnownPlace(token.lower)) {
      return false;
    }
    if (isNameWord(text, token)) {
      fullWords += 1;
    }
  }
  if (fullWords < 2 || isKnownPlace(parts.join(" "))) {
    return false;
  }
  if (isPrecededBy(text, tokens, index, NOT_NAME_BEFORE)) {
    return false;
  }
  const previous = tokens[index - 1];
  if (
    previous !== undefined &&
    /^(?:['’]s)?[ \t\u00a0]{1,3}$/u.test(
      text.slice(previous.end, first.start),
    ) &&
    /^[\p{Lu}\p{Lt}]/u.test(previous.text)
  ) {
    // "New Zealand Rugby" runs on from a capitalised word, and "Anna's
    // Cautionary Tales" names a work.
    return false;
  }
  return !isInAddress(text, tokens, index, count);
}

/** Tells whether the word right before token `index` is one of `words`. */
function isPrecededBy(
  text: string,
  tokens: readonly WordToken[],
  index: number,
  words: ReadonlySet<string>,
): boolean {
  const previous = tokens[index - 1];
  const token = tokens[index];
  if (previous === undefined || token === undefined) {
    return false;
  }
  return (
    words.has(previous.lower) &&
    isSpaceGap(text.slice(previous.end, token.start))
  );
}

/**
 * Chooses the weakest rule for a capitalised run without a cue: a line of
 * its own, a run in mid-sentence, or a run that starts a sentence and is
 * followed by a lower-case word, as in "Jerry Kastner lives at".
 */
function classifyRun(
  text: string,
  tokens: readonly WordToken[],
  index: number,
  count: number,
): PersonRule | undefined {
  if (!isCapitalizedRun(text, tokens, index, count)) {
    return undefined;
  }
  const first = tokens[index];
  const last = tokens[index + count - 1];
  if (first === undefined || last === undefined) {
    return undefined;
  }
  if (fillsLine(text, first.start, last.end)) {
    return "name-line";
  }
  if (!isSentenceStart(text, first.start)) {
    return "capitalized-sequence";
  }
  const next = tokens[index + count];
  if (
    next !== undefined &&
    isSpaceGap(text.slice(last.end, next.start)) &&
    /^\p{Ll}/u.test(next.text)
  ) {
    return "sentence-start-sequence";
  }
  return undefined;
}

/**
 * Finds names of people with rules, with no model or name list: one to
 * four capitalised words after an honorific or a cue phrase ("my name is",
 * "Dear", "my wife", "signed by"), before a verb of speech ("said",
 * "wrote"), or two or more capitalised words in mid-sentence, which score
 * lower.
 * NOTE: names in an all lower-case text, in scripts without capital
 * letters such as Chinese or Arabic, and single given names without a cue
 * are not found.
 */
export const personRecognizer: Recognizer = {
  name: NAME,
  types: ["PERSON"],
  find(text) {
    const findings: PiiFinding[] = [];
    const tokens = tokenizeWords(text);
    let index = 0;
    while (index < tokens.length) {
      const token = tokens[index];
      if (token === undefined) {
        break;
      }
      const startsName =
        isNameWord(text, token) ||
        (isInitial(token) && text.charAt(token.end) === ".");
      const count = startsName ? measureName(text, tokens, index) : 0;
      if (
        count === 0 ||
        isFollowedByOrganization(text, tokens, index + count)
      ) {
        index += 1;
        continue;
      }
      const cue =
        findHonorific(text, tokens, index) ??
        findCueBefore(text, tokens, index) ??
        (isPrecededBy(text, tokens, index, ARTICLES)
          ? undefined
          : findCueAfter(text, tokens, index + count));
      const rule: PersonRule | undefined =
        cue?.rule ?? classifyRun(text, tokens, index, count);
      if (rule === undefined) {
        index += 1;
        continue;
      }
      const last = tokens[index + count - 1] ?? token;
      findings.push({
        type: "PERSON",
        start: token.start,
        end: last.end,
        text: text.slice(token.start, last.end),
        score: RULE_SCORES[rule],
        recognizer: NAME,
        validation: {
          rule,
          ...(cue === undefined ? { words: count } : { cue: cue.cue }),
        },
      });
      index += count;
    }
    return findings;
  },
};
