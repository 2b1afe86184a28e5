import { lstat, readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";

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

/**
 * Reads one file of a model folder. The built-in model's loader passes a
 * reader that checks the bytes against the manifest, so the bytes checked
 * are the bytes loaded.
 */
export type ModelFileReader = (path: string) => Promise<Buffer>;

/** The config file this package reads first in a model folder. */
export const ENCODER_CONFIG_FILE = "encoder.json";

function invalidModel(message: string, cause?: unknown): CoreEngineError {
  return new CoreEngineError(
    CoreEngineErrorCode.INVALID_MODEL,
    message,
    cause === undefined ? {} : { cause },
  );
}

/**
 * Tells whether `path` names a regular file (following links), false
 * when nothing is there.
 * @throws {CoreEngineError} `INVALID_MODEL` when something else is there:
 * a folder, a broken link or a device.
 */
async function isFile(path: string): Promise<boolean> {
  let stats;
  try {
    stats = await stat(path);
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") {
      const linked = await lstat(path).catch(() => undefined);
      if (linked?.isSymbolicLink() === true) {
        throw invalidModel(
          `${path} is a broken symbolic link; point it at the file or replace it with the file.`,
        );
      }
      return false;
    }
    throw invalidModel(
      `${path} could not be read (${error instanceof Error ? error.message : String(error)}); check its permissions.`,
      error,
    );
  }
  if (!stats.isFile()) {
    throw invalidModel(
      `${path} is ${stats.isDirectory() ? "a folder" : "not a regular file"}; the model folder needs a file there.`,
    );
  }
  return true;
}

async function readBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw invalidModel(
      `${path} could not be read (${error instanceof Error ? error.message : String(error)}); check its permissions.`,
      error,
    );
  }
}

async function readJson(
  path: string,
  read: ModelFileReader = readBytes,
): Promise<unknown> {
  // A byte order mark is not JSON, but editors on Windows write one.
  const text = (await read(path)).toString("utf8").replace(/^\uFEFF/u, "");
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw invalidModel(
      `${path} is not valid JSON (${error instanceof Error ? error.message : String(error)}); restore the file saved with the model.`,
      error,
    );
  }
}

