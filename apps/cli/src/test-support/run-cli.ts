import { spawn } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Path of the executable shim that `pnpm rfcc` runs. */
export const BIN_PATH = fileURLToPath(
  new URL("../../bin/rfcc.js", import.meta.url),
);

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Working folder of the process, which relative paths in `args` start from. */
  readonly cwd?: string;
  /** Text written to standard input, which is then closed. */
  readonly input?: string;
  /** Arguments for node itself, before the script path. */
  readonly nodeArgs?: readonly string[];
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Milliseconds after which the process is killed.
   * @default 60000
   */
  readonly timeoutMs?: number;
  /** Script to run in place of the real shim. */
  readonly script?: string;
}

/** Exit status and output of one CLI run. */
export interface CliRun {
  /** Exit status, or null when a signal ended the process. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A CLI process that is still running, with a promise of its result. */
export interface StartedCli {
  readonly child: ChildProcessWithoutNullStreams;
  /** Settles when the process has exited and closed its streams. */
  readonly exited: Promise<CliRun>;
}

/**
 * Starts the built CLI in a child process as a user would, with `node
 * bin/rfcc.js ARGS`, and collects its output. Standard input stays open
 * unless `options.input` is given.
 */
export function startCli(
  args: readonly string[],
  options: RunCliOptions = {},
): StartedCli {
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), options.script ?? BIN_PATH, ...args],
    {
      cwd: options.cwd,
      env: { ...process.env, RFCC_DEBUG: "", ...options.env },
      timeout: options.timeoutMs ?? 60_000,
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  if (options.input !== undefined) {
    child.stdin.end(options.input);
  }
  const exited = new Promise<CliRun>((resolve, reject) => {
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
  return { child, exited };
}

/** Runs the built CLI with standard input closed after `options.input`. */
export function runCli(
  args: readonly string[],
  options: RunCliOptions = {},
): Promise<CliRun> {
  return startCli(args, { ...options, input: options.input ?? "" }).exited;
}
