import { pino } from "pino";
import type { DestinationStream, Level, Logger } from "pino";

import { detectSecret, scrubText } from "./detectors.js";
import { createRedactor, failClosed } from "./redact.js";
import type { RedactOptions } from "./redact.js";

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /**
   * Name written as `name` on every line.
   * @default undefined
   */
  readonly name?: string;
  /**
   * Lowest level written, or `"silent"`.
   * @default "info"
   */
  readonly level?: Level | "silent";
  /**
   * Stream that receives one JSON line per record.
   * @default standard output
   */
  readonly destination?: DestinationStream;
  /**
   * Redaction settings applied to every record, child bindings included.
   * @default {} (the default key list and detector)
   */
  readonly redact?: RedactOptions;
  /**
   * Fields written on every line besides `pid` and `hostname`.
   * @default {}
   */
  readonly base?: Readonly<Record<string, unknown>>;
}

/**
 * Creates a pino logger that redacts secrets and personal data at any
 * depth in the fields, the child bindings and the message text.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const redact = createRedactor(options.redact ?? {});
  const detector =
    options.redact?.detector === false
      ? undefined
      : failClosed(options.redact?.detector ?? detectSecret);
  const censor = options.redact?.censor ?? "[REDACTED]";
  const scrubMessage = (message: string): string =>
    detector === undefined
      ? message
      : scrubText(message, censor, detector, ["msg"]);

  const logger = pino(
    {
      level: options.level ?? "info",
      ...(options.name === undefined ? {} : { name: options.name }),
      base: { pid: process.pid, ...options.base },
      // The redactor already turns errors into plain objects.
      serializers: { err: (value: unknown) => value },
      formatters: {
        bindings: (bindings) => redactRecord(redact, bindings),
        log: (record) => redactRecord(redact, record),
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = scrubArguments(args, redact, scrubMessage);
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination(1),
  );
  return redactChildBindings(logger, redact);
}

/**
 * Redacts a record. A record that cannot be copied at all becomes a
 * marker field, because pino needs an object here.
 */
function redactRecord(
  redact: (value: unknown) => unknown,
  record: Record<string, unknown>,
): Record<string, unknown> {
  const copy = redact(record);
  return typeof copy === "object" && copy !== null && !Array.isArray(copy)
    ? (copy as Record<string, unknown>)
    : { redaction: copy };
}

/**
 * Scrubs the arguments of a log call before pino formats them. Strings
 * are scrubbed as text, and objects after the first argument are
 * redacted, because pino writes them into the message for `%j`, `%o` and
 * `%O`. An error logged without a message gets its scrubbed message, since
 * pino would copy `err.message` into `msg` unscrubbed.
 */
function scrubArguments(
  args: readonly unknown[],
  redact: (value: unknown) => unknown,
  scrubMessage: (message: string) => string,
): unknown[] {
  const scrubbed = args.map((arg, index) => {
    if (typeof arg === "string") {
      return scrubMessage(arg);
    }
    return index > 0 && typeof arg === "object" && arg !== null
      ? redact(arg)
      : arg;
  });
  const [first] = args;
  if (first instanceof Error && typeof args[1] !== "string") {
    scrubbed.splice(1, 0, scrubMessage(first.message));
  }
  return scrubbed;
}

/**
 * Makes `child()` redact its bindings, at every level of children. pino
 * applies `formatters.bindings` to the root bindings only.
 */
function redactChildBindings(
  logger: Logger,
  redact: (value: unknown) => unknown,
): Logger {
  const createChild = logger.child.bind(logger) as unknown as (
    bindings: Record<string, unknown>,
    childOptions?: object,
  ) => Logger;
  const child = (
    bindings: Record<string, unknown>,
    childOptions?: object,
  ): Logger =>
    redactChildBindings(
      createChild(redact(bindings) as Record<string, unknown>, childOptions),
      redact,
    );
  logger.child = child as unknown as Logger["child"];
  return logger;
}

/**
 * Creates a child logger for one request; every line carries `reqId` and
 * the given fields.
 */
export function childForRequest(
  logger: Logger,
  requestId: string,
  fields: Readonly<Record<string, unknown>> = {},
): Logger {
  return logger.child({ ...fields, reqId: requestId });
}
