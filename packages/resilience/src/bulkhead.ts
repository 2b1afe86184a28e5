import { type BulkheadPolicy, bulkhead } from "cockatiel";

import { fromCockatielError } from "./cockatiel-errors.js";
import { abortedError, throwIfAborted } from "./errors.js";
import {
  type BulkheadRejectedEvent,
  EventHub,
  type Listener,
  type PolicyEvents,
  type ResilienceLogger,
  type Subscription,
} from "./events.js";
import {
  createSubscriptions,
  type Policy,
  type PolicyFunction,
} from "./policy.js";
import {
  checkKnownKeys,
  type IssueList,
  readLogger,
  readName,
  readNumber,
  readOptionsObject,
  throwIfInvalid,
} from "./validation.js";

/** Options of {@link createBulkhead}. */
export interface BulkheadOptions {
  /**
   * Name carried by the policy's events.
   * @default "bulkhead"
   */
  readonly name?: string;
  /**
   * Calls that may run at the same time.
   * @default 10
   */
  readonly maxConcurrent?: number;
  /**
   * Calls that may wait for a slot; 0 rejects every call that finds no
   * free slot.
   * @default 10
   */
  readonly maxQueue?: number;
  /** Receives the errors of event listeners. */
  readonly logger?: ResilienceLogger;
}

/** A bulkhead: a concurrency limit with a bounded queue. */
export interface Bulkhead extends Policy<"bulkhead-rejected"> {
  readonly maxConcurrent: number;
  readonly maxQueue: number;
  /** Calls running now. */
  readonly running: number;
  /** Calls waiting for a slot now. */
  readonly queued: number;
  /** Adds a listener for `bulkhead-rejected`; returns its subscription. */
  onBulkheadRejected(listener: Listener<BulkheadRejectedEvent>): Subscription;
}

/** Checked settings of a bulkhead. */
export interface BulkheadSettings {
  readonly name: string;
  readonly maxConcurrent: number;
  readonly maxQueue: number;
  readonly logger: ResilienceLogger | undefined;
}

const OPTION_NAMES = ["name", "maxConcurrent", "maxQueue", "logger"];

/** Checks the options of a bulkhead at `path`, recording issues. */
export function readBulkheadOptions(
  value: unknown,
  path: string,
  issues: IssueList,
  defaults: { name: string },
): BulkheadSettings {
  const record = readOptionsObject(value, path, issues, "{ maxConcurrent: 4 }");
  checkKnownKeys(record, OPTION_NAMES, path, issues);
  return {
    name: readName(record, path, issues, defaults.name),
    maxConcurrent: readNumber(record, "maxConcurrent", path, issues, {
      default: 10,
      min: 1,
      integer: true,
      example: "4",
    }),
    maxQueue: readNumber(record, "maxQueue", path, issues, {
      default: 10,
      min: 0,
      integer: true,
      example: "10",
    }),
    logger: readLogger(record, path, issues),
  };
}

/**
 * Returns `run`, but rejects with `ABORTED` as soon as `signal` fires
 * while the call still waits in the queue. A running call gets the signal
 * and settles by itself.
 */
function rejectWhileQueued<T>(
  run: Promise<T>,
  signal: AbortSignal,
  hasStarted: () => boolean,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      if (!hasStarted()) {
        // NOTE: cockatiel 3.2 keeps the call's queue entry until a slot
        // frees, so the entry still counts against maxQueue until then.
        reject(abortedError(signal));
      }
    };
    signal.addEventListener("abort", onAbort, { once: true });
    run.then(resolve, reject).finally(() => {
      signal.removeEventListener("abort", onAbort);
    });
  });
}

/** Creates the `execute` method of a bulkhead around cockatiel's. */
function createExecute(
  inner: BulkheadPolicy,
  settings: BulkheadSettings,
): Bulkhead["execute"] {
  const { name, maxConcurrent, maxQueue } = settings;
  return async <T>(fn: PolicyFunction<T>, signal?: AbortSignal) => {
    throwIfAborted(signal);
    let started = false;
    const run = inner.execute(({ signal: callSignal }) => {
      started = true;
      return fn(callSignal);
    }, signal);
    try {
      return await (signal === undefined
        ? run
        : rejectWhileQueued(run, signal, () => started));
    } catch (error) {
      throw fromCockatielError(error, signal, {
        policy: name,
        maxConcurrent,
        maxQueue,
      });
    }
  };
}

/** Builds a bulkhead from checked settings on a shared event hub. */
export function buildBulkhead(
  settings: BulkheadSettings,
  hub: EventHub<PolicyEvents>,
): Bulkhead {
  const { name, maxConcurrent, maxQueue } = settings;
  const inner = bulkhead(maxConcurrent, maxQueue);
  inner.onReject(() => {
    hub.emit("bulkhead-rejected", { policy: name, maxConcurrent, maxQueue });
  });
  return {
    name,
    maxConcurrent,
    maxQueue,
    get running() {
      return maxConcurrent - inner.executionSlots;
    },
    get queued() {
      return maxQueue - inner.queueSlots;
    },
    execute: createExecute(inner, settings),
    ...createSubscriptions(hub, ["bulkhead-rejected"]),
    onBulkheadRejected: (listener) => hub.on("bulkhead-rejected", listener),
  };
}

/**
 * Creates a bulkhead that runs at most `maxConcurrent` calls at once and
 * queues at most `maxQueue` more. A call that finds both full rejects
 * with `BULKHEAD_FULL` at once.
 * @throws {ResilienceError} `INVALID_OPTIONS` listing every invalid option.
 */
export function createBulkhead(options?: BulkheadOptions): Bulkhead {
  const issues: IssueList = [];
  const settings = readBulkheadOptions(options, "", issues, {
    name: "bulkhead",
  });
  throwIfInvalid(issues);
  return buildBulkhead(settings, new EventHub(settings.logger));
}
