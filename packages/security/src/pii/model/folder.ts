import { readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";

import {
  isRecord,
  modelFolderError,
  reasonOf,
  TOKEN_CLASSIFICATION,
} from "./model-error.js";
import type { ModelTask } from "./model-error.js";

/** The files of a classification model folder, read and checked. */
export interface ModelFolder {
  /** Bytes of the ONNX model. */
  readonly model: Uint8Array;
  /** Parsed tokenizer.json. */
  readonly tokenizer: unknown;
  /** Label of each output index, from config.json's `id2label`. */
  readonly labels: readonly string[];
  /**
   * Token limit of the model: tokenizer_config.json's `model_max_length`,
   * else config.json's `max_position_embeddings`, when either is set.
   */
  readonly maxLength: number | undefined;
  /** Paths of the files, named in error messages. */
  readonly sources: {
    readonly model: string;
    readonly tokenizer: string;
    readonly config: string;
  };
}

/**
 * Largest token limit read from a config. Tokenizers without a limit store
 * a huge placeholder such as 1e30, which is ignored.
 */
const MAX_CONFIG_LENGTH = 65_536;

/** Returns what is at `path`: a file, another kind of entry, or nothing. */
async function entryKind(path: string): Promise<"file" | "other" | "none"> {
  try {
    return (await stat(path)).isFile() ? "file" : "other";
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") {
      return "none";
    }
    throw modelFolderError(
      `${path} could not be read (${reasonOf(error)}); check its permissions.`,
      error,
    );
  }
}

async function requireFile(path: string, fix: string): Promise<string> {
  const kind = await entryKind(path);
  if (kind === "none") {
    throw modelFolderError(`${path} was not found; ${fix}`);
  }
  if (kind === "other") {
    throw modelFolderError(`${path} is not a regular file; ${fix}`);
  }
  return path;
}

/**
 * Bytes of files already read and verified, by absolute path. When given,
 * the folder is read from it alone, so what loads is what was hashed.
 */
export type VerifiedBytes = ReadonlyMap<string, Uint8Array>;

async function readBytes(
  path: string,
  verified: VerifiedBytes | undefined,
): Promise<Uint8Array> {
  if (verified !== undefined) {
    const bytes = verified.get(path);
    if (bytes === undefined) {
      throw modelFolderError(
        `${path} is not listed in the model's manifest.json, so it was not verified; add it with createModelManifest.`,
      );
    }
    return bytes;
  }
  try {
    const bytes = await readFile(path);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (error) {
    throw modelFolderError(
      `${path} could not be read (${reasonOf(error)}); check its permissions.`,
      error,
    );
  }
}

async function readJson(
  path: string,
  verified: VerifiedBytes | undefined,
): Promise<unknown> {
  // A byte order mark is not JSON, but editors on Windows write one.
  const text = new TextDecoder()
    .decode(await readBytes(path, verified))
    .replace(/^\uFEFF/u, "");
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw modelFolderError(
      `${path} is not valid JSON (${reasonOf(error)}); restore the file saved with the model.`,
      error,
    );
  }
}

/**
 * Reads `id2label`, whose keys must be the output indexes from 0 up and
 * whose values are the labels.
 */
function readLabels(config: unknown, path: string, task: ModelTask): string[] {
  const table = isRecord(config) ? config.id2label : undefined;
  if (!isRecord(table) || Object.keys(table).length === 0) {
    throw modelFolderError(
      `${path} has no "id2label" object; a ${task.task.replace(/ /gu, "-")} config maps each output index to a label such as "${task.exampleLabel}". Use the config.json saved with the model.`,
    );
  }
  const count = Object.keys(table).length;
  const labels: string[] = [];
  for (let index = 0; index < count; index++) {
    const label = table[String(index)];
    if (typeof label !== "string" || label.trim() === "") {
      throw modelFolderError(
        `${path} has no label for index ${index} in "id2label" (found ${label === undefined ? "nothing" : JSON.stringify(label)}); id2label needs a non-empty label for every index from 0 to ${count - 1}.`,
      );
    }
    labels.push(label);
  }
  return labels;
}

function lengthSetting(record: unknown, key: string): number | undefined {
  const value = isRecord(record) ? record[key] : undefined;
  return typeof value === "number" &&
    Number.isInteger(value) &&
    value >= 3 &&
    value <= MAX_CONFIG_LENGTH
    ? value
    : undefined;
}

async function findModelFile(folder: string, task: ModelTask): Promise<string> {
  const candidates = [
    join(folder, "model.onnx"),
    join(folder, "onnx", "model.onnx"),
  ];
  for (const candidate of candidates) {
    if ((await entryKind(candidate)) === "file") {
      return candidate;
    }
  }
  throw modelFolderError(
    `The model folder ${folder} has no model.onnx (looked for ${candidates.join(" and ")}); export the model to ONNX for ${task.task} into that folder.`,
  );
}

async function requireFolder(folder: string): Promise<void> {
  let isFolder: boolean;
  try {
    isFolder = (await stat(folder)).isDirectory();
  } catch (error) {
    throw modelFolderError(
      `The model folder ${folder} was not found (${reasonOf(error)}); pass the folder that contains model.onnx, tokenizer.json and config.json.`,
      error,
    );
  }
  if (!isFolder) {
    throw modelFolderError(
      `${folder} is not a folder; pass the folder that contains model.onnx, tokenizer.json and config.json.`,
    );
  }
}

/**
 * Reads a model folder in the layout of a Hugging Face classification
 * export: `model.onnx` (or `onnx/model.onnx`), `tokenizer.json`,
 * `config.json` with `id2label`, and optionally `tokenizer_config.json`.
 * With `verified`, the bytes come from that map and a file missing from
 * it is refused.
 * @param task Names the export in error messages.
 * @throws {SecurityError} `MODEL_INTEGRITY_FAILED` naming the file that
 * is missing, unreadable or invalid, and the fix.
 */
export async function readModelFolder(
  directory: string,
  verified?: VerifiedBytes,
  task: ModelTask = TOKEN_CLASSIFICATION,
): Promise<ModelFolder> {
  const folder = resolve(directory);
  await requireFolder(folder);
  const modelPath = await findModelFile(folder, task);
  const tokenizerPath = await requireFile(
    join(folder, "tokenizer.json"),
    "save the model's tokenizer there in the Hugging Face tokenizers format (tokenizer.save_pretrained).",
  );
  const configPath = await requireFile(
    join(folder, "config.json"),
    "save the model's config there (model.config.save_pretrained); it lists the labels in id2label.",
  );
  const tokenizerConfigPath = join(folder, "tokenizer_config.json");
  const hasTokenizerConfig = (await entryKind(tokenizerConfigPath)) === "file";
  const [model, tokenizer, config, tokenizerConfig] = await Promise.all([
    readBytes(modelPath, verified),
    readJson(tokenizerPath, verified),
    readJson(configPath, verified),
    hasTokenizerConfig ? readJson(tokenizerConfigPath, verified) : undefined,
  ]);
  if (model.length === 0) {
    throw modelFolderError(
      `${modelPath} is empty; export the model to ONNX again.`,
    );
  }
  return {
    model,
    tokenizer,
    labels: readLabels(config, configPath, task),
    maxLength:
      lengthSetting(tokenizerConfig, "model_max_length") ??
      lengthSetting(config, "max_position_embeddings"),
    sources: { model: modelPath, tokenizer: tokenizerPath, config: configPath },
  };
}
