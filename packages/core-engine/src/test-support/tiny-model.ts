import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { tinyBertModel, tinyTokenizerJson } from "@retrieval-free/onnx-graph";
import type { TinyModel } from "@retrieval-free/onnx-graph";

/** Files to write into a model folder, by relative path. */
export type ModelFiles = Readonly<Record<string, string | Uint8Array>>;

/** Writes files into a new temporary folder and returns its path. */
export async function writeModelFolder(files: ModelFiles): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "rf-model-"));
  for (const [path, content] of Object.entries(files)) {
    const target = join(folder, path);
    await mkdir(join(target, ".."), { recursive: true });
    await writeFile(target, content);
  }
  return folder;
}

/** Returns the files of a complete tiny model folder with mean pooling. */
export function tinyModelFiles(
  model: TinyModel = tinyBertModel(),
  config: Record<string, unknown> = {
    name: "tiny-bert",
    pooling: "mean",
    normalize: true,
    maxLength: 16,
  },
): Record<string, string | Uint8Array> {
  return {
    "model.onnx": model.bytes,
    "tokenizer.json": JSON.stringify(tinyTokenizerJson()),
    "encoder.json": JSON.stringify(config),
  };
}
