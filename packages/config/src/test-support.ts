// Helpers shared by the tests: temporary folders and a bounded wait.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Creates a temporary folder and returns it with a remover. */
export async function makeTempFolder(): Promise<{
  folder: string;
  remove: () => Promise<void>;
}> {
  const folder = await mkdtemp(join(tmpdir(), "rf-config-"));
  return {
    folder,
    remove: () => rm(folder, { recursive: true, force: true }),
  };
}

/**
 * Polls a condition every 10 ms until it holds.
 *
 * @throws Error naming the condition when it still fails after `timeoutMs`.
 */
export async function waitFor(
  description: string,
  condition: () => boolean,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${description}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
