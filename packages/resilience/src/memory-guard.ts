import { getHeapStatistics } from "node:v8";

import {
  describeValue,
  ResilienceError,
  ResilienceErrorCode,
} from "./errors.js";
import {
  EventHub,
  type EventSource,
  type Listener,
  type ResilienceLogger,
  type Subscription,
} from "./events.js";
import {
  checkKnownKeys,
  type IssueList,
  isRecord,
  readFunction,
  readLogger,
  readNumber,
  readOptionsObject,
  throwIfInvalid,
} from "./validation.js";

/** Memory use of the process, in bytes. */
export interface MemoryReading {
  /** V8 heap in use, as `process.memoryUsage().heapUsed` reports it. */
  readonly heapUsed: number;
  /** Resident set size, as `process.memoryUsage().rss` reports it. */
  readonly rss: number;
}

/** Name of a memory watermark option. */
export type MemoryWatermark = "maxHeapUsedBytes" | "maxRssBytes";

/** One watermark that a reading exceeds. */
export interface ExceededWatermark {
  readonly watermark: MemoryWatermark;
  readonly limitBytes: number;
  readonly valueBytes: number;
}

/** Payload of `shed`: the guard rejected new work. */
export interface ShedEvent {
  readonly exceeded: readonly ExceededWatermark[];
  readonly reading: MemoryReading;
}

/** Events of a memory guard, by name. */
export interface MemoryGuardEvents {
  shed: ShedEvent;
}

/** Options of {@link createMemoryGuard}. */
export interface MemoryGuardOptions {
  /**
   * Heap use in bytes above which new work is shed.
   * @default 90% of V8's heap size limit (`heap_size_limit`)
   */
  readonly maxHeapUsedBytes?: number;
  /**
   * Resident set size in bytes above which new work is shed.
   * @default no limit
   */
  readonly maxRssBytes?: number;
  /**
   * Reads the process's memory use; replace it in tests.
   * @default a reader of `process.memoryUsage()`
   */
  readonly read?: () => MemoryReading;
  /** Receives the errors of event listeners. */
  readonly logger?: ResilienceLogger;
}

/** A guard that sheds new work while memory use is above a watermark. */
export interface MemoryGuard extends EventSource<MemoryGuardEvents> {
  readonly maxHeapUsedBytes: number;
  readonly maxRssBytes: number | undefined;
  /**
   * Reads memory use and returns the reading.
   * @throws {ResilienceError} `OVERLOADED` when a watermark is exceeded.
   */
  check(): MemoryReading;
  /** Returns the watermarks that memory use exceeds now. */
  exceeded(): readonly ExceededWatermark[];
  /** Runs `fn` after {@link MemoryGuard.check} passes. */
  run<T>(fn: () => PromiseLike<T> | T): Promise<T>;
  /** Adds a listener for `shed`; returns its subscription. */
  onShed(listener: Listener<ShedEvent>): Subscription;
}

const OPTION_NAMES = ["maxHeapUsedBytes", "maxRssBytes", "read", "logger"];

/** Share of V8's heap size limit used as the default heap watermark. */
const DEFAULT_HEAP_SHARE = 0.9;

