/** One logging method in pino's call shape: fields first, then a message. */
export type LogMethod = (
  fields: Record<string, unknown>,
  message: string,
) => void;

/**
 * The logger that this package's components take. A pino logger fits; the
 * default {@link noopLogger} writes nothing.
 */
export interface ObservabilityLogger {
  readonly debug: LogMethod;
  readonly info: LogMethod;
  readonly warn: LogMethod;
  readonly error: LogMethod;
}

const ignore: LogMethod = () => undefined;

/** A logger that discards every record; the default of every component. */
export const noopLogger: ObservabilityLogger = {
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
};
