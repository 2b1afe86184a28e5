import { encodeModel, int } from "./index.js";
import type { GraphNode, Initializer, ValueInfo } from "./index.js";
import { wordPieceTokenizerJson } from "./wordpiece-tokenizer.js";

/** Words of the tiny vocabulary, after the four special tokens. */
const WORDS = [
  "the",
  "a",
  "cat",
  "dog",
  "sat",
  "ran",
  "on",
  "in",
  "mat",
  "park",
  "captain",
  "ship",
  "sea",
  "whale",
  "bridge",
  "repair",
  "cost",
  "who",
  "is",
  "of",
  "how",
  "much",
  "will",
  "##s",
  ".",
  ",",
  "?",
];

/** Special token names and their ids in a tiny tokenizer. */
export interface TinySpecials {
  readonly cls: string;
  readonly sep: string;
  readonly pad: string;
  readonly unk: string;
}

/** BERT's special tokens, at ids 0 to 3 in the order pad, unk, cls, sep. */
export const BERT_SPECIALS: TinySpecials = {
  cls: "[CLS]",
  sep: "[SEP]",
  pad: "[PAD]",
  unk: "[UNK]",
};

/** RoBERTa-style special tokens, in the same slots. */
export const ROBERTA_SPECIALS: TinySpecials = {
  cls: "<s>",
  sep: "</s>",
  pad: "<pad>",
  unk: "<unk>",
};

/** Returns the vocabulary of a tiny tokenizer: pad, unk, cls, sep, then the words. */
export function tinyVocabulary(specials: TinySpecials): string[] {
  return [specials.pad, specials.unk, specials.cls, specials.sep, ...WORDS];
}

/**
 * Returns a WordPiece tokenizer.json in the Hugging Face format: BERT
 * normalization (lower case), BERT pre-tokenization and a template that
 * puts `cls` before and `sep` after the text.
 */
export function tinyTokenizerJson(
  specials: TinySpecials = BERT_SPECIALS,
): Record<string, unknown> {
  return wordPieceTokenizerJson({
    vocabulary: tinyVocabulary(specials),
    unknownToken: specials.unk,
    specialTokens: [specials.pad, specials.unk, specials.cls, specials.sep],
    stripAccents: null,
    template: { cls: specials.cls, sep: specials.sep },
  });
}

/** Options of {@link tinyBertModel}. */
export interface TinyModelOptions {
  /** Width of the token vectors. @default 8 */
  readonly hidden?: number;
  /** Output the graph ends with. @default "last_hidden_state" */
  readonly output?: "last_hidden_state" | "sentence_embedding";
  /** Whether the graph takes `token_type_ids`. @default true */
  readonly tokenTypes?: boolean;
}

/** A tiny model's bytes and the weights a test recomputes vectors from. */
export interface TinyModel {
  readonly bytes: Uint8Array;
  readonly hidden: number;
  readonly words: Float32Array;
  readonly types: Float32Array;
}

/**
 * Builds a BERT-shaped ONNX model over the tiny vocabulary: token vectors
 * tanh(word[id] + type[token type]), returned as `last_hidden_state`
 * `[batch, tokens, hidden]`, or mean-pooled under the attention mask as
 * `sentence_embedding` `[batch, hidden]`. The weights are fixed sines, so
 * every build gives the same bytes.
 */
export function tinyBertModel(options: TinyModelOptions = {}): TinyModel {
  const hidden = options.hidden ?? 8;
  const output = options.output ?? "last_hidden_state";
  const tokenTypes = options.tokenTypes ?? true;
  const rows = tinyVocabulary(BERT_SPECIALS).length;
  const words = Float32Array.from({ length: rows * hidden }, (_, index) =>
    Math.sin(index * 0.37 + 0.5),
  );
  const types = Float32Array.from(
    { length: 2 * hidden },
    (_, index) => Math.cos(index * 0.91) * 0.25,
  );
  const initializers: Initializer[] = [
    {
      name: "word_embeddings",
      type: "float32",
      dims: [rows, hidden],
      data: words,
    },
    {
      name: "type_embeddings",
      type: "float32",
      dims: [2, hidden],
      data: types,
    },
    {
      name: "axis_1",
      type: "int64",
      dims: [1],
      data: BigInt64Array.from([1n]),
    },
    {
      name: "axis_2",
      type: "int64",
      dims: [1],
      data: BigInt64Array.from([2n]),
    },
  ];
  const nodes: GraphNode[] = [
    {
      op: "Gather",
      inputs: ["word_embeddings", "input_ids"],
      outputs: ["words"],
    },
  ];
  if (tokenTypes) {
    nodes.push(
      {
        op: "Gather",
        inputs: ["type_embeddings", "token_type_ids"],
        outputs: ["types"],
      },
      { op: "Add", inputs: ["words", "types"], outputs: ["summed"] },
      { op: "Tanh", inputs: ["summed"], outputs: ["hidden"] },
    );
  } else {
    nodes.push({ op: "Tanh", inputs: ["words"], outputs: ["hidden"] });
  }
  const inputs: ValueInfo[] = [
    { name: "input_ids", type: "int64", shape: ["batch", "tokens"] },
    { name: "attention_mask", type: "int64", shape: ["batch", "tokens"] },
    ...(tokenTypes
      ? [
          {
            name: "token_type_ids",
            type: "int64" as const,
            shape: ["batch", "tokens"],
          },
        ]
      : []),
  ];
  let outputs: ValueInfo[];
  if (output === "last_hidden_state") {
    nodes.push({
      op: "Identity",
      inputs: ["hidden"],
      outputs: ["last_hidden_state"],
    });
    outputs = [
      {
        name: "last_hidden_state",
        type: "float32",
        shape: ["batch", "tokens", hidden],
      },
    ];
  } else {
    nodes.push(
      {
        op: "Cast",
        inputs: ["attention_mask"],
        outputs: ["mask"],
        attributes: { to: int(1) },
      },
      { op: "Unsqueeze", inputs: ["mask", "axis_2"], outputs: ["mask3"] },
      { op: "Mul", inputs: ["hidden", "mask3"], outputs: ["masked"] },
      {
        op: "ReduceSum",
        inputs: ["masked", "axis_1"],
        outputs: ["total"],
        attributes: { keepdims: int(0) },
      },
      {
        op: "ReduceSum",
        inputs: ["mask3", "axis_1"],
        outputs: ["count"],
        attributes: { keepdims: int(0) },
      },
      {
        op: "Div",
        inputs: ["total", "count"],
        outputs: ["sentence_embedding"],
      },
    );
    outputs = [
      { name: "sentence_embedding", type: "float32", shape: ["batch", hidden] },
    ];
  }
  const bytes = encodeModel({
    name: "tiny-bert",
    inputs,
    outputs,
    initializers,
    nodes,
  });
  return { bytes, hidden, words, types };
}

/**
 * Recomputes what the tiny model and mean pooling give for one window of
 * token ids: the mean of tanh(word[id] + type[0]) over the ids.
 */
export function tinyMeanVector(
  model: TinyModel,
  ids: readonly number[],
): Float32Array {
  const vector = new Float32Array(model.hidden);
  for (const id of ids) {
    for (let index = 0; index < model.hidden; index++) {
      const value =
        (model.words[id * model.hidden + index] as number) +
        (model.types[index] as number);
      vector[index] = (vector[index] as number) + Math.tanh(value);
    }
  }
  return vector.map((value) => value / ids.length);
}
