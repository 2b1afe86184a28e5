import type { Corpus } from "./corpus.js";
import type { Sparse } from "./linear-algebra.js";
import { truncatedSvd } from "./linear-algebra.js";
import { splitWords } from "./words.js";

/** Settings of the training run; all of them go into the manifest. */
export interface TrainingSettings {
  /** Maximum number of words in the vocabulary, before subword pieces. */
  readonly maxWords: number;
  /** Minimum number of occurrences for a word to enter the vocabulary. */
  readonly minCount: number;
  /** Context words: the most frequent ones after `skipContexts`. */
  readonly contexts: number;
  /** Most frequent words left out as contexts (function words). */
  readonly skipContexts: number;
  /** Words on each side that count as co-occurring. */
  readonly window: number;
  /** Exponent that smooths the context distribution of PMI. */
  readonly contextSmoothing: number;
  readonly dimension: number;
  readonly oversample: number;
  readonly powerIterations: number;
  readonly seed: number;
  /** Exponent of the singular values in the word vectors. */
  readonly singularWeight: number;
}

/** Word vectors and the counts they were learned from. */
export interface WordEmbeddings {
  /** Words by id, most frequent first. */
  readonly words: readonly string[];
  readonly counts: Float64Array;
  /** Unit-length vectors, `dimension` values per word. */
  readonly vectors: Float32Array;
  readonly dimension: number;
  /** Total word occurrences counted. */
  readonly totalCount: number;
}

function countWords(
  texts: readonly (readonly string[])[],
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const words of texts) {
    for (const word of words) {
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return counts;
}

/** A growable list of 32-bit codes. */
class CodeList {
  values = new Uint32Array(1 << 20);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Uint32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
}

/**
 * Turns texts and synsets into token sequences: each text paragraph, and
 * for each synset its lemmas followed by its gloss, so that a lemma
 * co-occurs with its synonyms and the words that define it.
 */
function sequencesOf(corpus: Corpus): string[][] {
  const sequences = corpus.texts.map((text) => splitWords(text));
  for (const synset of corpus.synsets) {
    sequences.push(splitWords([...synset.lemmas, synset.gloss].join(" ")));
  }
  return sequences.filter((words) => words.length > 0);
}

/**
 * Learns word vectors: counts co-occurrences within a window, weights
 * them by positive pointwise mutual information with a smoothed context
 * distribution, and keeps the top singular directions of that matrix
 * (Levy, Goldberg and Dagan, 2015). Every step is deterministic.
 */
export function trainWordEmbeddings(
  corpus: Corpus,
  settings: TrainingSettings,
  log: (message: string) => void,
): WordEmbeddings {
  const sequences = sequencesOf(corpus);
  const counts = countWords(sequences);
  const ranked = [...counts.entries()]
    .filter(([, count]) => count >= settings.minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, settings.maxWords);
  const words = ranked.map(([word]) => word);
  const idOf = new Map(words.map((word, id) => [word, id]));
  const contextOf = new Map<string, number>();
  words
    .slice(settings.skipContexts, settings.skipContexts + settings.contexts)
    .forEach((word, index) => contextOf.set(word, index));
  const contexts = contextOf.size;
  log(
    `${sequences.length} sequences, ${counts.size} distinct words, ${words.length} in the vocabulary, ${contexts} contexts`,
  );

  const pairs = new CodeList();
  for (const sequence of sequences) {
    const ids = sequence.map((word) => idOf.get(word) ?? -1);
    const contextIds = sequence.map((word) => contextOf.get(word) ?? -1);
    for (let at = 0; at < ids.length; at++) {
      const word = ids[at] as number;
      if (word < 0) {
        continue;
      }
      const from = Math.max(0, at - settings.window);
      const to = Math.min(ids.length - 1, at + settings.window);
      for (let other = from; other <= to; other++) {
        const context = contextIds[other] as number;
        if (other !== at && context >= 0) {
          pairs.push(word * contexts + context);
        }
      }
    }
  }
  const codes = pairs.values.subarray(0, pairs.length).sort();
  log(`${codes.length} co-occurrences`);

  const matrix = ppmiMatrix(codes, words.length, contexts, settings);
  log(`${matrix.values.length} non-zero PPMI entries`);
  const { left, singular } = truncatedSvd(matrix, settings.dimension, {
    oversample: settings.oversample,
    powerIterations: settings.powerIterations,
    seed: settings.seed,
  });
  const dimension = settings.dimension;
  const vectors = new Float32Array(words.length * dimension);
  for (let word = 0; word < words.length; word++) {
    let squares = 0;
    for (let k = 0; k < dimension; k++) {
      const value =
        (left.data[word * dimension + k] as number) *
        (singular[k] as number) ** settings.singularWeight;
      vectors[word * dimension + k] = value;
      squares += value * value;
    }
    const scale = squares > 0 ? 1 / Math.sqrt(squares) : 0;
    for (let k = 0; k < dimension; k++) {
      vectors[word * dimension + k] =
        (vectors[word * dimension + k] as number) * scale;
    }
  }
  const wordCounts = Float64Array.from(ranked, ([, count]) => count);
  let totalCount = 0;
  counts.forEach((count) => (totalCount += count));
  return { words, counts: wordCounts, vectors, dimension, totalCount };
}

/** Builds the positive PMI matrix from sorted pair codes. */
function ppmiMatrix(
  codes: Uint32Array,
  rows: number,
  columns: number,
  settings: TrainingSettings,
): Sparse {
  const rowTotals = new Float64Array(rows);
  const columnTotals = new Float64Array(columns);
  for (const code of codes) {
    const row = Math.floor(code / columns);
    rowTotals[row] = (rowTotals[row] as number) + 1;
    const column = code % columns;
    columnTotals[column] = (columnTotals[column] as number) + 1;
  }
  let smoothedTotal = 0;
  const smoothed = Float64Array.from(columnTotals, (count) => {
    const value = count ** settings.contextSmoothing;
    smoothedTotal += value;
    return value;
  });
  const rowStarts = new Int32Array(rows + 1);
  const columnIndices: number[] = [];
  const values: number[] = [];
  let at = 0;
  for (let row = 0; row < rows; row++) {
    while (
      at < codes.length &&
      Math.floor((codes[at] as number) / columns) === row
    ) {
      const code = codes[at] as number;
      let count = 0;
      while (at < codes.length && codes[at] === code) {
        count++;
        at++;
      }
      const column = code % columns;
      const pmi = Math.log(
        (count * smoothedTotal) /
          ((rowTotals[row] as number) * (smoothed[column] as number)),
      );
      if (pmi > 0) {
        columnIndices.push(column);
        values.push(pmi);
      }
    }
    rowStarts[row + 1] = values.length;
  }
  return {
    rows,
    columns,
    rowStarts,
    columnIndices: Int32Array.from(columnIndices),
    values: Float64Array.from(values),
  };
}
