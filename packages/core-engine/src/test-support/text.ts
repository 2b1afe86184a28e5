import type { Random } from "./random.js";

const SUBJECTS = [
  "The committee",
  "Our team",
  "The new manager",
  "A local engineer",
  "The research group",
  "The city council",
  "Every volunteer",
  "The auditor",
  "The shipping office",
  "A visiting professor",
  "The night shift",
  "The design studio",
];
const VERBS = [
  "reviewed",
  "approved",
  "measured",
  "rebuilt",
  "described",
  "questioned",
  "published",
  "replaced",
  "inspected",
  "simplified",
  "extended",
  "tested",
];
const ADJECTIVES = [
  "annual",
  "detailed",
  "unusual",
  "expensive",
  "fragile",
  "temporary",
  "central",
  "overdue",
  "careful",
  "regional",
  "quiet",
  "noisy",
];
const NOUNS = [
  "budget",
  "bridge",
  "schedule",
  "pump station",
  "survey",
  "archive",
  "library roof",
  "water filter",
  "timetable",
  "warehouse",
  "harbor crane",
  "data center",
];
const PLACES = [
  "near the river",
  "in the old town",
  "at the north gate",
  "behind the station",
  "on the third floor",
  "across the valley",
  "outside the market",
  "by the main square",
];
const TIMES = [
  "last spring",
  "before the holidays",
  "during the storm",
  "after a long delay",
  "in early March",
  "over the weekend",
  "within two weeks",
  "at the end of the year",
];
const CLAUSES = [
  "because the old one had failed twice",
  "although nobody had asked for it",
  "so that the next phase could start on time",
  "while the contractors waited for new parts",
  "after the residents complained about the noise",
  "since the costs had risen by almost a third",
];

/** Builds one English sentence of about 10 to 25 words. */
export function generateSentence(random: Random): string {
  const parts = [
    random.pick(SUBJECTS),
    random.pick(VERBS),
    "the",
    random.pick(ADJECTIVES),
    random.pick(NOUNS),
    random.pick(PLACES),
    random.pick(TIMES),
  ];
  if (random.next() < 0.5) {
    parts.push(random.pick(CLAUSES));
  }
  return `${parts.join(" ")}.`;
}

/** Builds a paragraph of `sentences` generated sentences. */
export function generateParagraph(random: Random, sentences: number): string {
  return Array.from({ length: sentences }, () => generateSentence(random)).join(
    " ",
  );
}

/**
 * Builds plain-text prose: paragraphs of three to seven sentences,
 * separated by blank lines, until the text has at least `minLength`
 * characters.
 */
export function generateProse(random: Random, minLength: number): string {
  const paragraphs: string[] = [];
  let length = 0;
  while (length < minLength) {
    const paragraph = generateParagraph(random, 3 + random.int(5));
    paragraphs.push(paragraph);
    length += paragraph.length + 2;
  }
  return paragraphs.join("\n\n");
}

/**
 * Builds one line of `words` words without any full stop, such as a log
 * line or a list run together.
 */
export function generateRunOnLine(random: Random, words: number): string {
  const vocabulary = [
    ...ADJECTIVES,
    ...NOUNS.map((noun) => noun.replace(" ", "-")),
    "and",
    "then",
    "with",
    "for",
  ];
  return Array.from({ length: words }, () => random.pick(vocabulary)).join(" ");
}

/**
 * Hard-wraps text at `width` columns the way e-books and RFCs are
 * stored: words are moved to the next line, blank lines are kept, and
 * lines end with `newline`.
 */
export function wrapText(text: string, width: number, newline = "\n"): string {
  return text
    .split("\n")
    .map((paragraph) => {
      const lines: string[] = [];
      let line = "";
      for (const word of paragraph.split(" ")) {
        if (line.length > 0 && line.length + 1 + word.length > width) {
          lines.push(line);
          line = word;
        } else {
          line = line.length > 0 ? `${line} ${word}` : word;
        }
      }
      lines.push(line);
      return lines.join(newline);
    })
    .join(newline);
}
