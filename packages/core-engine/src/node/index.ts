import { readFile, writeFile } from "node:fs/promises";
import { extname } from "node:path";

import { CoreEngineError, CoreEngineErrorCode } from "../errors.js";
import {
  deserializeMegaTokens,
  serializeMegaTokens,
} from "../mega-tokens/serialize.js";
import type { MegaTokenSet } from "../mega-tokens/types.js";
import type { DocumentFormat, InputDocument } from "../types.js";

export { ENCODER_CONFIG_FILE, loadOnnxEncoder } from "./onnx-model.js";
export { loadDefaultEncoder, loadDefaultWordInformation } from "./defaults.js";
export {
  BUILT_IN_MODEL_FOLDER,
  loadBuiltInEncoder,
  loadWordInformation,
  WORD_INFORMATION_FILE,
  verifyModelFolder,
} from "./built-in-model.js";
export type { ModelManifest } from "./built-in-model.js";
export type { LoadOnnxEncoderOptions } from "./onnx-model.js";

const MARKDOWN_EXTENSIONS = new Set([".md", ".markdown", ".mdown", ".mkd"]);

/**
 * Reads a UTF-8 file as an input document whose id is the path. Files
 * ending in `.md` or `.markdown` are Markdown; other formats are detected
 * from the text. Invalid UTF-8 sequences become U+FFFD.
 */
export async function readDocumentFile(
  path: string,
  format?: DocumentFormat,
): Promise<InputDocument> {
  const text = await readFile(path, "utf8");
  const resolved =
    format ??
    (MARKDOWN_EXTENSIONS.has(extname(path).toLowerCase())
      ? "markdown"
      : undefined);
  return resolved === undefined
    ? { id: path, text }
    : { id: path, text, format: resolved };
}

/** Writes a mega-token set to a file in the binary format of `serializeMegaTokens`. */
export async function writeMegaTokensFile(
  path: string,
  set: MegaTokenSet,
): Promise<void> {
  await writeFile(path, serializeMegaTokens(set));
}

/** Reads a mega-token set written by {@link writeMegaTokensFile}. */
export async function readMegaTokensFile(path: string): Promise<MegaTokenSet> {
  const bytes = await readFile(path);
  try {
    return deserializeMegaTokens(
      new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    );
  } catch (error) {
    if (
      error instanceof CoreEngineError &&
      error.code === CoreEngineErrorCode.INVALID_MEGA_TOKENS
    ) {
      throw new CoreEngineError(error.code, `${path}: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
}
