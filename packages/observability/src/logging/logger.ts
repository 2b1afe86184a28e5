import { pino } from "pino";
import type { DestinationStream, Level, Logger } from "pino";

import { detectSecret, scrubText } from "./detectors.js";
import { createRedactor } from "./redact.js";
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
      : (options.redact?.detector ?? detectSecret);
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
        bindings: (bindings) => redact(bindings) as Record<string, unknown>,
        log: (record) => redact(record) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg: unknown) =>
            typeof arg === "string" ? scrubMessage(arg) : arg,
          );
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination(1),
  );
  return redactChildBindings(logger, redact);
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