function readProcessMemory(): MemoryReading {
  const usage = process.memoryUsage();
  return { heapUsed: usage.heapUsed, rss: usage.rss };
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function findExceeded(
  reading: MemoryReading,
  maxHeapUsedBytes: number,
  maxRssBytes: number | undefined,
): ExceededWatermark[] {
  const exceeded: ExceededWatermark[] = [];
  if (reading.heapUsed > maxHeapUsedBytes) {
    exceeded.push({
      watermark: "maxHeapUsedBytes",
      limitBytes: maxHeapUsedBytes,
      valueBytes: reading.heapUsed,
    });
  }
  if (maxRssBytes !== undefined && reading.rss > maxRssBytes) {
    exceeded.push({
      watermark: "maxRssBytes",
      limitBytes: maxRssBytes,
      valueBytes: reading.rss,
    });
  }
  return exceeded;
}

function overloadedError(
  exceeded: readonly ExceededWatermark[],
  reading: MemoryReading,
): ResilienceError {
  const parts = exceeded.map(
    (entry) =>
      `${entry.watermark === "maxHeapUsedBytes" ? "heap used" : "RSS"} ${formatMegabytes(entry.valueBytes)} is above ${entry.watermark} ${formatMegabytes(entry.limitBytes)}`,
  );
  return new ResilienceError(
    ResilienceErrorCode.OVERLOADED,
    `Memory use is above its watermark, so new work was rejected: ${parts.join("; ")}. Retry later, or raise the watermark if the process has room.`,
    { details: { exceeded, reading } },
  );
}

function isByteCount(value: unknown): boolean {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

/**
 * Returns the reading of the `read` option when both of its fields are
 * byte counts. Any other value would compare as below every watermark and
 * turn the guard off silently, so it raises instead.
 * @throws {ResilienceError} `INVALID_OPTIONS` naming the reading.
 */
function checkReading(reading: unknown): MemoryReading {
  const fields = isRecord(reading) ? reading : {};
  if (isByteCount(fields.heapUsed) && isByteCount(fields.rss)) {
    return reading as MemoryReading;
  }
  const issue = {
    path: "read",
    value: reading,
    message: `read must return { heapUsed, rss } as byte counts, such as process.memoryUsage() does (received ${describeValue(reading)}).`,
  };
  throw new ResilienceError(
    ResilienceErrorCode.INVALID_OPTIONS,
    `1 invalid option: ${issue.message}`,
    { issues: [issue] },
  );
}

function readGuardOptions(options: unknown, issues: IssueList) {
  const record = readOptionsObject(options, "", issues, "{ maxRssBytes: 2e9 }");
  checkKnownKeys(record, OPTION_NAMES, "", issues);
  const heapLimit = getHeapStatistics().heap_size_limit;
  const bytes = { min: 1, integer: true, example: "2000000000" };
  return {
    maxHeapUsedBytes: readNumber(record, "maxHeapUsedBytes", "", issues, {
      ...bytes,
      default: Math.floor(heapLimit * DEFAULT_HEAP_SHARE),
    }),
    maxRssBytes:
      record.maxRssBytes === undefined
        ? undefined
        : readNumber(record, "maxRssBytes", "", issues, {
            ...bytes,
            default: 0,
          }),
    read: readFunction(
      record,
      "read",
      "",
      issues,
      readProcessMemory,
      "() => process.memoryUsage()",
    ),
    logger: readLogger(record, "", issues),
  };
}

/**
 * Creates a guard that rejects new work with `OVERLOADED` while the heap
 * or the resident set is above its watermark, so the process sheds load
 * before it runs out of memory. Work already running is not affected.
 * Each check calls `read` once; the default reader calls
 * `process.memoryUsage()`, which also reads the resident set size from the
 * operating system.
 * @throws {ResilienceError} `INVALID_OPTIONS` listing every invalid option.
 */
export function createMemoryGuard(options?: MemoryGuardOptions): MemoryGuard {
  const issues: IssueList = [];
  const settings = readGuardOptions(options, issues);
  throwIfInvalid(issues);
  const { maxHeapUsedBytes, maxRssBytes, read } = settings;
  const hub = new EventHub<MemoryGuardEvents>(settings.logger);
  const check = (): MemoryReading => {
    const reading = checkReading(read());
    const exceeded = findExceeded(reading, maxHeapUsedBytes, maxRssBytes);
    if (exceeded.length > 0) {
      hub.emit("shed", { exceeded, reading });
      throw overloadedError(exceeded, reading);
    }
    return reading;
  };
  return {
    maxHeapUsedBytes,
    maxRssBytes,
    check,
    exceeded: () =>
      findExceeded(checkReading(read()), maxHeapUsedBytes, maxRssBytes),
    run: async (fn) => {
      check();
      return await fn();
    },
    onAny: (listener) => hub.onAny(listener),
    onShed: (listener) => hub.on("shed", listener),
  };
}
