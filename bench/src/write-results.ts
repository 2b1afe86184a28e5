import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

import { REPO_ROOT } from "./data-path.js";

/** Folder of the committed benchmark results. */
export const RESULTS_DIRECTORY = join(REPO_ROOT, "bench", "results");

/**
 * Writes result files into `bench/results/`, each through a `.tmp` file
 * and a rename, so an interrupted run leaves no half-written file.
 * Returns the paths written.
 */
export async function writeResults(
  files: Readonly<Record<string, string>>,
): Promise<string[]> {
  await mkdir(RESULTS_DIRECTORY, { recursive: true });
  const written: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const path = join(RESULTS_DIRECTORY, name);
    await writeFile(`${path}.tmp`, content, "utf8");
    await rename(`${path}.tmp`, path);
    written.push(path);
  }
  return written;
}
