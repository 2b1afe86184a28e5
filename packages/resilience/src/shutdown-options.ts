import { describeValue } from "./errors.js";
import type { ResilienceLogger } from "./events.js";
import {
  checkKnownKeys,
  type IssueList,
  MAX_TIMER_MS,
  readLogger,
  readNumber,
  readOptionsObject,
  throwIfInvalid,
} from "./validation.js";

/** Options of {@link createShutdown}. */
export interface ShutdownOptions {
  /**
   * Process signals that start the shutdown.
   * @default [] (none: call `shutdown()` yourself)
   */
  readonly signals?: readonly NodeJS.Signals[];
  /**
   * Time that in-flight work has to finish once shutdown starts, in ms.
   * @default 10000
   */
  readonly deadlineMs?: number;
  /**
   * Whether a shutdown started by a signal ends the process, with exit
   * code 0 when all work finished and 1 when some was cut off.
   * @default true
   */
  readonly exitOnSignal?: boolean;
  /** Receives the errors of event listeners. */
  readonly logger?: ResilienceLogger;
}

/** Checked options of a shutdown coordinator. */
export interface ShutdownSettings {
  readonly signals: readonly NodeJS.Signals[];
  readonly deadlineMs: number;
  readonly exitOnSignal: boolean;
  readonly logger: ResilienceLogger | undefined;
}

const OPTION_NAMES = ["signals", "deadlineMs", "exitOnSignal", "logger"];

function readSignals(value: unknown, issues: IssueList): NodeJS.Signals[] {
  if (value === undefined) {
    return [];
  }
  if (
    Array.isArray(value) &&
    value.every(
      (entry) => typeof entry === "string" && /^SIG[A-Z0-9]+$/u.test(entry),
    )
  ) {
    return value as NodeJS.Signals[];
  }
  issues.push({
    path: "signals",
    value,
    message: `signals must be an array of signal names such as ["SIGTERM", "SIGINT"] (received ${describeValue(value)}).`,
  });
  return [];
}

/**
 * Checks the options of {@link createShutdown}.
 * @throws {ResilienceError} `INVALID_OPTIONS` listing every invalid option.
 */
export function readShutdownOptions(options: unknown): ShutdownSettings {
  const issues: IssueList = [];
  const record = readOptionsObject(
    options,
    "",
    issues,
    '{ signals: ["SIGTERM"] }',
  );
  checkKnownKeys(record, OPTION_NAMES, "", issues);
  const { exitOnSignal } = record;
  if (exitOnSignal !== undefined && typeof exitOnSignal !== "boolean") {
    issues.push({
      path: "exitOnSignal",
      value: exitOnSignal,
      message: `exitOnSignal must be true or false (received ${describeValue(exitOnSignal)}).`,
    });
  }
  const settings: ShutdownSettings = {
    signals: readSignals(record.signals, issues),
    deadlineMs: readNumber(record, "deadlineMs", "", issues, {
      default: 10_000,
      min: 0,
      max: MAX_TIMER_MS,
      integer: true,
      example: "10000",
    }),
    exitOnSignal: exitOnSignal !== false,
    logger: readLogger(record, "", issues),
  };
  throwIfInvalid(issues);
  return settings;
}
