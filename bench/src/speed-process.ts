import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { BenchError, BenchErrorCode } from "./errors.js";
import type { SpeedWorkerResult } from "./speed-result.js";

const WORKER_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  "speed-worker.js",
);

/** Maximum run time of a worker before it is killed, in milliseconds. */
const WORKER_TIMEOUT_MS = 300_000;

/** Text, question and number of runs for one worker. */
export interface WorkerRequest {
  readonly file: string;
  readonly query: string;
  readonly runs: number;
}

/**
 * Measures one text in a fresh Node.js process, so its peak RSS covers that
 * text alone. The worker's stderr passes through.
 * @throws {BenchError} `WORKER_FAILED` when the worker exits with an error,
 * times out or prints no result.
 */
export function measureInWorker(
  request: WorkerRequest,
): Promise<SpeedWorkerResult> {
  const args = [
    "--expose-gc",
    WORKER_PATH,
    "--file",
    request.file,
    "--query",
    request.query,
    "--runs",
    String(request.runs),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      stdio: ["ignore", "pipe", "inherit"],
      timeout: WORKER_TIMEOUT_MS,
    });
    let output = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => (output += chunk));
    child.on("error", (error) => {
      reject(
        new BenchError(
          BenchErrorCode.WORKER_FAILED,
          `The speed worker for ${request.file} could not start: ${error.message}`,
          { cause: error },
        ),
      );
    });
    child.on("close", (code, signal) => {
      if (code === 0) {
        try {
          resolve(JSON.parse(output) as SpeedWorkerResult);
        } catch (error) {
          reject(
            new BenchError(
              BenchErrorCode.WORKER_FAILED,
              `The speed worker for ${request.file} printed no JSON result.`,
              { cause: error },
            ),
          );
        }
        return;
      }
      const failure =
        signal === null ? `exit status ${String(code)}` : `signal ${signal}`;
      reject(
        new BenchError(
          BenchErrorCode.WORKER_FAILED,
          `The speed worker for ${request.file} failed with ${failure}` +
            ` (killed after ${WORKER_TIMEOUT_MS / 1000} s if it timed out);` +
            ` its error output is above.`,
        ),
      );
    });
  });
}
