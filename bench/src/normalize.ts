// The ASCII punctuation of Python's `string.punctuation`, which the official
// SQuAD evaluation script removes. Other punctuation, such as `…` or `–`,
// stays, as it does there.
const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

// `\b` in JavaScript matches only at ASCII word characters, while the
// Python script's `\b` is Unicode-aware, so the word boundary is spelled out.
const ARTICLES = /(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu;

const WHITESPACE = /\s+/gu;

/**
 * Normalises text the way the SQuAD evaluation script does: lower case,
 * ASCII punctuation removed, the articles a, an and the removed, and runs
 * of whitespace squashed to one space.
 */
export function normalizeAnswer(text: string): string {
  return text
    .toLowerCase()
    .replace(PUNCTUATION, "")
    .replace(ARTICLES, " ")
    .replace(WHITESPACE, " ")
    .trim();
}

/**
 * Tells whether a normalised output contains any of the gold answers.
 * Answers that normalise to the empty string are ignored.
 */
export function containsAnyAnswer(
  normalizedOutput: string,
  answers: readonly string[],
): boolean {
  return answers.some((answer) => {
    const normalized = normalizeAnswer(answer);
    return normalized !== "" && normalizedOutput.includes(normalized);
  });
}

/** Tells whether every gold answer is "yes" or "no" (HotpotQA comparisons). */
export function isYesNoQuestion(answers: readonly string[]): boolean {
  return (
    answers.length > 0 &&
    answers.every((answer) => {
      const normalized = normalizeAnswer(answer);
      return normalized === "yes" || normalized === "no";
    })
  );
}
