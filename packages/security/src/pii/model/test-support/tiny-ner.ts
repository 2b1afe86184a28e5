import {
  encodeModel,
  initializer,
  removeModelFolder,
  wordPieceTokenizerJson,
  writeModelFolder,
} from "@retrieval-free/onnx-graph";
import type { GraphNode } from "@retrieval-free/onnx-graph";

/** A label that the tiny model gives a token, with the label's logit. */
export interface TinyTokenLabel {
  readonly label: string;
  /** Logit of the label. Every other label gets 0. */
  readonly logit: number;
}

/** Labels of the default tiny model, in the CoNLL-2003 IOB2 scheme. */
export const TINY_LABELS: readonly string[] = [
  "O",
  "B-PER",
  "I-PER",
  "B-LOC",
  "I-LOC",
  "B-ORG",
  "I-ORG",
  "B-MISC",
  "I-MISC",
];

const SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"];

const strong = (label: string): TinyTokenLabel => ({ label, logit: 6 });

/**
 * Vocabulary of the default (uncased) tiny model with the label of each
 * token, where tokens without an entry are labelled `O`. "Okonkwo" splits
 * into `ok`, `##on` and `##kwo`. "kim" is a weak name, labelled `B-PER`
 * with a probability of about 0.36.
 */
export const TINY_TOKEN_LABELS: Readonly<
  Record<string, TinyTokenLabel | null>
> = {
  ada: strong("B-PER"),
  marie: strong("B-PER"),
  ok: strong("B-PER"),
  jose: strong("B-PER"),
  kim: { label: "B-PER", logit: 1.5 },
  lovelace: strong("I-PER"),
  curie: strong("I-PER"),
  "##on": strong("I-PER"),
  "##kwo": strong("I-PER"),
  paris: strong("B-LOC"),
  zurich: strong("B-LOC"),
  sao: strong("B-LOC"),
  geneve: strong("B-LOC"),
  paulo: strong("I-LOC"),
  acme: strong("B-ORG"),
  corp: strong("I-ORG"),
  french: strong("B-MISC"),
  ...Object.fromEntries(
    [
      "the",
      "a",
      "met",
      "in",
      "and",
      "at",
      "to",
      "from",
      "wrote",
      "lives",
      "visited",
      "then",
      "went",
      "is",
      "was",
      "mail",
      "example",
      "com",
      "cat",
      "sat",
      "on",
      "mat",
      ".",
      ",",
      "@",
      "'",
      "-",
    ].map((word) => [word, null]),
  ),
};

/** Options of {@link writeTinyNerModel}. */
export interface TinyNerOptions {
  /** Labels of the model outputs. @default TINY_LABELS */
  readonly labels?: readonly string[];
  /** Vocabulary after the special tokens, with labels. @default TINY_TOKEN_LABELS */
  readonly tokens?: Readonly<Record<string, TinyTokenLabel | null>>;
  /** BertNormalizer's `lowercase`. @default true */
  readonly lowercase?: boolean;
  /** BertNormalizer's `strip_accents`, where null follows `lowercase`. @default null */
  readonly stripAccents?: boolean | null;
  /** Maximum input tokens, the size of the position table as in BERT. @default 64 */
  readonly maxPositions?: number;
  /** Written as config.json instead of `{ id2label, max_position_embeddings }`. */
  readonly config?: unknown;
}

/**
 * Graph of the tiny model: token embeddings that contain each token's
 * label logits, an identity linear layer, and a zero position table that
 * makes inputs longer than the table fail as they do in BERT.
 */
const NODES: readonly GraphNode[] = [
  { op: "Gather", inputs: ["embeddings", "input_ids"], outputs: ["embedded"] },
  { op: "MatMul", inputs: ["embedded", "weight"], outputs: ["projected"] },
  { op: "Add", inputs: ["projected", "bias"], outputs: ["biased"] },
  { op: "Shape", inputs: ["input_ids"], outputs: ["shape"] },
  { op: "Gather", inputs: ["shape", "one"], outputs: ["length"] },
  { op: "Range", inputs: ["zero", "length", "one"], outputs: ["positions"] },
  {
    op: "Gather",
    inputs: ["position_table", "positions"],
    outputs: ["position_scores"],
  },
  { op: "Add", inputs: ["biased", "position_scores"], outputs: ["logits"] },
];

