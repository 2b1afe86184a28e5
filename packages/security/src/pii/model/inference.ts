import { modelFolderError, reasonOf } from "./model-error.js";
import type {
  OnnxRuntime,
  OnnxSession,
  OnnxTensor,
  SessionLayout,
} from "./runtime.js";
import type { TokenWindow } from "./windows.js";

/** A loaded token classifier and what it needs to build its inputs. */
export interface ClassifierSetup {
  readonly runtime: OnnxRuntime;
  readonly session: OnnxSession;
  readonly layout: SessionLayout;
  /** Number of labels in config.json's `id2label`. */
  readonly labelCount: number;
  readonly prefixIds: readonly number[];
  readonly suffixIds: readonly number[];
  readonly padId: number;
  /** Windows per model call. */
  readonly batchSize: number;
  /** Paths of model.onnx and config.json, named in error messages. */
  readonly sources: { readonly model: string; readonly config: string };
}

function toTensor(
  setup: ClassifierSetup,
  values: Int32Array,
  dims: readonly number[],
): OnnxTensor {
  if (setup.layout.idType === "int32") {
    return new setup.runtime.Tensor("int32", values, dims);
  }
  const wide = new BigInt64Array(values.length);
  for (let index = 0; index < values.length; index++) {
    wide[index] = BigInt(values[index] as number);
  }
  return new setup.runtime.Tensor("int64", wide, dims);
}

/**
 * Builds the model inputs for rows of token ids, padded to the longest.
 * NOTE: a model exported with a fixed sequence length fails on shorter
 * batches, because rows are not padded to the model's own length.
 */
export function buildFeeds(
  setup: ClassifierSetup,
  rows: readonly Int32Array[],
): { feeds: Record<string, OnnxTensor>; length: number } {
  const length = Math.max(...rows.map((row) => row.length));
  const ids = new Int32Array(rows.length * length).fill(setup.padId);
  const mask = new Int32Array(rows.length * length);
  rows.forEach((row, index) => {
    ids.set(row, index * length);
    mask.fill(1, index * length, index * length + row.length);
  });
  const dims = [rows.length, length];
  const feeds: Record<string, OnnxTensor> = {
    input_ids: toTensor(setup, ids, dims),
  };
  if (setup.layout.attentionMask) {
    feeds.attention_mask = toTensor(setup, mask, dims);
  }
  if (setup.layout.tokenTypes) {
    feeds.token_type_ids = toTensor(setup, new Int32Array(ids.length), dims);
  }
  return { feeds, length };
}

/**
 * Runs the model on rows of token ids and returns its output tensor, or
 * undefined when the model has no output of the layout's name. `unit`
 * names the rows in the error, such as "windows" or "sentences".
 * @throws {SecurityError} `MODEL_INTEGRITY_FAILED` when ONNX Runtime fails.
 */
export async function runSession(
  setup: ClassifierSetup,
  rows: readonly Int32Array[],
  unit: string,
): Promise<{ output: OnnxTensor | undefined; length: number }> {
  const { feeds, length } = buildFeeds(setup, rows);
  let results: Record<string, OnnxTensor>;
  try {
    results = await setup.session.run(feeds);
  } catch (error) {
    throw modelFolderError(
      `ONNX Runtime failed to run ${setup.sources.model} on ${rows.length} ${unit} of up to ${length} tokens (${reasonOf(error)}); check that maxLength does not exceed what the model accepts.`,
      error,
    );
  }
  return { output: results[setup.layout.output], length };
}

/**
 * Runs the model on rows of token ids and returns its label scores,
 * row-major `[row, token, label]` with every row padded to `length`.
 * @throws {SecurityError} `MODEL_INTEGRITY_FAILED` when the run fails or
 * the output does not have one finite score per label and token.
 */
export async function runRows(
  setup: ClassifierSetup,
  rows: readonly Int32Array[],
): Promise<{ scores: Float32Array; length: number }> {
  const { output, length } = await runSession(setup, rows, "windows");
  const { model, config } = setup.sources;
  const dims = output?.dims ?? [];
  const scores = output?.data;
  if (
    !(scores instanceof Float32Array) ||
    dims.length !== 3 ||
    dims[0] !== rows.length ||
    dims[1] !== length
  ) {
    throw modelFolderError(
      `${model} returned ${setup.layout.output} with shape [${dims.join(", ")}] and type ${output?.type ?? "none"}; a token classifier returns float32 scores of shape [batch, tokens, labels].`,
    );
  }
  if (dims[2] !== setup.labelCount) {
    throw modelFolderError(
      `${model} returns ${String(dims[2])} scores per token, but ${config} lists ${setup.labelCount} labels in id2label; use the config.json saved with the model.`,
    );
  }
  if (!scores.every((value) => Number.isFinite(value))) {
    throw modelFolderError(
      `${model} returned a score that is not a finite number; the model is broken or was exported incorrectly.`,
    );
  }
  return { scores, length };
}

/** Writes the softmax of `count` scores from `source` into `target`. */
function softmaxInto(
  source: Float32Array,
  from: number,
  count: number,
  target: Float32Array,
  to: number,
): void {
  let max = -Infinity;
  for (let index = 0; index < count; index++) {
    max = Math.max(max, source[from + index] as number);
  }
  let total = 0;
  for (let index = 0; index < count; index++) {
    const value = Math.exp((source[from + index] as number) - max);
    target[to + index] = value;
    total += value;
  }
  for (let index = 0; index < count; index++) {
    target[to + index] = (target[to + index] as number) / total;
  }
}

/**
 * Runs the model over the windows of a text in batches and returns the
 * label probabilities of every text token, row-major `[token, label]`,
 * each token's row taken from the window that owns it.
 */
export async function classifyTokens(
  setup: ClassifierSetup,
  ids: readonly number[],
  windows: readonly TokenWindow[],
): Promise<Float32Array> {
  const labels = setup.labelCount;
  const head = setup.prefixIds.length;
  const probabilities = new Float32Array(ids.length * labels);
  for (let first = 0; first < windows.length; first += setup.batchSize) {
    const batch = windows.slice(first, first + setup.batchSize);
    const rows = batch.map((window) =>
      Int32Array.from([
        ...setup.prefixIds,
        ...ids.slice(window.start, window.end),
        ...setup.suffixIds,
      ]),
    );
    const { scores, length } = await runRows(setup, rows);
    batch.forEach((window, row) => {
      for (let token = window.ownStart; token < window.ownEnd; token++) {
        const position = row * length + head + token - window.start;
        softmaxInto(
          scores,
          position * labels,
          labels,
          probabilities,
          token * labels,
        );
      }
    });
  }
  return probabilities;
}
