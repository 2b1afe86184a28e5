import type { EventSource, ResilienceLogger, Subscription } from "./events.js";

/**
 * A counter in the shape of an OpenTelemetry `Counter`: `add` takes the
 * increment and attributes.
 */
export interface EventCounter {
  add(value: number, attributes?: Record<string, string>): void;
}

/** Short log messages by event name; other events log their name. */
const MESSAGES: Readonly<Record<string, string>> = {
  retry: "retrying after transient failure",
  "give-up": "retries stopped",
  break: "circuit breaker opened",
  "half-open": "circuit breaker half-open",
  reset: "circuit breaker closed",
  fallback: "falling back to next strategy",
  timeout: "operation timed out",
  "bulkhead-rejected": "bulkhead rejected call",
  shed: "memory guard shed work",
  "shutdown-start": "shutdown started",
  "shutdown-end": "shutdown finished",
};

/** Events logged at `info`; every other event is logged at `warn`. */
const INFO_EVENTS: ReadonlySet<string> = new Set([
  "half-open",
  "reset",
  "shutdown-start",
  "shutdown-end",
]);

function toFields(name: string, event: unknown): Record<string, unknown> {
  const { error, ...rest } = event as Record<string, unknown>;
  return error === undefined
    ? { event: name, ...rest }
    : { event: name, ...rest, err: error };
}

/**
 * Logs every event of `source`: a fields object with `event`, the payload
 * and the payload's `error` under `err`, then a short message. State
 * recoveries and shutdown progress log at `info`, the rest at `warn`.
 * Returns the subscription; dispose it to stop logging.
 */
export function logEvents<M extends object>(
  source: EventSource<M>,
  logger: ResilienceLogger,
): Subscription {
  return source.onAny((name, event) => {
    const fields = toFields(name, event);
    const message = MESSAGES[name] ?? name;
    if (INFO_EVENTS.has(name)) {
      logger.info(fields, message);
    } else {
      logger.warn(fields, message);
    }
  });
}

/**
 * Adds 1 to `counter` for every event of `source`, with the attributes
 * `event` (the event name) and `policy` (the policy name, when the payload
 * has one). Returns the subscription; dispose it to stop counting.
 */
export function countEvents<M extends object>(
  source: EventSource<M>,
  counter: EventCounter,
): Subscription {
  return source.onAny((name, event) => {
    const policy = (event as { policy?: unknown }).policy;
    counter.add(
      1,
      typeof policy === "string" ? { event: name, policy } : { event: name },
    );
  });
}
