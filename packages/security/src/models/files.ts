import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { open, realpath } from "node:fs/promises";
import { join, sep } from "node:path";

import { SecurityError, SecurityErrorCode } from "../errors.js";
import {
  FORMAT_HEAD_BYTES,
  FORMAT_TAIL_BYTES,
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

/** The size, hash and boundary bytes read from a model file. */
interface ReadFile {
  readonly size: number;
  readonly sha256: string;
  readonly head: Uint8Array;
  readonly tail: Uint8Array;
  readonly data?: Uint8Array;
}

/**
 * Opens a listed file without blocking on a named pipe or a device, and
 * checks that it is a regular file of the listed size before reading.
 */
async function openListed(real: string, file: ModelManifestFile) {
  const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK);
  const stats = await handle.stat();
  if (!stats.isFile() || stats.size !== file.bytes) {
    await handle.close();
    throw integrityError(
      stats.isFile()
        ? `The model file ${file.path} does not match its manifest: it has ${stats.size} bytes, expected ${file.bytes}. The file was changed or damaged; reinstall or re-download the model.`
        : `The model file ${file.path} is not a regular file (a pipe, device or folder); a manifest may list regular files only.`,
    );
  }
  return handle;
}

/** Keeps the last `limit` bytes seen across chunks. */
function keepTail(tail: Buffer, piece: Buffer, limit: number): Buffer {
  const joined = Buffer.concat([tail, piece]);
  return joined.length > limit
    ? joined.subarray(joined.length - limit)
    : joined;
}

/** Reads a file in chunks, hashing every byte and keeping them if asked. */
async function hashFile(
  real: string,
  file: ModelManifestFile,
  keep: boolean,
): Promise<ReadFile> {
  const handle = await openListed(real, file);
  try {
    const hash = createHash("sha256");
    const chunks: Buffer[] = [];
    let tail: Buffer = Buffer.alloc(0);
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
      tail = keepTail(tail, piece, FORMAT_TAIL_BYTES);
      if (keep || chunks.length === 0) {
        chunks.push(piece);
      }
    }
    const head = (chunks[0] ?? Buffer.alloc(0)).subarray(0, FORMAT_HEAD_BYTES);
    const data = keep ? Buffer.concat(chunks) : undefined;
    return {
      size,
      sha256: hash.digest("hex"),
      head,
      tail,
      ...(data && { data }),
    };
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
  const read = await hashFile(real, file, keep);
  const refused = pickleContentReason(read.head, read.tail, read.size);
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
