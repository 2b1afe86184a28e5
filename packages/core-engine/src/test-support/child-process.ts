import { spawn } from "node:child_process";

/**
 * URL of the built engine entry (`dist/index.js`). Scripts run by
 * {@link runEngineScript} import it, so run `pnpm build` before the tests.
 */
export const ENGINE_ENTRY_URL = new URL("../../dist/index.js", import.meta.url)
  .href;

/** Options of {@link runEngineScript}. */
export interface EngineScriptOptions {
  /** Milliseconds after which the process is killed with SIGKILL. */
  readonly timeoutMs: number;
  /** V8 old-space limit of the child process, in MiB. */
  readonly maxOldSpaceMiB?: number;
}

/** Exit status and output of a script run by {@link runEngineScript}. */
export interface EngineScriptRun {
  /** Exit status, or null when a signal ended the process. */
  readonly code: number | null;
  /** The signal that ended the process, such as SIGKILL after the timeout. */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs an ES module in a child Node.js process, so that a case that hangs,
 * runs out of memory or blocks the event loop cannot stall the test
 * worker. The source can use the variable `engine`, the namespace of the
 * built core engine.
 */
export function runEngineScript(
  source: string,
  options: EngineScriptOptions,
): Promise<EngineScriptRun> {
  const heap =
    options.maxOldSpaceMiB === undefined
      ? []
      : [`--max-old-space-size=${options.maxOldSpaceMiB}`];
  const module = `const engine = await import(${JSON.stringify(ENGINE_ENTRY_URL)});\n${source}`;
  const child = spawn(
    process.execPath,
    [...heap, "--input-type=module", "--eval", module],
    { timeout: options.timeoutMs, killSignal: "SIGKILL" },
  );
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      resolve({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
      });
    });
  });
}
