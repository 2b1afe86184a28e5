import { createHash } from "node:crypto";
import { open, realpath } from "node:fs/promises";
import { join, sep } from "node:path";

import { SecurityError, SecurityErrorCode } from "../errors.js";
import {
  FORMAT_HEAD_BYTES,
  pickleContentReason,
  pickleNameReason,
} from "./formats.js";
import type { ModelManifest, ModelManifestFile } from "./manifest.js";

/** A model file whose size and SHA-256 match its manifest entry. */
export interface VerifiedModelFile {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
  /** The bytes that were hashed, when `keepBytes` was set. */
  readonly data?: Uint8Array;
}

const CHUNK_BYTES = 1 << 20;

function integrityError(message: string, cause?: unknown): SecurityError {
  return new SecurityError(
    SecurityErrorCode.MODEL_INTEGRITY_FAILED,
    message,
    cause === undefined ? {} : { cause },
  );
}

function refuseFormat(path: string, reason: string): SecurityError {
  return new SecurityError(
    SecurityErrorCode.MODEL_FORMAT_REFUSED,
    `The model file ${path} is refused: ${reason}, and loading such a ` +
      "file can run arbitrary code. Convert the model to ONNX or " +
      "safetensors.",
  );
}

/**
 * Resolves a listed path to a real file inside the folder, so that a
 * symbolic link cannot point loading at a file elsewhere.
 */
async function resolveInside(root: string, path: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(join(root, path));
  } catch (error) {
    throw integrityError(
      `The model file ${path}, listed in the manifest, is missing from ${root}. Reinstall or re-download the model.`,
      error,
    );
  }
  if (!real.startsWith(root + sep)) {
    throw integrityError(
      `The model file ${path} resolves to ${real}, outside the model folder ${root}; a manifest may list files inside its folder only.`,
    );
  }
  return real;
}

/** Reads a file in chunks, hashing every byte and keeping them if asked. */
async function hashFile(
  real: string,
  keep: boolean,
): Promise<{
  size: number;
  sha256: string;
  head: Uint8Array;
  data?: Uint8Array;
}> {
  const handle = await open(real, "r");
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw integrityError(`${real} is not a regular file.`);
    }
    const hash = createHash("sha256");
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const chunk = Buffer.alloc(CHUNK_BYTES);
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) {
        break;
      }
      const piece = chunk.subarray(0, bytesRead);
      hash.update(piece);
      size += bytesRead;
      if (keep || chunks.length === 0) {
        chunks.push(piece);
      }
    }
    const head = (chunks[0] ?? Buffer.alloc(0)).subarray(0, FORMAT_HEAD_BYTES);
    const data = keep ? Buffer.concat(chunks) : undefined;
    return { size, sha256: hash.digest("hex"), head, ...(data && { data }) };
  } finally {
    await handle.close();
  }
}

async function checkFile(
  root: string,
  file: ModelManifestFile,
  keep: boolean,
): Promise<VerifiedModelFile> {
  const real = await resolveInside(root, file.path);
  const read = await hashFile(real, keep);
  const refused = pickleContentReason(read.head);
  if (refused !== undefined) {
    throw refuseFormat(file.path, refused);
  }
  if (read.size !== file.bytes || read.sha256 !== file.sha256) {
    throw integrityError(
      `The model file ${file.path} does not match its manifest: ` +
        (read.size !== file.bytes
          ? `it has ${read.size} bytes, expected ${file.bytes}.`
          : `SHA-256 ${read.sha256}, expected ${file.sha256}.`) +
        " The file was changed or damaged; reinstall or re-download the model.",
    );
  }
  return {
    path: file.path,
    bytes: read.size,
    sha256: read.sha256,
    ...(read.data && { data: read.data }),
  };
}

/**
 * Checks every file the manifest lists: refuses pickle-based formats by
 * name before reading anything, then hashes each file once, refusing
 * pickle content and any size or SHA-256 mismatch.
 */
export async function checkModelFiles(
  folder: string,
  manifest: ModelManifest,
  options: { keepBytes: boolean },
): Promise<VerifiedModelFile[]> {
  for (const file of manifest.files) {
    const refused = pickleNameReason(file.path);
    if (refused !== undefined) {
      throw refuseFormat(file.path, refused);
    }
  }
  let root: string;
  try {
    root = await realpath(folder);
  } catch (error) {
    throw integrityError(`The model folder ${folder} was not found.`, error);
  }
  const verified: VerifiedModelFile[] = [];
  for (const file of manifest.files) {
    verified.push(await checkFile(root, file, options.keepBytes));
  }
  return verified;
}
