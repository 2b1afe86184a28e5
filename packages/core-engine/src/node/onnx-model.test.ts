import { afterAll, describe, expect, it } from "vitest";

import { compress } from "../compress.js";
import { parseOnnxEncoderConfig } from "../encoder/onnx-config.js";
import { OnnxEncoder } from "../encoder/onnx-encoder.js";
import { createTextTokenizer } from "../encoder/text-tokenizer.js";
import { CoreEngineErrorCode } from "../errors.js";
import { expand, route } from "../mega-tokens/route.js";
import { catchCoreEngineError } from "../test-support/errors.js";
import { findProvenanceProblems } from "../test-support/provenance.js";
import {
  encodeModel,
  ROBERTA_SPECIALS,
  tinyBertModel,
  tinyMeanVector,
  tinyTokenizerJson,
} from "@retrieval-free/onnx-graph";
import {
  tinyModelFiles,
  writeModelFolder,
} from "../test-support/tiny-model.js";
import type { ModelFiles } from "../test-support/tiny-model.js";
import { TOPIC_PARAGRAPHS } from "../test-support/topics.js";
import { loadOnnxEncoder } from "./onnx-model.js";

const model = tinyBertModel();
const folders: string[] = [];

async function folderWith(files: ModelFiles): Promise<string> {
  const folder = await writeModelFolder(files);
  folders.push(folder);
  return folder;
}

afterAll(async () => {
  const { rm } = await import("node:fs/promises");
  await Promise.all(
    folders.map((folder) => rm(folder, { recursive: true, force: true })),
  );
});

function unit(vector: Float32Array): Float32Array {
  let squares = 0;
  vector.forEach((value) => (squares += value * value));
  return vector.map((value) => value / Math.sqrt(squares));
}

function expectClose(
  actual: Float32Array | undefined,
  expected: Float32Array,
): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((value, index) => {
    expect(actual?.[index]).toBeCloseTo(value, 5);
  });
}

/** Token ids of a text with the tiny BERT tokenizer, specials included. */
function idsOf(text: string, json = tinyTokenizerJson()): number[] {
  return [...createTextTokenizer(json).encode(text).ids];
}

