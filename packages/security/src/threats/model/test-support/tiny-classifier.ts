import {
  encodeModel,
  initializer,
  int,
  removeModelFolder,
  wordPieceTokenizerJson,
  writeModelFolder,
} from "@retrieval-free/onnx-graph";
import type { GraphNode } from "@retrieval-free/onnx-graph";

/** A label that a token pushes the tiny model towards, and how hard. */
export interface TinyTokenWeight {
  readonly label: string;
  /** Added to the label's logit, divided by the tokens in the input. */
  readonly weight: number;
}

/** Labels of the default tiny model, as in binary injection detectors. */
export const TINY_THREAT_LABELS: readonly string[] = ["SAFE", "INJECTION"];

/** Logit added to each label for every input, before the token weights. */
export const TINY_BIASES: Readonly<Record<string, number>> = { SAFE: 2 };

const SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"];

/** Weight of each threat token of the default tiny model. */
const THREAT_WEIGHT = 24;

/**
 * Vocabulary of the default tiny model with the weight of each token,
 * where `null` is a neutral token. "zorblat" and "ignore" push towards
 * INJECTION, and "jailbreak" towards JAILBREAK. A token whose label the
 * model lacks is neutral.
 */
export const TINY_TOKEN_WEIGHTS: Readonly<
  Record<string, TinyTokenWeight | null>
> = {
  zorblat: { label: "INJECTION", weight: THREAT_WEIGHT },
  ignore: { label: "INJECTION", weight: THREAT_WEIGHT },
  jailbreak: { label: "JAILBREAK", weight: THREAT_WEIGHT },
  ...Object.fromEntries(
    [
      "the",
      "a",
      "all",
      "and",
      "now",
      "is",
      "nice",
      "today",
      "weather",
      "quarterly",
      "report",
      "please",
      "summarize",
      "previous",
      "instructions",
      "reveal",
      "system",
      "prompt",
      ".",
      ",",
    ].map((word) => [word, null]),
  ),
};

/** Options of {@link writeTinyThreatModel}. */
export interface TinyThreatOptions {
  /** Labels of the model outputs. @default TINY_THREAT_LABELS */
  readonly labels?: readonly string[];
  /** Vocabulary after the special tokens, with weights. @default TINY_TOKEN_WEIGHTS */
  readonly tokens?: Readonly<Record<string, TinyTokenWeight | null>>;
  /** Logit added to each label, by label name. @default TINY_BIASES */
  readonly biases?: Readonly<Record<string, number>>;
  /** Maximum input tokens, the size of the position table as in BERT. @default 64 */
  readonly maxPositions?: number;
  /** Written as config.json instead of `{ id2label, max_position_embeddings }`. */
  readonly config?: unknown;
}

/**
 * Graph of the tiny model. Each token's embedding holds its label weights
 * plus a row of a zero position table, which makes inputs longer than the
 * table fail as they do in BERT. The embeddings are averaged over the
 * tokens that the attention mask keeps and pass an identity linear layer
 * with the biases.
 */
const NODES: readonly GraphNode[] = [
  { op: "Gather", inputs: ["embeddings", "input_ids"], outputs: ["embedded"] },
  { op: "Shape", inputs: ["input_ids"], outputs: ["shape"] },
  { op: "Gather", inputs: ["shape", "one"], outputs: ["length"] },
  { op: "Range", inputs: ["zero", "length", "one"], outputs: ["positions"] },
  {
    op: "Gather",
    inputs: ["position_table", "positions"],
    outputs: ["position_rows"],
  },
  { op: "Add", inputs: ["embedded", "position_rows"], outputs: ["tokens"] },
  {
    op: "Cast",
    inputs: ["attention_mask"],
    outputs: ["mask"],
    attributes: { to: int(1) },
  },
  { op: "Unsqueeze", inputs: ["mask", "last_axis"], outputs: ["mask3"] },
  { op: "Mul", inputs: ["tokens", "mask3"], outputs: ["masked"] },
  {
    op: "ReduceSum",
    inputs: ["masked", "token_axis"],
    outputs: ["summed"],
    attributes: { keepdims: int(0) },
  },
  {
    op: "ReduceSum",
    inputs: ["mask3", "token_axis"],
    outputs: ["count"],
    attributes: { keepdims: int(0) },
  },
  { op: "Div", inputs: ["summed", "count"], outputs: ["mean"] },
  { op: "MatMul", inputs: ["mean", "weight"], outputs: ["projected"] },
  { op: "Add", inputs: ["projected", "bias"], outputs: ["logits"] },
];