/** Returns the embedding table, one row of label logits per token. */
function embeddingTable(
  vocabulary: readonly string[],
  labels: readonly string[],
  tokens: Readonly<Record<string, TinyTokenLabel | null>>,
): Float32Array {
  const width = labels.length;
  const embeddings = new Float32Array(vocabulary.length * width);
  vocabulary.forEach((token, row) => {
    const entry = tokens[token] ?? strong("O");
    const column = labels.indexOf(entry.label);
    if (column < 0) {
      throw new Error(`Label ${entry.label} of ${token} is not a model label.`);
    }
    embeddings[row * width + column] = entry.logit;
  });
  return embeddings;
}

function buildModel(
  vocabulary: readonly string[],
  labels: readonly string[],
  tokens: Readonly<Record<string, TinyTokenLabel | null>>,
  maxPositions: number,
): Uint8Array {
  const width = labels.length;
  const identity = new Float32Array(width * width);
  for (let index = 0; index < width; index++) {
    identity[index * width + index] = 1;
  }
  const scalar = (value: bigint): BigInt64Array => BigInt64Array.from([value]);
  const ids = (name: string) => ({
    name,
    type: "int64" as const,
    shape: ["batch", "tokens"],
  });
  return encodeModel({
    name: "tiny-ner",
    inputs: [ids("input_ids"), ids("attention_mask"), ids("token_type_ids")],
    outputs: [
      { name: "logits", type: "float32", shape: ["batch", "tokens", width] },
    ],
    initializers: [
      initializer(
        "embeddings",
        [vocabulary.length, width],
        embeddingTable(vocabulary, labels, tokens),
      ),
      initializer("weight", [width, width], identity),
      initializer("bias", [width], new Float32Array(width)),
      initializer(
        "position_table",
        [maxPositions, width],
        new Float32Array(maxPositions * width),
      ),
      initializer("zero", [], scalar(0n)),
      initializer("one", [], scalar(1n)),
    ],
    nodes: NODES,
  });
}

/**
 * Writes a tiny token-classification model folder into a new temporary
 * folder: model.onnx, a WordPiece tokenizer.json and config.json with
 * `id2label`, as a Hugging Face ONNX export lays them out. Returns the
 * folder, which {@link removeTinyModel} removes.
 */
export async function writeTinyNerModel(
  options: TinyNerOptions = {},
): Promise<string> {
  const labels = options.labels ?? TINY_LABELS;
  const tokens = options.tokens ?? TINY_TOKEN_LABELS;
  const maxPositions = options.maxPositions ?? 64;
  const vocabulary = [...SPECIALS, ...Object.keys(tokens)];
  const tokenizer = wordPieceTokenizerJson({
    vocabulary,
    unknownToken: "[UNK]",
    specialTokens: SPECIALS,
    stripAccents: options.stripAccents ?? null,
    padToken: "[PAD]",
    template: { cls: "[CLS]", sep: "[SEP]" },
  });
  (tokenizer.normalizer as Record<string, unknown>).lowercase =
    options.lowercase ?? true;
  const config = options.config ?? {
    id2label: Object.fromEntries(
      labels.map((label, id) => [String(id), label]),
    ),
    max_position_embeddings: maxPositions,
  };
  return writeModelFolder("tiny-ner-", {
    model: buildModel(vocabulary, labels, tokens, maxPositions),
    tokenizer,
    config,
  });
}

/** Removes a folder written by {@link writeTinyNerModel}. */
export async function removeTinyModel(folder: string): Promise<void> {
  await removeModelFolder(folder);
}
