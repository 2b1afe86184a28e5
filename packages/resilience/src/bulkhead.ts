import {
  abortedError,
  ResilienceError,
  ResilienceErrorCode,
  throwIfAborted,
} from "./errors.js";
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

function fullError(settings: BulkheadSettings): ResilienceError {
  const { name, maxConcurrent, maxQueue } = settings;
  return new ResilienceError(
    ResilienceErrorCode.BULKHEAD_FULL,
    `The bulkhead "${name}" is full (${maxConcurrent} running, ${maxQueue} queued), so the call was rejected. Retry later or raise maxConcurrent or maxQueue.`,
    { details: { policy: name, maxConcurrent, maxQueue } },
  );
}

/** A call waiting for a slot. */
interface Waiter {
  /** Hands a slot to the call, which is already counted in `running`. */
  grant(): void;
}

/**
 * Counting semaphore with a bounded FIFO queue. A freed slot passes
 * straight to the first waiter, so a new call cannot take it first. A
 * waiter whose signal fires leaves the queue at once.
 */
class SlotQueue {
  readonly #settings: BulkheadSettings;
  readonly #hub: EventHub<PolicyEvents>;
  readonly #waiters: Waiter[] = [];
  #running = 0;

  constructor(settings: BulkheadSettings, hub: EventHub<PolicyEvents>) {
    this.#settings = settings;
    this.#hub = hub;
  }

  get running(): number {
    return this.#running;
  }

  get queued(): number {
    return this.#waiters.length;
  }

  async execute<T>(fn: PolicyFunction<T>, signal?: AbortSignal): Promise<T> {
    throwIfAborted(signal);
    const { maxConcurrent, maxQueue, name } = this.#settings;
    if (this.#running < maxConcurrent) {
      this.#running += 1;
    } else if (this.#waiters.length < maxQueue) {
      await this.#wait(signal);
    } else {
      this.#hub.emit("bulkhead-rejected", {
        policy: name,
        maxConcurrent,
        maxQueue,
      });
      throw fullError(this.#settings);
    }
    try {
      // The signal may have fired between the grant and this line.
      throwIfAborted(signal);
      return await fn(signal ?? new AbortController().signal);
    } finally {
      this.#release();
    }
  }

  /** Queues the call until a slot passes to it or `signal` fires. */
  #wait(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.#waiters.indexOf(waiter);
        if (index !== -1) {
          this.#waiters.splice(index, 1);
        }
        reject(abortedError(signal as AbortSignal));
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      this.#waiters.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  #release(): void {
    const next = this.#waiters.shift();
    if (next === undefined) {
      this.#running -= 1;
    } else {
      next.grant();
    }
  }
}

/** Builds a bulkhead from checked settings on a shared event hub. */
export function buildBulkhead(
  settings: BulkheadSettings,
  hub: EventHub<PolicyEvents>,
): Bulkhead {
  const { name, maxConcurrent, maxQueue } = settings;
  const slots = new SlotQueue(settings, hub);
  return {
    name,
    maxConcurrent,
    maxQueue,
    get running() {
      return slots.running;
    },
    get queued() {
      return slots.queued;
    },
    execute: (fn, signal) => slots.execute(fn, signal),
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
