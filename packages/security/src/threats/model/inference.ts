import { runSession } from "../../pii/model/inference.js";
import type { ClassifierSetup } from "../../pii/model/inference.js";
import { modelFolderError } from "../../pii/model/model-error.js";

/**
 * Runs the model on rows of token ids, padded to the longest, and
 * returns its logits, row-major `[row, label]`.
 * @throws {SecurityError} `MODEL_INTEGRITY_FAILED` when the run fails or
 * the output does not have one finite score per label and row.
 */
export async function runSentenceRows(
  setup: ClassifierSetup,
  rows: readonly Int32Array[],
): Promise<Float32Array> {
  const { output } = await runSession(setup, rows, "sentences");
  const { model, config } = setup.sources;
  const dims = output?.dims ?? [];
  const logits = output?.data;
  if (
    !(logits instanceof Float32Array) ||
    dims.length !== 2 ||
    dims[0] !== rows.length
  ) {
    throw modelFolderError(
      `${model} returned ${setup.layout.output} with shape [${dims.join(", ")}] and type ${output?.type ?? "none"}; a text classifier returns float32 scores of shape [batch, labels]. Export the model for text classification.`,
    );
  }
  if (dims[1] !== setup.labelCount) {
    throw modelFolderError(
      `${model} returns ${String(dims[1])} scores per sentence, but ${config} lists ${setup.labelCount} labels in id2label; use the config.json saved with the model.`,
    );
  }
  if (!logits.every((value) => Number.isFinite(value))) {
    throw modelFolderError(
      `${model} returned a score that is not a finite number; the model is broken or was exported incorrectly.`,
    );
  }
  return logits;
}

/** Returns the logistic sigmoid of `value`, without overflow. */
function sigmoid(value: number): number {
  if (value >= 0) {
    return 1 / (1 + Math.exp(-value));
  }
  const exponential = Math.exp(value);
  return exponential / (1 + exponential);
}

/** Sums the softmax probabilities of `threatIndexes` in one row. */
function softmaxShare(
  logits: Float32Array,
  from: number,
  count: number,
  threatIndexes: readonly number[],
): number {
  let max = -Infinity;
  for (let index = 0; index < count; index++) {
    max = Math.max(max, logits[from + index] as number);
  }
  let total = 0;
  for (let index = 0; index < count; index++) {
    total += Math.exp((logits[from + index] as number) - max);
  }
  let threat = 0;
  for (const index of threatIndexes) {
    threat += Math.exp((logits[from + index] as number) - max);
  }
  return threat / total;
}

/**
 * Turns logits, row-major `[row, label]`, into one threat probability
 * per row. With one label it is the sigmoid of the logit. With more it
 * is the sum of the softmax probabilities of `threatIndexes`, clamped to
 * 1 because the float sum can round above it.
 */
export function threatProbabilities(
  logits: Float32Array,
  labelCount: number,
  threatIndexes: readonly number[],
): number[] {
  const rows = logits.length / labelCount;
  const scores: number[] = [];
  for (let row = 0; row < rows; row++) {
    const from = row * labelCount;
    const score =
      labelCount === 1
        ? sigmoid(logits[from] as number)
        : softmaxShare(logits, from, labelCount, threatIndexes);
    scores.push(Math.min(1, Math.max(0, score)));
  }
  return scores;
}
