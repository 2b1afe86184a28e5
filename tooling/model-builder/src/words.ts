const COMBINING_MARK = /\p{M}/gu;
const WORD = /[\p{L}\p{N}]+/gu;
const DENSE_SCRIPT =
  /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]/u;

/**
 * Splits text into the words that the model's tokenizer produces: lower case,
 * accents removed, runs of letters and digits, with each CJK character a
 * word of its own, as BERT normalization and pre-tokenization do.
 */
export function splitWords(text: string): string[] {
  const folded = text
    .normalize("NFD")
    .replace(COMBINING_MARK, "")
    .toLowerCase();
  const words: string[] = [];
  for (const [match] of folded.matchAll(WORD)) {
    if (DENSE_SCRIPT.test(match)) {
      words.push(...Array.from(match));
    } else {
      words.push(match);
    }
  }
  return words;
}