describe("loadOnnxEncoder", () => {
  it("mean-pools the token vectors of each text", async () => {
    const encoder = await loadOnnxEncoder(await folderWith(tinyModelFiles()));
    const texts = ["The cat sat on the mat.", "Who is the captain?", ""];
    const vectors = await encoder.encode(texts);

    expect(vectors).toHaveLength(3);
    texts.forEach((text, index) => {
      expectClose(vectors[index], unit(tinyMeanVector(model, idsOf(text))));
    });
  });

  it("reports the dimension and an id naming the model", async () => {
    const encoder = await loadOnnxEncoder(await folderWith(tinyModelFiles()));

    expect(encoder.dimension).toBe(8);
    expect(encoder.id).toMatch(
      /^onnx:tiny-bert:sha256=[0-9a-f]{16}:pool=mean:max=16$/,
    );
  });

  it("gives the same vector alone and in a padded batch", async () => {
    const encoder = await loadOnnxEncoder(await folderWith(tinyModelFiles()));
    const [alone] = await encoder.encode(["The dog ran."]);
    const [, batched] = await encoder.encode([
      "The captain of the ship and the whale in the sea.",
      "The dog ran.",
    ]);

    expectClose(batched, alone ?? new Float32Array());
  });

  it("windows a text longer than maxLength", async () => {
    const encoder = await loadOnnxEncoder(await folderWith(tinyModelFiles()));
    // 20 words and 14 content tokens per window of 16.
    const text = Array.from({ length: 20 }, (_, index) =>
      index % 2 === 0 ? "cat" : "dog",
    ).join(" ");
    const content = idsOf(text).slice(1, -1);
    const first = tinyMeanVector(model, [2, ...content.slice(0, 14), 3]);
    const second = tinyMeanVector(model, [2, ...content.slice(14), 3]);
    const expected = unit(
      unit(first).map(
        (value, index) => 14 * value + 6 * (unit(second)[index] as number),
      ),
    );
    const [vector] = await encoder.encode([text]);

    expect(content).toHaveLength(20);
    expectClose(vector, expected);
  });

  it("uses the special tokens of the model's own tokenizer", async () => {
    const json = tinyTokenizerJson(ROBERTA_SPECIALS);
    const folder = await folderWith({
      ...tinyModelFiles(),
      "tokenizer.json": JSON.stringify(json),
    });
    const encoder = await loadOnnxEncoder(folder);
    const ids = idsOf("The whale.", json);
    const [vector] = await encoder.encode(["The whale."]);

    expect(json.added_tokens).toContainEqual(
      expect.objectContaining({ content: "<s>", id: 2 }),
    );
    expect(ids[0]).toBe(2);
    expectClose(vector, unit(tinyMeanVector(model, ids)));
  });

  it("reads the graph's own sentence output", async () => {
    const pooled = tinyBertModel({ output: "sentence_embedding" });
    const folder = await folderWith(
      tinyModelFiles(pooled, { pooling: "output", maxLength: 16 }),
    );
    const encoder = await loadOnnxEncoder(folder);
    const [vector] = await encoder.encode(["The ship in the park."]);

    expectClose(
      vector,
      unit(tinyMeanVector(pooled, idsOf("The ship in the park."))),
    );
  });

  it("takes the first token with CLS pooling", async () => {
    const folder = await folderWith(
      tinyModelFiles(model, { pooling: "cls", normalize: false }),
    );
    const encoder = await loadOnnxEncoder(folder);
    const [vector] = await encoder.encode(["The sea."]);

    expectClose(vector, tinyMeanVector(model, [2]));
  });

  it("feeds models without token_type_ids", async () => {
    const plain = tinyBertModel({ tokenTypes: false });
    const encoder = await loadOnnxEncoder(
      await folderWith(tinyModelFiles(plain)),
    );
    const [vector] = await encoder.encode(["The mat."]);
    const ids = idsOf("The mat.");
    const expected = new Float32Array(plain.hidden);
    for (const id of ids) {
      for (let index = 0; index < plain.hidden; index++) {
        expected[index] =
          (expected[index] as number) +
          Math.tanh(plain.words[id * plain.hidden + index] as number);
      }
    }

    expectClose(vector, unit(expected));
  });

  it("puts the query prefix before queries only", async () => {
    const folder = await folderWith(
      tinyModelFiles(model, {
        pooling: "mean",
        maxLength: 16,
        prefix: "sea ",
        queryPrefix: "who ",
      }),
    );
    const encoder = await loadOnnxEncoder(folder);
    const [document] = await encoder.encode(["The cat."]);
    const [query] = await encoder.encode(["The cat."], { purpose: "query" });

    expectClose(document, unit(tinyMeanVector(model, idsOf("sea The cat."))));
    expectClose(query, unit(tinyMeanVector(model, idsOf("who The cat."))));
  });

  it("stops a call that waits behind another when its signal fires", async () => {
    const encoder = await loadOnnxEncoder(await folderWith(tinyModelFiles()), {
      batchSize: 1,
    });
    const long = Array.from({ length: 3000 }, () => "the cat sat.");
    const controller = new AbortController();
    let firstDone = false;
    const first = encoder.encode(long).then(() => {
      firstDone = true;
    });
    const second = encoder.encode(["the dog"], { signal: controller.signal });
    controller.abort();
    const error = await catchCoreEngineError(() => second);

    expect(error.code).toBe(CoreEngineErrorCode.ABORTED);
    expect(firstDone).toBe(false);
    await first;
  });

  it("puts the prefix before every window", async () => {
    const folder = await folderWith(
      tinyModelFiles(model, { pooling: "mean", maxLength: 8, prefix: "sea " }),
    );
    const encoder = await loadOnnxEncoder(folder);
    // 8 tokens per window: [CLS], "sea", 5 words and [SEP].
    const words = "cat dog cat dog cat dog cat";
    const content = idsOf(words).slice(1, -1);
    const sea = idsOf("sea").slice(1, -1);
    const first = unit(
      tinyMeanVector(model, [2, ...sea, ...content.slice(0, 5), 3]),
    );
    const second = unit(
      tinyMeanVector(model, [2, ...sea, ...content.slice(5), 3]),
    );
    const expected = unit(
      first.map((value, index) => 5 * value + 2 * (second[index] as number)),
    );
    const [vector] = await encoder.encode([words]);

    expectClose(vector, expected);
  });

  it("takes maxLength from tokenizer_config.json", async () => {
    const folder = await folderWith({
      ...tinyModelFiles(model, { pooling: "mean" }),
      "tokenizer_config.json": JSON.stringify({ model_max_length: 12 }),
    });
    const encoder = await loadOnnxEncoder(folder);

    expect(encoder.config.maxLength).toBe(12);
  });

  it("rejects texts that are not an array of strings", async () => {
    const encoder = await loadOnnxEncoder(await folderWith(tinyModelFiles()));
    const error = await catchCoreEngineError(() =>
      encoder.encode([42] as unknown as string[]),
    );

    expect(error.code).toBe(CoreEngineErrorCode.INVALID_INPUT);
  });

  it("reads a sentence-transformers export", async () => {
    const folder = await folderWith({
      "onnx/model.onnx": model.bytes,
      "tokenizer.json": JSON.stringify(tinyTokenizerJson()),
      "1_Pooling/config.json": JSON.stringify({
        word_embedding_dimension: 8,
        pooling_mode_cls_token: false,
        pooling_mode_mean_tokens: true,
      }),
      "sentence_bert_config.json": JSON.stringify({ max_seq_length: 12 }),
      "modules.json": JSON.stringify([
        { idx: 0, type: "sentence_transformers.models.Transformer" },
        { idx: 1, type: "sentence_transformers.models.Pooling" },
        { idx: 2, type: "sentence_transformers.models.Normalize" },
      ]),
    });
    const encoder = await loadOnnxEncoder(folder);

    expect(encoder.config).toMatchObject({
      pooling: "mean",
      normalize: true,
      maxLength: 12,
    });
  });

  it("works as the engine's encoder", async () => {
    const encoder = await loadOnnxEncoder(await folderWith(tinyModelFiles()));
    const text = TOPIC_PARAGRAPHS.join("\n\n");
    const result = await compress(text, { ratio: 2, encoder });

    expect(findProvenanceProblems(result, [{ id: "0", text }])).toEqual([]);
    expect(result.encoder).toEqual({
      id: encoder.id,
      name: "tiny-bert",
      version: undefined,
      dimension: 8,
    });
    expect(result.megaTokens?.encoder.id).toBe(encoder.id);

    const set = result.megaTokens;
    if (set === undefined) {
      throw new Error("compress built no mega-tokens");
    }
    const routed = await route(set, "Who is the captain?", {
      encoder,
      level: "unit",
      k: 2,
    });

    expect(routed.top).toHaveLength(2);
    expect(routed.top.map((entry) => expand(entry.token))).not.toContain("");
  });
});

