import { isAbsolute, resolve as resolvePath } from "node:path";
import { pathToFileURL } from "node:url";
import type { ResourceLimits, Worker } from "node:worker_threads";

import { describeValue } from "./errors.js";
import {
  checkKnownKeys,
  type IssueList,
  MAX_TIMER_MS,
  readFunction,
  readNumber,
  readOptionsObject,
  throwIfInvalid,
} from "./validation.js";

/** Options of {@link runInWorker}. */
export interface RunInWorkerOptions {
  /**
   * Time limit in milliseconds; the worker is terminated when it passes.
   * @default 60000
   */
  readonly timeoutMs?: number;
  /**
   * Limits of the worker's heap and stack, in MB, as `worker_threads`
   * takes them. A worker that exceeds them is stopped.
   * @default Node's defaults, which derive from the main thread's limits
   */
  readonly resourceLimits?: ResourceLimits;
  /** Terminates the worker when it fires. */
  readonly signal?: AbortSignal;
  /**
   * Name of the module's export to call.
   * @default "default"
   */
  readonly exportName?: string;
  /** Receives the worker once it is created, to watch its events. */
  readonly onStart?: (worker: Worker) => void;
}

/** Checked options of a worker run. */
export interface WorkerSettings {
  readonly moduleUrl: string;
  readonly timeoutMs: number;
  readonly resourceLimits: ResourceLimits;
  readonly signal: AbortSignal | undefined;
  readonly exportName: string;
  readonly onStart: ((worker: Worker) => void) | undefined;
}

const OPTION_NAMES = [
  "timeoutMs",
  "resourceLimits",
  "signal",
  "exportName",
  "onStart",
];

const LIMIT_NAMES = [
  "maxOldGenerationSizeMb",
  "maxYoungGenerationSizeMb",
  "codeRangeSizeMb",
  "stackSizeMb",
];

function toModuleUrl(value: unknown, issues: IssueList): string {
  if (value instanceof URL) {
    return value.href;
  }
  if (typeof value === "string" && value.trim() !== "") {
    if (/^(file|data):/u.test(value)) {
      return value;
    }
    return pathToFileURL(isAbsolute(value) ? value : resolvePath(value)).href;
  }
  issues.push({
    path: "moduleUrlOrPath",
    value,
    message: `moduleUrlOrPath must be a file path, a file: URL or a URL object, such as new URL("./work.js", import.meta.url) (received ${describeValue(value)}).`,
  });
  return "";
}

function readLimits(value: unknown, issues: IssueList): ResourceLimits {
  const record = readOptionsObject(
    value,
    "resourceLimits",
    issues,
    "{ maxOldGenerationSizeMb: 256 }",
  );
  checkKnownKeys(record, LIMIT_NAMES, "resourceLimits", issues);
  const limits: Record<string, number> = {};
  for (const key of LIMIT_NAMES) {
    if (record[key] !== undefined) {
      limits[key] = readNumber(record, key, "resourceLimits", issues, {
        default: 0,
        min: 0,
        minExclusive: true,
        example: "256",
      });
    }
  }
  return limits;
}

function readSignal(
  value: unknown,
  issues: IssueList,
): AbortSignal | undefined {
  if (value === undefined || value instanceof AbortSignal) {
    return value;
  }
  issues.push({
    path: "signal",
    value,
    message: `signal must be an AbortSignal, such as AbortSignal.timeout(5000) (received ${describeValue(value)}).`,
  });
  return undefined;
}

function readExportName(value: unknown, issues: IssueList): string {
  if (value === undefined) {
    return "default";
  }
  if (typeof value === "string" && value !== "") {
    return value;
  }
  issues.push({
    path: "exportName",
    value,
    message: `exportName must be the name of an exported function, such as "default" (received ${describeValue(value)}).`,
  });
  return "default";
}

/**
 * Checks the module and options of {@link runInWorker}.
 * @throws {ResilienceError} `INVALID_OPTIONS` listing every invalid option.
 */
export function readWorkerOptions(
  moduleUrlOrPath: unknown,
  options: unknown,
): WorkerSettings {
  const issues: IssueList = [];
  const moduleUrl = toModuleUrl(moduleUrlOrPath, issues);
  const record = readOptionsObject(options, "", issues, "{ timeoutMs: 5000 }");
  checkKnownKeys(record, OPTION_NAMES, "", issues);
  const settings: WorkerSettings = {
    moduleUrl,
    timeoutMs: readNumber(record, "timeoutMs", "", issues, {
      default: 60_000,
      min: 1,
      max: MAX_TIMER_MS,
      integer: true,
      example: "5000",
    }),
    resourceLimits: readLimits(record.resourceLimits, issues),
    signal: readSignal(record.signal, issues),
    exportName: readExportName(record.exportName, issues),
    onStart: readFunction<((worker: Worker) => void) | undefined>(
      record,
      "onStart",
      "",
      issues,
      undefined,
      '(worker) => worker.on("exit", log)',
    ),
  };
  throwIfInvalid(issues);
  return settings;
}
