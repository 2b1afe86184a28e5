import type { TokenWord } from "./wordpiece.js";

/**
 * Tagging prefix of a label: `B` begins an entity, `I` continues one,
 * `E` ends one, `S` is a one-word entity and `O` is outside any entity.
 * BILOU's `L` and `U` are read as `E` and `S`.
 */
export type LabelPrefix = "B" | "I" | "E" | "S" | "O";

/** A model label split into its tagging prefix and entity type. */
export interface TokenLabel {
  readonly prefix: LabelPrefix;
  /** Entity type in capitals, such as `PER`, or empty for `O`. */
  readonly entity: string;
}

/** Strategy that derives a word's label from the labels of its pieces. */
export type NerAggregation = "first" | "average" | "max";

/** The label that a word takes and its probability. */
export interface WordLabel {
  readonly label: number;
  readonly score: number;
}

/** An entity as a run of words. */
export interface EntitySpan {
  readonly firstWord: number;
  /** Index of the last word (inclusive). */
  readonly lastWord: number;
  readonly entity: string;
  /** Mean probability of the words' labels. */
  readonly score: number;
}

const PREFIXED_LABEL = /^([BIESLU])[-_](.+)$/iu;

const PREFIX_ALIASES: Readonly<Record<string, LabelPrefix>> = {
  B: "B",
  I: "I",
  E: "E",
  S: "S",
  L: "E",
  U: "S",
};

/**
 * Splits a label such as `B-PER` into prefix and entity type. `O` is
 * outside any entity. A label without a prefix, as in the IO scheme,
 * continues an entity of its type.
 */
export function parseLabel(label: string): TokenLabel {
  const trimmed = label.trim();
  if (trimmed.toUpperCase() === "O") {
    return { prefix: "O", entity: "" };
  }
  const match = PREFIXED_LABEL.exec(trimmed);
  if (match === null) {
    return { prefix: "I", entity: trimmed.toUpperCase() };
  }
  const prefix = PREFIX_ALIASES[(match[1] as string).toUpperCase()] ?? "I";
  return { prefix, entity: (match[2] as string).toUpperCase() };
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let index = 1; index < values.length; index++) {
    if ((values[index] as number) > (values[best] as number)) {
      best = index;
    }
  }
  return best;
}

/**
 * Labels one word from the label probabilities of its pieces. `first`
 * takes the first piece, `average` the mean of the pieces'
 * probabilities, and `max` the piece whose best label is the most
 * probable.
 * @param probabilities Row-major `[piece, label]` probabilities.
 */
export function labelWord(
  word: TokenWord,
  probabilities: Float32Array,
  labelCount: number,
  aggregation: NerAggregation,
): WordLabel {
  const rowOf = (piece: number): Float32Array =>
    probabilities.subarray(piece * labelCount, (piece + 1) * labelCount);
  let chosen = rowOf(word.firstPiece);
  if (aggregation === "average" && word.pieceCount > 1) {
    chosen = new Float32Array(labelCount);
    for (let piece = 0; piece < word.pieceCount; piece++) {
      const row = rowOf(word.firstPiece + piece);
      for (let label = 0; label < labelCount; label++) {
        chosen[label] =
          (chosen[label] as number) + (row[label] as number) / word.pieceCount;
      }
    }
  } else if (aggregation === "max") {
    for (let piece = 1; piece < word.pieceCount; piece++) {
      const row = rowOf(word.firstPiece + piece);
      if (Math.max(...row) > Math.max(...chosen)) {
        chosen = row;
      }
    }
  }
  const label = argmax(chosen);
  return { label, score: chosen[label] as number };
}

/**
 * Groups labelled words into entities by their tags. `B` and `S` always
 * start an entity. `I` and `E` continue the entity of the previous word
 * when it has the same type and start one otherwise, so a model that
 * skips the `B` still yields the entity. `E`, `S` and `O` close it.
 */
export function decodeEntities(
  words: readonly WordLabel[],
  labels: readonly TokenLabel[],
): EntitySpan[] {
  const spans: EntitySpan[] = [];
  let open: { first: number; entity: string; total: number } | undefined;
  const close = (lastWord: number): void => {
    if (open !== undefined) {
      const count = lastWord - open.first + 1;
      spans.push({
        firstWord: open.first,
        lastWord,
        entity: open.entity,
        score: Math.min(1, open.total / count),
      });
      open = undefined;
    }
  };
  words.forEach((word, index) => {
    const label = labels[word.label] ?? { prefix: "O", entity: "" };
    const continues =
      open?.entity === label.entity &&
      (label.prefix === "I" || label.prefix === "E");
    if (!continues) {
      close(index - 1);
    }
    if (label.prefix === "O") {
      return;
    }
    open ??= { first: index, entity: label.entity, total: 0 };
    open.total += word.score;
    if (label.prefix === "E" || label.prefix === "S") {
      close(index);
    }
  });
  close(words.length - 1);
  return spans;
}
