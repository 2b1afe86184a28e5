import { splitWords } from "./words.js";

/** Words seen fewer times than this are left to the unknown-word value. */
const MIN_COUNT = 2;
/** Most words listed, most frequent first. */
const MAX_WORDS = 60_000;

/** Orders two words by their UTF-16 code units, independent of locale. */
function compareCodeUnits(left: string, right: string): number {
  if (left === right) {
    return 0;
  }
  return left < right ? -1 : 1;
}

/**
 * Writes the self-information of words in running text as the file
 * `word-information.tsv`: a header line, then one `word<TAB>bits` line per
 * word, most frequent first (ties in UTF-16 code unit order), where bits is
 * log2(total / count) with two decimals. Words are split and folded as
 * the model's tokenizer does (lower case, accents removed). A word not
 * listed counts as seen half a time.
 */
export function wordInformationFile(texts: readonly string[]): string {
  const counts = new Map<string, number>();
  let total = 0;
  for (const text of texts) {
    for (const word of splitWords(text)) {
      counts.set(word, (counts.get(word) ?? 0) + 1);
      total++;
    }
  }
  const listed = [...counts]
    .filter(([, count]) => count >= MIN_COUNT)
    .sort((a, b) => b[1] - a[1] || compareCodeUnits(a[0], b[0]))
    .slice(0, MAX_WORDS);
  const bits = (count: number): string => Math.log2(total / count).toFixed(2);
  const lines = [
    `retrieval-free word information v1\ttotal=${total}\tunknown=${bits(0.5)}`,
    ...listed.map(([word, count]) => `${word}\t${bits(count)}`),
  ];
  return `${lines.join("\n")}\n`;
}
