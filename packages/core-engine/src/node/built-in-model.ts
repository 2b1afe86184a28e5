import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { z } from "zod";

import type { OnnxEncoder } from "../encoder/onnx-encoder.js";
import { CoreEngineError, CoreEngineErrorCode } from "../errors.js";
import { loadOnnxEncoder } from "./onnx-model.js";
import type { LoadOnnxEncoderOptions } from "./onnx-model.js";

/** Folder of the model that ships with this package. */
export const BUILT_IN_MODEL_FOLDER = fileURLToPath(
  new URL("../../model/", import.meta.url),
);

const manifestSchema = z.object({
  name: z.string(),
  version: z.string(),
  license: z.string(),
  dimension: z.int(),
  files: z
    .array(
      z.object({
        path: z.string().regex(/^[\w.-]+$/u),
        bytes: z.int().min(0),
        sha256: z.string().regex(/^[0-9a-f]{64}$/u),
      }),
    )
    .min(1),
  sources: z.array(z.object({ name: z.string(), license: z.string() })),
  command: z.string(),
});

/** The parts of a model's `manifest.json` that loading checks. */
export type ModelManifest = z.infer<typeof manifestSchema>;

function invalidModel(message: string, cause?: unknown): CoreEngineError {
  return new CoreEngineError(
    CoreEngineErrorCode.INVALID_MODEL,
    message,
    cause === undefined ? {} : { cause },
  );
}

/**
 * Reads a model folder's `manifest.json` and checks the size and SHA-256
 * of every file it lists.
 * @throws {CoreEngineError} `INVALID_MODEL` naming the first file that is
 * missing or differs, with the expected and actual checksums.
 */
export async function verifyModelFolder(
  folder: string,
): Promise<ModelManifest> {
  const folderStats = await stat(folder).catch(() => undefined);
  if (folderStats?.isDirectory() !== true) {
    throw invalidModel(
      `The model folder ${folder} was not found; pass the folder that contains manifest.json and the files it lists.`,
    );
  }
  const manifestPath = join(folder, "manifest.json");
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(manifestPath, "utf8"));
  } catch (error) {
    throw invalidModel(
      `${manifestPath} could not be read as JSON (${error instanceof Error ? error.message : String(error)}); reinstall the package or rebuild the model.`,
      error,
    );
  }
  const result = manifestSchema.safeParse(parsed);
  if (!result.success) {
    throw invalidModel(
      `${manifestPath} is not a model manifest (${result.error.issues
        .map((issue) => `${issue.path.join(".")}: ${issue.message}`)
        .join("; ")}); reinstall the package or rebuild the model.`,
    );
  }
  for (const file of result.data.files) {
    const path = join(folder, file.path);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      throw invalidModel(
        `${path}, listed in ${manifestPath}, could not be read; reinstall the package or rebuild the model.`,
        error,
      );
    }
    const actual = createHash("sha256").update(bytes).digest("hex");
    if (actual !== file.sha256 || bytes.length !== file.bytes) {
      throw invalidModel(
        `${path} does not match its manifest: SHA-256 ${actual} (${bytes.length} bytes), expected ${file.sha256} (${file.bytes} bytes). The file was changed or damaged; reinstall the package or rebuild the model with "${result.data.command}".`,
      );
    }
  }
  return result.data;
}

/**
 * Loads the sentence encoder that ships with this package, after checking
 * every file against its manifest. Nothing is downloaded.
 * @throws {CoreEngineError} `INVALID_MODEL` when a file is missing or changed.
 */
export async function loadBuiltInEncoder(
  options: LoadOnnxEncoderOptions = {},
  folder: string = BUILT_IN_MODEL_FOLDER,
): Promise<OnnxEncoder> {
  await verifyModelFolder(folder);
  return loadOnnxEncoder(folder, options);
}
