const segmenter = new Intl.Segmenter(undefined, { granularity: "sentence" });

/**
 * Splits paragraphs into sentences with `Intl.Segmenter`, one paragraph at
 * a time so no sentence crosses a paragraph break. Sentences are trimmed
 * and empty ones dropped; the list is in source order.
 */
export function splitSentences(paragraphs: readonly string[]): string[] {
  const sentences: string[] = [];
  for (const paragraph of paragraphs) {
    for (const { segment } of segmenter.segment(paragraph)) {
      const sentence = segment.trim();
      if (sentence !== "") {
        sentences.push(sentence);
      }
    }
  }
  return sentences;
}
