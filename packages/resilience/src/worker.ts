import { randomUUID } from "node:crypto";
import { Worker } from "node:worker_threads";

import {
  abortedError,
  ResilienceError,
  ResilienceErrorCode,
  throwIfAborted,
} from "./errors.js";
import { isRecord } from "./validation.js";
import { WORKER_BOOTSTRAP } from "./worker-bootstrap.js";
import {
  readWorkerOptions,
  type RunInWorkerOptions,
  type WorkerSettings,
} from "./worker-options.js";

/** Facts about the worker's end, added to the error's details. */
interface ExitInfo {
  readonly moduleUrl: string;
  readonly threadId: number;
  readonly exitCode: number;
}

type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: (exit: ExitInfo) => Error };

function failure(
  code: ResilienceErrorCode,
  message: string,
  cause?: unknown,
  details: Record<string, unknown> = {},
): Outcome<never> {
  return {
    ok: false,
    error: (exit) =>
      new ResilienceError(code, message, {
        cause,
        details: { ...details, ...exit },
      }),
  };
}

/** Rebuilds an error that the bootstrap posted as plain fields. */
function rebuildError(value: unknown): Error {
  const fields = isRecord(value) ? value : {};
  const error = new Error(
    typeof fields.message === "string" ? fields.message : String(value),
  );
  error.name = typeof fields.name === "string" ? fields.name : "Error";
  if (typeof fields.stack === "string") {
    error.stack = fields.stack;
  }
  if (typeof fields.code === "string") {
    Object.assign(error, { code: fields.code });
  }
  return error;
}

/**
 * Tells whether a message comes from the bootstrap of this run. The worker
 * module can also post on `parentPort`, but it never sees the nonce.
 */
function isBootstrapMessage(message: unknown, nonce: string): boolean {
  return isRecord(message) && message.nonce === nonce;
}

function fromMessage<T>(
  message: unknown,
  settings: WorkerSettings,
): Outcome<T> {
  if (isRecord(message) && message.ok === true) {
    return { ok: true, value: message.value as T };
  }
  const cause = rebuildError(isRecord(message) ? message.error : message);
  return failure(
    ResilienceErrorCode.WORKER_FAILED,
    `The function "${settings.exportName}" of ${settings.moduleUrl} failed in the worker thread: ${cause.name}: ${cause.message}`,
    cause,
  );
}

function fromWorkerError(
  error: Error,
  settings: WorkerSettings,
): Outcome<never> {
  if ((error as { code?: unknown }).code === "ERR_WORKER_OUT_OF_MEMORY") {
    const limits = JSON.stringify(settings.resourceLimits);
    return failure(
      ResilienceErrorCode.WORKER_OUT_OF_MEMORY,
      `The worker thread for ${settings.moduleUrl} ran out of memory and was stopped (resourceLimits ${limits}). Raise resourceLimits.maxOldGenerationSizeMb or give the work less input.`,
      error,
      { resourceLimits: settings.resourceLimits },
    );
  }
  return failure(
    ResilienceErrorCode.WORKER_FAILED,
    `The worker thread for ${settings.moduleUrl} failed: ${error.message}`,
    error,
  );
}

function timeoutOutcome(settings: WorkerSettings): Outcome<never> {
  return failure(
    ResilienceErrorCode.TIMEOUT,
    `The worker thread for ${settings.moduleUrl} did not finish within ${settings.timeoutMs} ms and was terminated. Raise timeoutMs if the work needs longer.`,
    undefined,
    { timeoutMs: settings.timeoutMs },
  );
}

function exitedEarly(
  settings: WorkerSettings,
  exitCode: number,
): Outcome<never> {
  return failure(
    ResilienceErrorCode.WORKER_FAILED,
    `The worker thread for ${settings.moduleUrl} exited with code ${exitCode} before it returned a result.`,
  );
}

/**
 * Settles with the worker's first outcome, and only after the worker has
 * exited, so its memory is released when the promise settles.
 */
function supervise<T>(
  worker: Worker,
  settings: WorkerSettings,
  nonce: string,
): Promise<T> {
  const { signal } = settings;
  const threadId = worker.threadId;
  return new Promise<T>((resolve, reject) => {
    let outcome: Outcome<T> | undefined;
    const finish = (next: Outcome<T>): void => {
      if (outcome === undefined) {
        outcome = next;
        worker.terminate().catch(() => undefined);
      }
    };
    const timer = setTimeout(() => {
      finish(timeoutOutcome(settings));
    }, settings.timeoutMs);
    const onAbort = (): void => {
      finish({
        ok: false,
        error: (exit) => abortedError(signal as AbortSignal, { ...exit }),
      });
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    worker.on("message", (message: unknown) => {
      if (isBootstrapMessage(message, nonce)) {
        finish(fromMessage<T>(message, settings));
      }
    });
    worker.on("error", (error) => {
      finish(fromWorkerError(error, settings));
    });
    worker.once("exit", (exitCode) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      const final = outcome ?? exitedEarly(settings, exitCode);
      if (final.ok) {
        resolve(final.value);
      } else {
        reject(
          final.error({ moduleUrl: settings.moduleUrl, threadId, exitCode }),
        );
      }
    });
  });
}

/**
 * Runs the exported function `exportName` of an ES or CommonJS module in a
 * `worker_threads` Worker with `resourceLimits`, and returns its result.
 * `input` and the result are copied with structured cloning. The worker is
 * terminated when the function returns, when `timeoutMs` passes, when
 * `signal` fires, or when it runs out of memory, and the promise settles
 * only after the worker has exited. A relative path is resolved against
 * the current directory.
 * @throws {ResilienceError} `TIMEOUT`, `ABORTED`, `WORKER_OUT_OF_MEMORY`,
 * `WORKER_FAILED` (the function threw, the input could not be copied, or
 * the worker exited early), or `INVALID_OPTIONS`.
 */
export async function runInWorker<T = unknown>(
  moduleUrlOrPath: string | URL,
  input: unknown,
  options: RunInWorkerOptions = {},
): Promise<T> {
  const settings = readWorkerOptions(moduleUrlOrPath, options);
  throwIfAborted(settings.signal);
  const nonce = randomUUID();
  let worker: Worker;
  try {
    worker = new Worker(WORKER_BOOTSTRAP, {
      eval: true,
      workerData: {
        moduleUrl: settings.moduleUrl,
        exportName: settings.exportName,
        input,
        nonce,
      },
      resourceLimits: settings.resourceLimits,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ResilienceError(
      ResilienceErrorCode.WORKER_FAILED,
      `The worker thread for ${settings.moduleUrl} could not start: ${reason.replace(/\.+$/u, "")}. Pass an input that structured cloning can copy.`,
      { cause: error, details: { moduleUrl: settings.moduleUrl } },
    );
  }
  const supervised = supervise<T>(worker, settings, nonce);
  try {
    settings.onStart?.(worker);
  } catch (error) {
    await worker.terminate();
    await supervised.catch(() => undefined);
    throw error;
  }
  return await supervised;
}
