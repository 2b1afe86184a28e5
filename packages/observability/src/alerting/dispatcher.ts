import type { ObservabilityLogger } from "../logger-port.js";
import type { AlertNotification, NotificationHandler } from "./types.js";

interface QueuedDelivery {
  readonly handler: NotificationHandler;
  readonly notification: AlertNotification;
  attempts: number;
}

/** Counts of one flush. */
export interface FlushResult {
  readonly delivered: number;
  readonly failed: number;
}

/**
 * Delivers notifications to every handler and keeps failed deliveries for
 * the next flush, in order per handler, so that each notification reaches
 * each handler once it is back. Handlers are served in parallel, so a slow
 * one does not delay the others. Flushes run one at a time, so overlapping
 * evaluations never send a delivery twice. The queue contains at most
 * `maxQueued` deliveries; beyond that the oldest is dropped and logged.
 * A `notify` call that has not settled after `timeoutMs` counts as
 * failed, so a hung handler cannot block later flushes. If it succeeds
 * later, the receiver gets the notification again with the same
 * idempotency key. After {@link close}, flushes stop waiting for calls in
 * progress and start no new ones.
 */
export class NotificationDispatcher {
  readonly #handlers: readonly NotificationHandler[];
  readonly #logger: ObservabilityLogger;
  readonly #maxQueued: number;
  readonly #timeoutMs: number;
  #queue: QueuedDelivery[] = [];
  #flushing: Promise<unknown> = Promise.resolve();
  #closed = false;
  // Rejects the wait for each `notify` call in progress.
  readonly #cancels = new Set<(reason: Error) => void>();

  constructor(
    handlers: readonly NotificationHandler[],
    logger: ObservabilityLogger,
    maxQueued: number,
    timeoutMs: number,
  ) {
    this.#handlers = handlers;
    this.#logger = logger;
    this.#maxQueued = maxQueued;
    this.#timeoutMs = timeoutMs;
  }

  /** Number of deliveries waiting for a flush. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Queues a notification for every handler. */
  enqueue(notification: AlertNotification): void {
    for (const handler of this.#handlers) {
      this.#queue.push({ handler, notification, attempts: 0 });
    }
    while (this.#queue.length > this.#maxQueued) {
      const dropped = this.#queue.shift();
      this.#logger.error(
        {
          handler: dropped?.handler.name,
          idempotencyKey: dropped?.notification.idempotencyKey,
          maxQueued: this.#maxQueued,
        },
        "alert notification dropped from full queue",
      );
    }
  }

  /**
   * Tries every queued delivery after any flush in progress has finished;
   * a handler that fails waits for the next flush.
   */
  flush(): Promise<FlushResult> {
    const run = this.#flushing.then(() => this.#flushOnce());
    this.#flushing = run.catch(() => undefined);
    return run;
  }

  /**
   * Stops delivering: calls in progress count as failed at once, and later
   * flushes leave every delivery queued.
   */
  close(): void {
    this.#closed = true;
    const reason = new Error(
      "The alert manager was closed before the handler settled.",
    );
    for (const cancel of this.#cancels) cancel(reason);
    this.#cancels.clear();
  }

  /** Resolves when the flushes started so far have finished. */
  async idle(): Promise<void> {
    await this.#flushing;
  }

  async #flushOnce(): Promise<FlushResult> {
    const done = new Set<QueuedDelivery>();
    // Deliveries enqueued during this flush wait for the next one.
    const items = [...this.#queue];
    const handlers = new Set(items.map((item) => item.handler));
    // Each handler gets its deliveries in order and stops at its first
    // failure, so later notifications never overtake a failed one.
    await Promise.all(
      [...handlers].map(async (handler) => {
        for (const item of items) {
          if (item.handler !== handler) continue;
          if (this.#closed || !(await this.#deliver(item))) return;
          done.add(item);
        }
      }),
    );
    this.#queue = this.#queue.filter((item) => !done.has(item));
    return { delivered: done.size, failed: this.#queue.length };
  }

  async #deliver(item: QueuedDelivery): Promise<boolean> {
    item.attempts += 1;
    const fields = {
      handler: item.handler.name,
      idempotencyKey: item.notification.idempotencyKey,
      groupKey: item.notification.groupKey,
    };
    try {
      await this.#notifyWithin(item);
      this.#logger.info(
        { ...fields, flushes: item.attempts },
        "alert notification delivered",
      );
      return true;
    } catch (error) {
      this.#logger.warn(
        { ...fields, flushes: item.attempts, err: error },
        "alert notification failed, kept for the next flush",
      );
      return false;
    }
  }

  async #notifyWithin(item: QueuedDelivery): Promise<void> {
    // The call starts before the timer, so a handler whose own timer of
    // exactly `timeoutMs` settles it is on time. A synchronous throw
    // becomes a rejection.
    const delivery = new Promise<void>((resolve) => {
      resolve(item.handler.notify(item.notification));
    });
    // A delivery that settles after the timeout must not surface as an
    // unhandled rejection.
    delivery.catch(() => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let cancel: ((reason: Error) => void) | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      cancel = reject;
      this.#cancels.add(reject);
      timer = setTimeout(() => {
        reject(
          new Error(
            `Handler "${item.handler.name}" did not settle within ${this.#timeoutMs} ms; the notification stays queued for the next flush.`,
          ),
        );
      }, this.#timeoutMs);
      timer.unref();
    });
    try {
      await Promise.race([delivery, timeout]);
    } finally {
      clearTimeout(timer);
      if (cancel !== undefined) this.#cancels.delete(cancel);
    }
  }
}