describe("loadOnnxEncoder errors", () => {
  async function codeAndMessage(files: ModelFiles | string) {
    const folder = typeof files === "string" ? files : await folderWith(files);
    const error = await catchCoreEngineError(() => loadOnnxEncoder(folder));
    return { code: error.code, message: error.message, folder };
  }

  it("names a missing folder", async () => {
    const { code, message } = await codeAndMessage("/nonexistent/rf-model");

    expect(code).toBe(CoreEngineErrorCode.INVALID_MODEL);
    expect(message).toContain("/nonexistent/rf-model was not found");
  });

  it("names a missing model.onnx", async () => {
    const files = { ...tinyModelFiles() };
    delete files["model.onnx"];
    const { code, message } = await codeAndMessage(files);

    expect(code).toBe(CoreEngineErrorCode.INVALID_MODEL);
    expect(message).toMatch(/has no model\.onnx/);
  });

  it("names a missing tokenizer.json", async () => {
    const files = { ...tinyModelFiles() };
    delete files["tokenizer.json"];
    const { message } = await codeAndMessage(files);

    expect(message).toMatch(/has no tokenizer\.json/);
  });

  it("names a tokenizer.json that is not JSON", async () => {
    const { message, folder } = await codeAndMessage({
      ...tinyModelFiles(),
      "tokenizer.json": "{ not json",
    });

    expect(message).toContain(`${folder}/tokenizer.json is not valid JSON`);
  });

  it("names a tokenizer.json of another format", async () => {
    const { message } = await codeAndMessage({
      ...tinyModelFiles(),
      "tokenizer.json": JSON.stringify({ vocab: ["a"] }),
    });

    expect(message).toMatch(/tokenizer\.json has no "model" object/);
  });

  it("names a truncated model file", async () => {
    const { code, message } = await codeAndMessage({
      ...tinyModelFiles(),
      "model.onnx": model.bytes.slice(0, 100),
    });

    expect(code).toBe(CoreEngineErrorCode.INVALID_MODEL);
    expect(message).toMatch(/model\.onnx could not be loaded by ONNX Runtime/);
  });

  it("names an invalid encoder.json field", async () => {
    const { message } = await codeAndMessage(
      tinyModelFiles(model, { pooling: "max", maxLength: 2 }),
    );

    expect(message).toMatch(/encoder\.json is not a valid encoder config/);
    expect(message).toContain('pooling (received "max")');
    expect(message).toContain("maxLength (received 2)");
  });

  it("asks for a config when the folder has none", async () => {
    const files = { ...tinyModelFiles() };
    delete files["encoder.json"];
    const { message } = await codeAndMessage(files);

    expect(message).toMatch(/has neither encoder\.json nor/);
  });

  it("rejects output pooling on a token output", async () => {
    const { message } = await codeAndMessage(
      tinyModelFiles(model, { pooling: "output", maxLength: 16 }),
    );

    expect(message).toMatch(/no "sentence_embedding"/);
  });

  it("rejects a token output read as a sentence output", async () => {
    const { message } = await codeAndMessage(
      tinyModelFiles(model, {
        pooling: "output",
        output: "last_hidden_state",
        maxLength: 16,
      }),
    );

    expect(message).toMatch(/shape \[2, 16, 8\]/);
    expect(message).toContain("[batch, dimension]");
  });

  it("rejects a model that returns numbers that are not finite", async () => {
    const rows = 31;
    const broken = encodeModel({
      name: "log-of-negative",
      inputs: [
        { name: "input_ids", type: "int64", shape: ["batch", "tokens"] },
        { name: "attention_mask", type: "int64", shape: ["batch", "tokens"] },
      ],
      outputs: [
        {
          name: "last_hidden_state",
          type: "float32",
          shape: ["batch", "tokens", 2],
        },
      ],
      initializers: [
        {
          name: "table",
          type: "float32",
          dims: [rows, 2],
          data: new Float32Array(rows * 2).fill(-1),
        },
      ],
      nodes: [
        { op: "Gather", inputs: ["table", "input_ids"], outputs: ["rows"] },
        { op: "Log", inputs: ["rows"], outputs: ["last_hidden_state"] },
      ],
    });
    const { code, message } = await codeAndMessage(
      tinyModelFiles({ ...model, bytes: broken }),
    );

    expect(code).toBe(CoreEngineErrorCode.INVALID_MODEL);
    expect(message).toMatch(/not a finite number \(NaN\)/);
  });

  it("names an unknown encoder.json field", async () => {
    const { message } = await codeAndMessage(
      tinyModelFiles(model, { pooling: "mean", maxlength: 16 }),
    );

    expect(message).toContain('unknown field "maxlength"');
  });

  it("names an encoder.json that is a folder", async () => {
    const files = { ...tinyModelFiles() };
    delete files["encoder.json"];
    const { message, folder } = await codeAndMessage({
      ...files,
      "encoder.json/placeholder": "",
    });

    expect(message).toContain(`${folder}/encoder.json is a folder`);
  });

  it("rejects sentence-transformers modules it cannot run", async () => {
    const files = { ...tinyModelFiles() };
    delete files["encoder.json"];
    const { message } = await codeAndMessage({
      ...files,
      "1_Pooling/config.json": JSON.stringify({
        pooling_mode_mean_tokens: true,
      }),
      "modules.json": JSON.stringify([
        { type: "sentence_transformers.models.Transformer" },
        { type: "sentence_transformers.models.Pooling" },
        { type: "sentence_transformers.models.Dense" },
      ]),
    });

    expect(message).toMatch(/modules\.json lists .*Dense/);
  });

  it("rejects two pooling modes at once", async () => {
    const files = { ...tinyModelFiles() };
    delete files["encoder.json"];
    const { message } = await codeAndMessage({
      ...files,
      "1_Pooling/config.json": JSON.stringify({
        pooling_mode_mean_tokens: true,
        pooling_mode_cls_token: true,
      }),
    });

    expect(message).toMatch(/supports exactly one of mean or CLS/);
  });

  it("rejects a thread count above the limit", async () => {
    const folder = await folderWith(tinyModelFiles());
    const error = await catchCoreEngineError(() =>
      loadOnnxEncoder(folder, { threads: 4096 }),
    );

    expect(error.code).toBe(CoreEngineErrorCode.INVALID_OPTIONS);
    expect(error.message).toContain("from 1 to 256");
  });

  it("rejects an invalid thread count", async () => {
    const folder = await folderWith(tinyModelFiles());
    const error = await catchCoreEngineError(() =>
      loadOnnxEncoder(folder, { threads: 0 }),
    );

    expect(error.code).toBe(CoreEngineErrorCode.INVALID_OPTIONS);
    expect(error.message).toContain("threads must be a whole number");
  });
});

describe("OnnxEncoder.create", () => {
  it("names a runtime that is not an ONNX Runtime module", async () => {
    for (const runtime of [{}, undefined, { InferenceSession: {} }]) {
      const error = await catchCoreEngineError(() =>
        OnnxEncoder.create({
          runtime: runtime as never,
          model: tinyBertModel().bytes,
          tokenizer: tinyTokenizerJson(),
          config: parseOnnxEncoderConfig(
            { pooling: "mean" },
            "encoder.json",
            "tiny",
          ),
          sources: {
            model: "model.onnx",
            tokenizer: "tokenizer.json",
            config: "encoder.json",
          },
        }),
      );

      expect(error.code).toBe(CoreEngineErrorCode.INVALID_OPTIONS);
      expect(error.message).toContain(
        "runtime must be the onnxruntime-node or onnxruntime-web module",
      );
    }
  });
});