async function readOptionalJson(
  path: string,
  read: ModelFileReader = readBytes,
): Promise<unknown> {
  return (await isFile(path)) ? readJson(path, read) : undefined;
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
  read: ModelFileReader,
): Promise<OnnxEncoderConfigInput | undefined> {
  const poolingPath = join(directory, "1_Pooling", "config.json");
  const pooling = await readOptionalJson(poolingPath, read);
  if (pooling === undefined) {
    return undefined;
  }
  if (!isRecord(pooling)) {
    throw invalidModel(`${poolingPath} must hold a JSON object.`);
  }
  const modes = Object.entries(pooling)
    .filter(([key, value]) => key.startsWith("pooling_mode_") && value === true)
    .map(([key]) => key);
  let mode: "mean" | "cls";
  if (modes.length === 1 && modes[0] === "pooling_mode_mean_tokens") {
    mode = "mean";
  } else if (modes.length === 1 && modes[0] === "pooling_mode_cls_token") {
    mode = "cls";
  } else {
    throw invalidModel(
      `${poolingPath} selects ${modes.length === 0 ? "no pooling mode" : modes.join(" and ")}; the encoder supports exactly one of mean or CLS token pooling. Add ${ENCODER_CONFIG_FILE} with "pooling": "mean", "cls" or "output".`,
    );
  }
  const bertPath = join(directory, "sentence_bert_config.json");
  const bert = await readOptionalJson(bertPath, read);
  const modulesPath = join(directory, "modules.json");
  const modules = await readOptionalJson(modulesPath, read);
  const types = Array.isArray(modules)
    ? modules.map((module) =>
        isRecord(module) && typeof module.type === "string" ? module.type : "",
      )
    : [];
  const unsupported = types.filter(
    (type) =>
      !["Transformer", "Pooling", "Normalize"].some((known) =>
        type.endsWith(known),
      ),
  );
  if (unsupported.length > 0) {
    throw invalidModel(
      `${modulesPath} lists ${unsupported.join(", ")}, which the encoder cannot run after the model; export the whole pipeline into model.onnx and describe it in ${ENCODER_CONFIG_FILE}.`,
    );
  }
  const normalize = types.some((type) => type.endsWith("Normalize"));
  const length: unknown = isRecord(bert) ? bert.max_seq_length : undefined;
  const maxLength =
    typeof length === "number" &&
    Number.isInteger(length) &&
    length >= 3 &&
    length <= 65_536
      ? length
      : undefined;
  if (length !== undefined && maxLength === undefined) {
    throw invalidModel(
      `${bertPath} sets max_seq_length to ${JSON.stringify(length)}; use a whole number from 3 to 65536.`,
    );
  }
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

/**
 * Returns the tokenizer's own length limit from tokenizer_config.json, or
 * undefined when it sets none or a placeholder.
 */
function tokenizerMaxLength(tokenizerConfig: unknown): number | undefined {
  const value = isRecord(tokenizerConfig)
    ? tokenizerConfig.model_max_length
    : undefined;
  // Tokenizers without a limit store a huge placeholder such as 1e30.
  return typeof value === "number" &&
    Number.isInteger(value) &&
    value >= 3 &&
    value <= 65_536
    ? value
    : undefined;
}

async function readConfig(
  directory: string,
  read: ModelFileReader,
): Promise<{
  config: OnnxEncoderConfig;
  source: string;
  /** Whether the config file set maxLength itself. */
  explicitLength: boolean;
}> {
  const ownPath = join(directory, ENCODER_CONFIG_FILE);
  const own = await readOptionalJson(ownPath, read);
  const name = "unnamed";
  if (own !== undefined) {
    return {
      config: parseOnnxEncoderConfig(own, ownPath, name),
      source: ownPath,
      explicitLength: isRecord(own) && own.maxLength !== undefined,
    };
  }
  const derived = await sentenceTransformersConfig(directory, read);
  if (derived === undefined) {
    throw invalidModel(
      `The model folder ${directory} has neither ${ENCODER_CONFIG_FILE} nor a sentence-transformers 1_Pooling/config.json; add ${ENCODER_CONFIG_FILE} such as { "pooling": "mean", "normalize": true, "maxLength": 512 }.`,
    );
  }
  const source = join(directory, "1_Pooling", "config.json");
  return {
    config: parseOnnxEncoderConfig(derived, source, name),
    source,
    explicitLength: derived.maxLength !== undefined,
  };
}

async function loadRuntime(): Promise<OnnxRuntime> {
  try {
    return await import("onnxruntime-node");
  } catch (error) {
    throw new CoreEngineError(
      CoreEngineErrorCode.RUNTIME_UNAVAILABLE,
      `onnxruntime-node could not be loaded (${error instanceof Error ? error.message : String(error)}); reinstall the dependencies of @retrieval-free/core-engine, or pass encoder: "hashing" on a platform that ONNX Runtime does not support.`,
      { cause: error },
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
  return loadOnnxEncoderWith(directory, options, readBytes);
}

/**
 * {@link loadOnnxEncoder} with every file read through `read`.
 * @internal
 */
export async function loadOnnxEncoderWith(
  directory: string,
  options: LoadOnnxEncoderOptions,
  read: ModelFileReader,
): Promise<OnnxEncoder> {
  // JavaScript callers are not held to the types, so the values are checked.
  const givenFolder: unknown = directory;
  const givenOptions: unknown = options;
  if (typeof givenFolder !== "string" || givenFolder === "") {
    throw new CoreEngineError(
      CoreEngineErrorCode.INVALID_OPTIONS,
      `loadOnnxEncoder needs the path of a model folder (received ${typeof givenFolder === "string" ? "an empty string" : typeof givenFolder}).`,
    );
  }
  if (typeof givenOptions !== "object" || givenOptions === null) {
    throw new CoreEngineError(
      CoreEngineErrorCode.INVALID_OPTIONS,
      `loadOnnxEncoder options must be an object such as { threads: 2 } (received ${givenOptions === null ? "null" : typeof givenOptions}).`,
    );
  }
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
  const {
    config: parsed,
    source,
    explicitLength,
  } = await readConfig(folder, read);
  const [model, tokenizer, tokenizerConfig, runtime] = await Promise.all([
    read(modelPath),
    readJson(tokenizerPath, read),
    readOptionalJson(join(folder, "tokenizer_config.json"), read),
    loadRuntime(),
  ]);
  // Without a maxLength of its own, the config takes the tokenizer's limit.
  const limit = tokenizerMaxLength(tokenizerConfig);
  const config =
    !explicitLength && limit !== undefined
      ? { ...parsed, maxLength: Math.min(parsed.maxLength, limit) }
      : parsed;
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
