import { readFile, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";

import { parseOnnxEncoderConfig } from "../encoder/onnx-config.js";
import type {
  OnnxEncoderConfig,
  OnnxEncoderConfigInput,
} from "../encoder/onnx-config.js";
import { OnnxEncoder } from "../encoder/onnx-encoder.js";
import type { OnnxRuntime } from "../encoder/onnx-encoder.js";
import { CoreEngineError, CoreEngineErrorCode } from "../errors.js";

/** Options of {@link loadOnnxEncoder}. */
export interface LoadOnnxEncoderOptions {
  /** Threads ONNX Runtime may use inside one operator. @default 1 */
  readonly threads?: number;
  /** Texts or windows per model call. @default 32 */
  readonly batchSize?: number;
}

/** The config file this package reads first in a model folder. */
export const ENCODER_CONFIG_FILE = "encoder.json";

function invalidModel(message: string, cause?: unknown): CoreEngineError {
  return new CoreEngineError(
    CoreEngineErrorCode.INVALID_MODEL,
    message,
    cause === undefined ? {} : { cause },
  );
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function readJson(path: string): Promise<unknown> {
  const text = await readFile(path, "utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw invalidModel(
      `${path} is not valid JSON (${error instanceof Error ? error.message : String(error)}); restore the file saved with the model.`,
      error,
    );
  }
}

async function readOptionalJson(path: string): Promise<unknown> {
  return (await isFile(path)) ? readJson(path) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Derives an encoder config from the files sentence-transformers saves:
 * `1_Pooling/config.json` for the pooling mode, `sentence_bert_config.json`
 * for the maximum length and `modules.json` for normalization.
 */
async function sentenceTransformersConfig(
  directory: string,
): Promise<OnnxEncoderConfigInput | undefined> {
  const poolingPath = join(directory, "1_Pooling", "config.json");
  const pooling = await readOptionalJson(poolingPath);
  if (pooling === undefined) {
    return undefined;
  }
  if (!isRecord(pooling)) {
    throw invalidModel(`${poolingPath} must hold a JSON object.`);
  }
  let mode: "mean" | "cls";
  if (pooling.pooling_mode_mean_tokens === true) {
    mode = "mean";
  } else if (pooling.pooling_mode_cls_token === true) {
    mode = "cls";
  } else {
    throw invalidModel(
      `${poolingPath} selects a pooling mode other than mean or CLS tokens; add ${ENCODER_CONFIG_FILE} with "pooling": "mean", "cls" or "output".`,
    );
  }
  const bert = await readOptionalJson(
    join(directory, "sentence_bert_config.json"),
  );
  const modules = await readOptionalJson(join(directory, "modules.json"));
  const normalize =
    Array.isArray(modules) &&
    modules.some(
      (module) =>
        isRecord(module) &&
        typeof module.type === "string" &&
        module.type.endsWith("Normalize"),
    );
  const maxLength =
    isRecord(bert) && typeof bert.max_seq_length === "number"
      ? bert.max_seq_length
      : undefined;
  return {
    pooling: mode,
    normalize,
    ...(maxLength === undefined ? {} : { maxLength }),
  };
}

async function findModelFile(directory: string): Promise<string> {
  const candidates = [
    join(directory, "model.onnx"),
    join(directory, "onnx", "model.onnx"),
  ];
  for (const candidate of candidates) {
    if (await isFile(candidate)) {
      return candidate;
    }
  }
  throw invalidModel(
    `The model folder ${directory} has no model.onnx (looked for ${candidates.join(" and ")}); export the model to ONNX into that folder.`,
  );
}

async function readConfig(directory: string): Promise<{
  config: OnnxEncoderConfig;
  source: string;
}> {
  const ownPath = join(directory, ENCODER_CONFIG_FILE);
  const own = await readOptionalJson(ownPath);
  const name = basename(directory);
  if (own !== undefined) {
    return {
      config: parseOnnxEncoderConfig(own, ownPath, name),
      source: ownPath,
    };
  }
  const derived = await sentenceTransformersConfig(directory);
  if (derived === undefined) {
    throw invalidModel(
      `The model folder ${directory} has neither ${ENCODER_CONFIG_FILE} nor a sentence-transformers 1_Pooling/config.json; add ${ENCODER_CONFIG_FILE} such as { "pooling": "mean", "normalize": true, "maxLength": 512 }.`,
    );
  }
  const source = join(directory, "1_Pooling", "config.json");
  return { config: parseOnnxEncoderConfig(derived, source, name), source };
}

async function loadRuntime(): Promise<OnnxRuntime> {
  try {
    return await import("onnxruntime-node");
  } catch (error) {
    throw invalidModel(
      `onnxruntime-node could not be loaded (${error instanceof Error ? error.message : String(error)}); reinstall the dependencies of @retrieval-free/core-engine.`,
      error,
    );
  }
}

/**
 * Loads a sentence encoder from a model folder: `model.onnx` (or
 * `onnx/model.onnx`), `tokenizer.json`, optional `tokenizer_config.json`,
 * and `encoder.json` or the pooling files of a sentence-transformers
 * export. Runs on ONNX Runtime's CPU backend; nothing is downloaded.
 * @throws {CoreEngineError} `INVALID_MODEL` naming the missing or faulty file.
 */
export async function loadOnnxEncoder(
  directory: string,
  options: LoadOnnxEncoderOptions = {},
): Promise<OnnxEncoder> {
  const folder = resolve(directory);
  let folderStats;
  try {
    folderStats = await stat(folder);
  } catch (error) {
    throw invalidModel(
      `The model folder ${folder} was not found; pass the folder that contains model.onnx and tokenizer.json.`,
      error,
    );
  }
  if (!folderStats.isDirectory()) {
    throw invalidModel(
      `${folder} is a file, not a model folder; pass the folder that contains model.onnx and tokenizer.json.`,
    );
  }
  const modelPath = await findModelFile(folder);
  const tokenizerPath = join(folder, "tokenizer.json");
  if (!(await isFile(tokenizerPath))) {
    throw invalidModel(
      `The model folder ${folder} has no tokenizer.json; save the model's tokenizer there in the Hugging Face tokenizers format.`,
    );
  }
  const { config, source } = await readConfig(folder);
  const [model, tokenizer, tokenizerConfig, runtime] = await Promise.all([
    readFile(modelPath),
    readJson(tokenizerPath),
    readOptionalJson(join(folder, "tokenizer_config.json")),
    loadRuntime(),
  ]);
  return OnnxEncoder.create({
    runtime,
    model: new Uint8Array(model.buffer, model.byteOffset, model.byteLength),
    tokenizer,
    tokenizerConfig,
    config,
    sources: { model: modelPath, tokenizer: tokenizerPath, config: source },
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    ...(options.batchSize === undefined
      ? {}
      : { batchSize: options.batchSize }),
  });
}
