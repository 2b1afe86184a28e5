/**
 * Word splitting and word lists that the name and place recognizers
 * share.
 */
/** One word of a text, with its UTF-16 offsets. */
export interface WordToken {
  readonly start: number;
  /** End offset (exclusive), before any possessive "'s". */
  readonly end: number;
  readonly text: string;
  readonly lower: string;
}

/**
 * A word: letters, marks and digits, joined by single apostrophes or
 * hyphens as in "O'Brien" and "Jean-Luc". Each joiner must be followed by a
 * letter or digit, so the pattern cannot backtrack into itself.
 */
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’-][\p{L}\p{M}\p{N}]+)*/gu;
const POSSESSIVE = /['’]s$/u;
/** Characters that tie a word to an address, a path or an identifier. */
const ATTACHED = /[@_/\\=+#&%]/u;
const LETTER_OR_DIGIT = /[\p{L}\p{M}\p{N}]/u;

/** Splits a text into words, dropping a trailing possessive "'s". */
export function tokenizeWords(text: string): WordToken[] {
  const tokens: WordToken[] = [];
  for (const match of text.matchAll(WORD)) {
    const start = match.index;
    let word = match[0];
    if (word.length > 2 && POSSESSIVE.test(word)) {
      word = word.slice(0, -2);
    }
    tokens.push({
      start,
      end: start + word.length,
      text: word,
      lower: word.toLowerCase(),
    });
  }
  return tokens;
}

/**
 * Tells whether a word is part of an e-mail address, URL, file name or
 * identifier, judged from the characters next to it, such as
 * "MatthiasHimmel" in "MatthiasHimmel@armyspy.com".
 */
export function isAttached(text: string, token: WordToken): boolean {
  const before = text.charAt(token.start - 1);
  const after = text.charAt(token.end);
  if (ATTACHED.test(before) || ATTACHED.test(after)) {
    return true;
  }
  // A dot between two words, as in "john.smith" or "example.com".
  if (before === "." && LETTER_OR_DIGIT.test(text.charAt(token.start - 2))) {
    return true;
  }
  return after === "." && LETTER_OR_DIGIT.test(text.charAt(token.end + 1));
}

/**
 * Tells whether a word is written with a capital letter and contains a
 * lower-case letter and no digit, as in "Paris", "McDonald" or "O'Brien".
 */
export function isCapitalized(word: string): boolean {
  return (
    /^[\p{Lu}\p{Lt}]/u.test(word) &&
    /\p{Ll}/u.test(word) &&
    !/\p{N}/u.test(word)
  );
}

/** Tells whether a word is an upper-case abbreviation such as "USA". */
export function isUpperAbbreviation(word: string): boolean {
  return /^\p{Lu}{2,4}$/u.test(word);
}

/** Tells whether only spaces or tabs separate two words on one line. */
export function isSpaceGap(gap: string): boolean {
  return gap.length > 0 && gap.length <= 3 && /^[ \t\u00a0]+$/u.test(gap);
}

/**
 * Tells whether the word at `start` starts a sentence: nothing but spaces,
 * quotes or brackets stand between it and the start of the text, a line
 * break, or a ".", "!", "?" or ":".
 */
export function isSentenceStart(text: string, start: number): boolean {
  let index = start - 1;
  while (index >= 0 && /[\s"'“‘«([*•>-]/u.test(text.charAt(index))) {
    if (text.charAt(index) === "\n") {
      return true;
    }
    index -= 1;
  }
  return index < 0 || /[.!?:;…]/u.test(text.charAt(index));
}

/** English month and weekday names and their abbreviations. */
export const CALENDAR_WORDS: ReadonlySet<string> = new Set([
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
  "jan",
  "feb",
  "mar",
  "apr",
  "jun",
  "jul",
  "aug",
  "sep",
  "sept",
  "oct",
  "nov",
  "dec",
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
  "mon",
  "tue",
  "tues",
  "wed",
  "thu",
  "thur",
  "thurs",
  "fri",
  "sat",
  "sun",
  "christmas",
  "easter",
]);

/** Words that end or start the name of an organisation or a product. */
export const ORGANIZATION_WORDS: ReadonlySet<string> = new Set([
  "inc",
  "ltd",
  "llc",
  "llp",
  "plc",
  "gmbh",
  "ag",
  "sa",
  "corp",
  "corporation",
  "co",
  "company",
  "group",
  "holdings",
  "university",
  "college",
  "school",
  "institute",
  "academy",
  "bank",
  "hospital",
  "clinic",
  "airlines",
  "airways",
  "foundation",
  "association",
  "society",
  "club",
  "fc",
  "agency",
  "ministry",
  "department",
  "council",
  "committee",
  "party",
  "times",
  "post",
  "news",
  "press",
  "magazine",
  "weekly",
  "journal",
  "records",
  "studios",
  "pictures",
  "orchestra",
  "band",
  "team",
  "services",
  "solutions",
  "systems",
  "technologies",
  "labs",
  "partners",
  "consulting",
  "international",
  "enterprises",
  "industries",
  "motors",
  "pharma",
  "insurance",
  "hotel",
  "airport",
  "station",
  "office",
  "church",
  "museum",
  "stadium",
  "park",
  "mall",
  "center",
  "centre",
]);

/** Words of street names, which belong to an address, not a place. */
export const STREET_WORDS: ReadonlySet<string> = new Set([
  "street",
  "st",
  "road",
  "rd",
  "avenue",
  "ave",
  "boulevard",
  "blvd",
  "lane",
  "ln",
  "drive",
  "dr",
  "court",
  "ct",
  "place",
  "pl",
  "square",
  "sq",
  "terrace",
  "way",
  "highway",
  "hwy",
  "parkway",
  "pkwy",
  "suite",
  "apt",
  "apartment",
  "floor",
  "unit",
  "box",
  "strasse",
  "straße",
  "straat",
  "weg",
  "gasse",
  "platz",
  "rue",
  "via",
  "calle",
  "rua",
  "ul",
  "utca",
  "u",
  "str",
  "close",
  "crescent",
  "crossroad",
  "turnpike",
  "bridge",
  "point",
  "rapids",
  "pass",
  "union",
  "allé",
  "alle",
  "allee",
  "laan",
  "gade",
  "vej",
  "katu",
  "tie",
  "ulica",
  "corner",
]);

/**
 * Capitalised words that rarely name a person or a place: pronouns,
 * determiners, greetings and common sentence openers.
 */
export const COMMON_WORDS: ReadonlySet<string> = new Set([
  "i",
  "a",
  "an",
  "the",
  "this",
  "that",
  "these",
  "those",
  "it",
  "its",
  "he",
  "she",
  "we",
  "they",
  "you",
  "me",
  "him",
  "her",
  "us",
  "them",
  "my",
  "your",
  "his",
  "our",
  "their",
  "mine",
  "yours",
  "hi",
  "hello",
  "hey",
  "dear",
  "thanks",
  "thank",
  "please",
  "yes",
  "no",
  "not",
  "ok",
  "okay",
  "sorry",
  "and",
  "or",
  "but",
  "if",
  "so",
  "then",
  "when",
  "where",
  "what",
  "who",
  "whom",
  "whose",
  "why",
  "how",
  "which",
  "there",
  "here",
  "all",
  "any",
  "some",
  "every",
  "each",
  "both",
  "many",
  "most",
  "more",
  "other",
  "another",
  "such",
  "one",
  "two",
  "three",
  "first",
  "last",
  "next",
  "new",
  "old",
  "good",
  "best",
  "great",
  "kind",
  "regards",
  "sincerely",
  "cheers",
  "name",
  "address",
  "phone",
  "email",
  "mail",
  "user",
  "bot",
  "customer",
  "agent",
  "support",
  "admin",
  "account",
  "card",
  "number",
  "date",
  "birth",
  "note",
  "subject",
  "re",
  "fw",
  "fwd",
  "to",
  "from",
  "cc",
  "in",
  "on",
  "at",
  "of",
  "for",
  "with",
  "by",
  "about",
  "after",
  "before",
  "since",
  "until",
  "during",
  "is",
  "are",
  "was",
  "were",
  "be",
  "been",
  "do",
  "does",
  "did",
  "can",
  "could",
  "will",
  "would",
  "shall",
  "should",
  "may",
  "might",
  "must",
  "have",
  "has",
  "had",
  "let",
  "just",
  "also",
  "still",
  "only",
  "even",
  "today",
  "tomorrow",
  "yesterday",
  "english",
  "french",
  "german",
  "spanish",
  "italian",
  "chinese",
  "japanese",
  "american",
  "british",
  "european",
  "african",
  "asian",
  "christian",
  "muslim",
  "jewish",
  "catholic",
  "god",
  "lord",
  "jesus",
  "internet",
  "web",
  "online",
]);
