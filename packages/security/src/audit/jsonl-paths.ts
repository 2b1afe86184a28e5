import { realpath } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

import { SecurityError, SecurityErrorCode } from "../errors.js";
import { isNotFound } from "./jsonl-file.js";
import type { JsonlAuditStoreOptions } from "./jsonl-store.js";

/** Returns the default path of a file next to the entry file. */
export function siblingPath(file: string, suffix: string): string {
  const base = file.endsWith(".jsonl") ? file.slice(0, -".jsonl".length) : file;
  return `${base}${suffix}`;
}

/**
 * Returns the real path of a file that may not exist yet, with symbolic
 * links resolved. That is the file's own real path if it exists, else its
 * folder's real path joined with its name. When the folder is missing
 * too, it is the absolute path.
 */
export async function realFilePath(path: string): Promise<string> {
  const absolute = resolve(path);
  try {
    return await realpath(absolute);
  } catch (error) {
    if (!isNotFound(error)) {
      throw error;
    }
  }
  try {
    return join(await realpath(dirname(absolute)), basename(absolute));
  } catch (error) {
    if (!isNotFound(error)) {
      throw error;
    }
  }
  return absolute;
}

/** Paths of the files of a JSON Lines store. */
export interface StorePaths {
  /** The entry file as given, made absolute, for messages. */
  readonly file: string;
  /** The entry file with symbolic links resolved. */
  readonly realFile: string;
  readonly checkpointFile: string;
  /** The subject key file with symbolic links resolved. */
  readonly keyFile: string;
}

/** Resolves the paths of a store's files from its options. */
export async function resolvePaths(
  options: JsonlAuditStoreOptions,
): Promise<StorePaths> {
  const file = resolve(options.jsonl);
  return {
    file,
    realFile: await realFilePath(file),
    checkpointFile: resolve(
      options.checkpointFile ?? siblingPath(file, ".checkpoints.jsonl"),
    ),
    keyFile: await realFilePath(
      options.keyFile ?? siblingPath(file, ".keys.json"),
    ),
  };
}

/** Real paths of the entry files that a store of this process appends to. */
const writtenFiles = new Set<string>();

/**
 * Registers the one writable store of an entry file in this process.
 * Throws CONFLICT when a store already writes to the same real path, also
 * when it was opened through a symbolic link. NOTE: a hard link to the
 * file still counts as another file.
 */
export function claimWriter(file: string, realPath: string): void {
  if (writtenFiles.has(realPath)) {
    const alias = realPath === file ? "" : ` (real path ${realPath})`;
    throw new SecurityError(
      SecurityErrorCode.CONFLICT,
      `The audit log ${file}${alias} is already open in this process. ` +
        "Share that log or store, or close it before opening the file again.",
    );
  }
  writtenFiles.add(realPath);
}

/** Ends the registration that {@link claimWriter} made. */
export function releaseWriter(realPath: string): void {
  writtenFiles.delete(realPath);
}