/** Returns the embedding table, one row of label weights per token. */
function embeddingTable(
  vocabulary: readonly string[],
  labels: readonly string[],
  tokens: Readonly<Record<string, TinyTokenWeight | null>>,
): Float32Array {
  const width = labels.length;
  const embeddings = new Float32Array(vocabulary.length * width);
  vocabulary.forEach((token, row) => {
    const entry = tokens[token];
    if (entry === undefined || entry === null) {
      return;
    }
    const column = labels.indexOf(entry.label);
    if (column >= 0) {
      embeddings[row * width + column] = entry.weight;
    }
  });
  return embeddings;
}

function buildModel(
  vocabulary: readonly string[],
  labels: readonly string[],
  options: TinyThreatOptions,
): Uint8Array {
  const width = labels.length;
  const maxPositions = options.maxPositions ?? 64;
  const biases = options.biases ?? TINY_BIASES;
  const identity = new Float32Array(width * width);
  for (let index = 0; index < width; index++) {
    identity[index * width + index] = 1;
  }
  const ids = (name: string) => ({
    name,
    type: "int64" as const,
    shape: ["batch", "tokens"],
  });
  const axes = (value: bigint): BigInt64Array => BigInt64Array.from([value]);
  return encodeModel({
    name: "tiny-threat-classifier",
    inputs: [ids("input_ids"), ids("attention_mask"), ids("token_type_ids")],
    outputs: [{ name: "logits", type: "float32", shape: ["batch", width] }],
    initializers: [
      initializer(
        "embeddings",
        [vocabulary.length, width],
        embeddingTable(
          vocabulary,
          labels,
          options.tokens ?? TINY_TOKEN_WEIGHTS,
        ),
      ),
      initializer("weight", [width, width], identity),
      initializer(
        "bias",
        [width],
        Float32Array.from(labels.map((label) => biases[label] ?? 0)),
      ),
      initializer(
        "position_table",
        [maxPositions, width],
        new Float32Array(maxPositions * width),
      ),
      initializer("zero", [], BigInt64Array.from([0n])),
      initializer("one", [], BigInt64Array.from([1n])),
      initializer("token_axis", [1], axes(1n)),
      initializer("last_axis", [1], axes(2n)),
    ],
    nodes: NODES,
  });
}

/**
 * Writes a tiny text-classification model folder into a new temporary
 * folder: model.onnx, a WordPiece tokenizer.json and config.json with
 * `id2label`, as a Hugging Face ONNX export lays them out. A sentence's
 * logits are the biases plus the mean of its tokens' weights, [CLS] and
 * [SEP] included. Returns the folder, which {@link removeTinyThreatModel}
 * removes.
 */
export async function writeTinyThreatModel(
  options: TinyThreatOptions = {},
): Promise<string> {
  const labels = options.labels ?? TINY_THREAT_LABELS;
  const tokens = options.tokens ?? TINY_TOKEN_WEIGHTS;
  const vocabulary = [...SPECIALS, ...Object.keys(tokens)];
  const tokenizer = wordPieceTokenizerJson({
    vocabulary,
    unknownToken: "[UNK]",
    specialTokens: SPECIALS,
    stripAccents: null,
    padToken: "[PAD]",
    template: { cls: "[CLS]", sep: "[SEP]" },
  });
  const config = options.config ?? {
    id2label: Object.fromEntries(
      labels.map((label, id) => [String(id), label]),
    ),
    max_position_embeddings: options.maxPositions ?? 64,
  };
  return writeModelFolder("tiny-threat-", {
    model: buildModel(vocabulary, labels, options),
    tokenizer,
    config,
  });
}

/** Removes a folder written by {@link writeTinyThreatModel}. */
export async function removeTinyThreatModel(folder: string): Promise<void> {
  await removeModelFolder(folder);
}

/**
 * Returns the score that the default tiny model gives a sentence of
 * `tokenCount` WordPiece tokens, [CLS] and [SEP] not counted, of which
 * `threatTokens` are "zorblat" or "ignore".
 */
export function expectedTinyScore(
  tokenCount: number,
  threatTokens: number,
): number {
  const safe = TINY_BIASES.SAFE ?? 0;
  const injection = (THREAT_WEIGHT * threatTokens) / (tokenCount + 2);
  return 1 / (1 + Math.exp(safe - injection));
}
