import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { BenchError, BenchErrorCode } from "./errors.js";

/** Environment variable that names the data folder. */
export const DATA_ENV_VARIABLE = "RETRIEVAL_FREE_DATA";

/** Repository root, two levels above this module in `bench/dist/`. */
export const REPO_ROOT = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
);

/**
 * Returns the folders searched for the data, in order. A set
 * `RETRIEVAL_FREE_DATA` is the only candidate, so a mistyped path is
 * reported instead of silently replaced by a default.
 */
export function dataCandidates(env = process.env): string[] {
  const fromEnv = env[DATA_ENV_VARIABLE];
  if (fromEnv !== undefined && fromEnv !== "") {
    return [resolve(fromEnv)];
  }
  return [resolve(REPO_ROOT, "..", "shared", "data"), "/work/shared/data"];
}

/**
 * Returns the absolute path of the data folder.
 * @throws {BenchError} `DATA_NOT_FOUND` when no candidate folder exists.
 */
export function resolveDataDirectory(env = process.env): string {
  const candidates = dataCandidates(env);
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found !== undefined) {
    return found;
  }
  throw new BenchError(
    BenchErrorCode.DATA_NOT_FOUND,
    `No benchmark data folder found; looked in ${candidates.join(", ")}. ` +
      `Set ${DATA_ENV_VARIABLE} to the folder that contains squad-dev/, ` +
      `hotpotqa-dev-sample100/ and long-texts/.`,
  );
}

/**
 * Resolves a file inside the data folder.
 * @throws {BenchError} `INVALID_DATA` when the file does not exist.
 */
export function dataFile(dataDirectory: string, relativePath: string): string {
  const path = resolve(dataDirectory, relativePath);
  if (!existsSync(path)) {
    throw new BenchError(
      BenchErrorCode.INVALID_DATA,
      `Data file ${path} not found. Check that ${dataDirectory} is the ` +
        `complete data folder, or set ${DATA_ENV_VARIABLE} to one.`,
    );
  }
  return path;
}
