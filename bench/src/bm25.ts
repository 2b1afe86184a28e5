/** BM25 term-frequency saturation. */
const K1 = 1.2;
/** BM25 length normalisation. */
const B = 0.75;

const WORD = /[\p{L}\p{N}]+/gu;

/** Splits text into lower-case letter-and-digit words, without stemming. */
export function toWords(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/**
 * Scores each sentence against the query with Okapi BM25 (k1 1.2, b 0.75),
 * treating the sentences as the document collection. The idf is
 * ln(1 + (N − df + 0.5) / (df + 0.5)), so it is positive for every term.
 * Each distinct query word counts once; no stop words are removed.
 */
export function scoreBm25(
  sentences: readonly string[],
  query: string,
): Float64Array {
  const words = sentences.map(toWords);
  const documentFrequency = new Map<string, number>();
  let totalLength = 0;
  for (const sentenceWords of words) {
    totalLength += sentenceWords.length;
    for (const word of new Set(sentenceWords)) {
      documentFrequency.set(word, (documentFrequency.get(word) ?? 0) + 1);
    }
  }
  const count = sentences.length;
  const averageLength = count === 0 ? 0 : totalLength / count;
  const queryWords = [...new Set(toWords(query))];
  return Float64Array.from(words, (sentenceWords) => {
    const frequency = new Map<string, number>();
    for (const word of sentenceWords) {
      frequency.set(word, (frequency.get(word) ?? 0) + 1);
    }
    const lengthFactor =
      averageLength === 0 ? 1 : sentenceWords.length / averageLength;
    let score = 0;
    for (const word of queryWords) {
      const termFrequency = frequency.get(word) ?? 0;
      if (termFrequency === 0) {
        continue;
      }
      const df = documentFrequency.get(word) ?? 0;
      const idf = Math.log(1 + (count - df + 0.5) / (df + 0.5));
      score +=
        (idf * termFrequency * (K1 + 1)) /
        (termFrequency + K1 * (1 - B + B * lengthFactor));
    }
    return score;
  });
}
