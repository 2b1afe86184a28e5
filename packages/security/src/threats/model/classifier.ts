import {
  describeValue,
  SecurityError,
  SecurityErrorCode,
} from "../../errors.js";
import type { ClassifierSetup } from "../../pii/model/inference.js";
import type { WordPieceTokenizer } from "../../pii/model/wordpiece.js";
import type { ThreatClassifier } from "../types.js";
import { runSentenceRows, threatProbabilities } from "./inference.js";

/**
 * A text-classification model loaded by {@link loadThreatClassifier},
 * ready to pass to `scanThreatsAsync` as its `classifier`.
 */
export interface OnnxThreatClassifier extends ThreatClassifier {
  /** Labels of the model outputs, from config.json's `id2label`. */
  readonly labels: readonly string[];
  /** Labels whose probabilities are summed into each score. */
  readonly threatLabels: readonly string[];
  /** Tokens per sentence, special tokens included. */
  readonly maxLength: number;
  /**
   * Scores each sentence from 0 to 1, in order. A sentence longer than
   * `maxLength` tokens is scored on its first tokens only.
   * @throws {SecurityError} `INVALID_INPUT` when `sentences` is not a
   * list of strings or the classifier is closed, `MODEL_INTEGRITY_FAILED`
   * when the model run fails.
   */
  classify(sentences: string[]): Promise<number[]>;
  /**
   * Waits for running `classify` calls, then releases the ONNX Runtime
   * session. Later calls raise `INVALID_INPUT`.
   */
  close(): Promise<void>;
}

/** A loaded model and what the classifier needs to run it. */
export interface ThreatModelInit {
  readonly name: string;
  readonly labels: readonly string[];
  /** Indexes of the threat labels in `labels`. */
  readonly threatIndexes: readonly number[];
  readonly tokenizer: WordPieceTokenizer;
  readonly setup: ClassifierSetup;
  readonly maxLength: number;
  /** Text tokens per row: `maxLength` less the special tokens. */
  readonly room: number;
}

class ModelThreatClassifier implements OnnxThreatClassifier {
  readonly name: string;
  readonly labels: readonly string[];
  readonly threatLabels: readonly string[];
  readonly maxLength: number;
  private readonly running = new Set<Promise<number[]>>();
  private closed = false;

  constructor(private readonly init: ThreatModelInit) {
    this.name = init.name;
    this.labels = init.labels;
    this.threatLabels = init.threatIndexes.map(
      (index) => init.labels[index] as string,
    );
    this.maxLength = init.maxLength;
  }

  async classify(sentences: string[]): Promise<number[]> {
    const input: unknown = sentences;
    if (
      !Array.isArray(input) ||
      !input.every((sentence) => typeof sentence === "string")
    ) {
      throw new SecurityError(
        SecurityErrorCode.INVALID_INPUT,
        `Classifier "${this.name}" takes a list of sentences as strings (received ${describeValue(input)}).`,
      );
    }
    this.checkOpen();
    const scoring = this.score(input);
    this.running.add(scoring);
    try {
      return await scoring;
    } finally {
      this.running.delete(scoring);
    }
  }

  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    await Promise.allSettled(this.running);
    await this.init.setup.session.release();
  }

  /**
   * Tokenizes and truncates every sentence, then runs the model on
   * batches of sentences of similar length, so that little padding is
   * added, and returns the scores in the input order.
   */
  private async score(sentences: readonly string[]): Promise<number[]> {
    const { setup, threatIndexes } = this.init;
    const rows = sentences.map((sentence) => this.toRow(sentence));
    const lengths = rows.map((row) => row.length);
    const order = rows
      .map((_, index) => index)
      .sort(
        (left, right) => (lengths[left] as number) - (lengths[right] as number),
      );

    const scores = new Array<number>(rows.length).fill(0);
    for (let first = 0; first < order.length; first += setup.batchSize) {
      const batch = order.slice(first, first + setup.batchSize);
      const logits = await runSentenceRows(
        setup,
        batch.map((index) => rows[index] as Int32Array),
      );
      const batchScores = threatProbabilities(
        logits,
        setup.labelCount,
        threatIndexes,
      );
      batch.forEach((index, position) => {
        scores[index] = batchScores[position] as number;
      });
    }

    return scores;
  }

  /**
   * Returns a sentence's model input: the special tokens around its
   * first `room` text tokens, as Hugging Face truncation keeps the start.
   * NOTE: text past the limit is not read, so an instruction placed after
   * `room` tokens of filler in one sentence is scored on the filler.
   */
  private toRow(sentence: string): Int32Array {
    const { tokenizer, setup, room } = this.init;
    const pieces = tokenizer.tokenize(sentence).pieces.slice(0, room);
    return Int32Array.from([
      ...setup.prefixIds,
      ...pieces.map((piece) => piece.id),
      ...setup.suffixIds,
    ]);
  }

  private checkOpen(): void {
    if (this.closed) {
      throw new SecurityError(
        SecurityErrorCode.INVALID_INPUT,
        `Classifier "${this.name}" is closed; load the model again with loadThreatClassifier.`,
      );
    }
  }
}

/** Creates an {@link OnnxThreatClassifier} from a loaded model. */
export function createThreatClassifier(
  init: ThreatModelInit,
): OnnxThreatClassifier {
  return new ModelThreatClassifier(init);
}
