import type { WordEmbeddings } from "./embeddings.js";

/** Settings of the subword pieces; they go into the manifest. */
export interface PieceSettings {
  /** Vocabulary words that may also continue a word, as "##word". */
  readonly continuationWords: number;
  /** Most frequent word endings kept as "##ending" pieces. */
  readonly endings: number;
  /** Weight of an ending piece's vector relative to a word's. */
  readonly endingWeight: number;
  /** Weight of a single-character piece's vector. */
  readonly characterWeight: number;
  /** Smoothing of the word weights a / (a + p(word)). */
  readonly frequencyWeight: number;
}

/** One token of the model's vocabulary and its vector before scaling. */
export interface TokenEntry {
  readonly token: string;
  /** Unit-length direction, or undefined for a zero vector. */
  readonly direction: Float32Array | undefined;
  /** Length the vector is scaled to, its weight in the mean. */
  readonly weight: number;
}

/** Ids of the special tokens; no other token may take them. */
export const PAD_TOKEN = "[PAD]";
export const UNKNOWN_TOKEN = "[UNK]";

/** Orders strings by UTF-16 code units, the same on every machine and locale. */
function compareCodeUnits(left: string, right: string): number {
  if (left < right) {
    return -1;
  }
  return left > right ? 1 : 0;
}

function unit(vector: Float32Array): Float32Array | undefined {
  let squares = 0;
  vector.forEach((value) => (squares += value * value));
  if (squares === 0) {
    return undefined;
  }
  const scale = 1 / Math.sqrt(squares);
  return vector.map((value) => value * scale);
}

/**
 * Builds the WordPiece vocabulary: the special tokens, the words, then
 * "##word" continuations of frequent words, "##ending" pieces, and every
 * character alone and as "##character", so that any word of letters and
 * digits can be cut into known pieces. A word's vector is scaled to
 * a / (a + p(word)), which down-weights frequent words in the mean (the
 * smooth inverse frequency weighting of Arora, Liang and Ma, 2017).
 * An ending's vector is the count-weighted mean of the words that end
 * with it; a character's is the mean of the words that contain it.
 */
export function buildVocabulary(
  embeddings: WordEmbeddings,
  settings: PieceSettings,
): TokenEntry[] {
  const { words, counts, vectors, dimension, totalCount } = embeddings;
  const vectorOf = (id: number): Float32Array =>
    vectors.subarray(id * dimension, (id + 1) * dimension);
  const weightOf = (id: number): number =>
    settings.frequencyWeight /
    (settings.frequencyWeight + (counts[id] as number) / totalCount);

  const entries: TokenEntry[] = [
    { token: PAD_TOKEN, direction: undefined, weight: 0 },
    { token: UNKNOWN_TOKEN, direction: undefined, weight: 0 },
  ];
  words.forEach((word, id) => {
    entries.push({
      token: word,
      direction: vectorOf(id),
      weight: weightOf(id),
    });
  });
  const used = new Set(entries.map((entry) => entry.token));
  const add = (entry: TokenEntry): void => {
    if (!used.has(entry.token)) {
      used.add(entry.token);
      entries.push(entry);
    }
  };

  let continuations = 0;
  words.forEach((word, id) => {
    if (word.length >= 3 && continuations < settings.continuationWords) {
      continuations++;
      add({
        token: `##${word}`,
        direction: vectorOf(id),
        weight: weightOf(id),
      });
    }
  });

  const endingSums = new Map<string, { sum: Float32Array; count: number }>();
  const characterSums = new Map<string, { sum: Float32Array; count: number }>();
  const accumulate = (
    map: Map<string, { sum: Float32Array; count: number }>,
    key: string,
    id: number,
  ): void => {
    let entry = map.get(key);
    if (entry === undefined) {
      entry = { sum: new Float32Array(dimension), count: 0 };
      map.set(key, entry);
    }
    const weight = counts[id] as number;
    const vector = vectorOf(id);
    for (let k = 0; k < dimension; k++) {
      entry.sum[k] = (entry.sum[k] as number) + weight * (vector[k] as number);
    }
    entry.count += weight;
  };
  words.forEach((word, id) => {
    const characters = Array.from(word);
    for (let length = 1; length <= 4 && length < characters.length; length++) {
      accumulate(endingSums, characters.slice(-length).join(""), id);
    }
    for (const character of new Set(characters)) {
      accumulate(characterSums, character, id);
    }
  });
  [...endingSums.entries()]
    .filter(([ending]) => Array.from(ending).length >= 2)
    .sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1))
    .slice(0, settings.endings)
    .forEach(([ending, { sum }]) => {
      add({
        token: `##${ending}`,
        direction: unit(sum),
        weight: settings.endingWeight,
      });
    });
  const characters = [...characterSums.entries()].sort((a, b) =>
    compareCodeUnits(a[0], b[0]),
  );
  for (const [character, { sum }] of characters) {
    const direction = unit(sum);
    add({ token: character, direction, weight: settings.characterWeight });
    add({
      token: `##${character}`,
      direction,
      weight: settings.characterWeight,
    });
  }
  return entries;
}
