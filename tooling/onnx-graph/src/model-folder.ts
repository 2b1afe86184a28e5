import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { Initializer } from "./index.js";

/**
 * Returns an initializer whose element type follows its data: float32
 * for a Float32Array, int64 for a BigInt64Array.
 */
export function initializer(
  name: string,
  dims: readonly number[],
  data: Float32Array | BigInt64Array,
): Initializer {
  return {
    name,
    type: data instanceof Float32Array ? "float32" : "int64",
    dims,
    data,
  };
}

/** Files of a model folder as a Hugging Face ONNX export lays them out. */
export interface ModelFolderFiles {
  /** Written as model.onnx. */
  readonly model: Uint8Array;
  /** Written as tokenizer.json. */
  readonly tokenizer: unknown;
  /** Written as config.json. */
  readonly config: unknown;
}

/**
 * Writes model.onnx, tokenizer.json and config.json into a new temporary
 * folder whose name starts with `prefix`, and returns the folder.
 * {@link removeModelFolder} removes it.
 */
export async function writeModelFolder(
  prefix: string,
  files: ModelFolderFiles,
): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), prefix));
  await writeFile(join(folder, "model.onnx"), files.model);
  await writeFile(
    join(folder, "tokenizer.json"),
    JSON.stringify(files.tokenizer),
  );
  await writeFile(join(folder, "config.json"), JSON.stringify(files.config));
  return folder;
}

/** Removes a folder written by {@link writeModelFolder}. */
export async function removeModelFolder(folder: string): Promise<void> {
  await rm(folder, { recursive: true, force: true });
}
