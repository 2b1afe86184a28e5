import type { ObservabilityLogger } from "../logger-port.js";
import { noopLogger } from "../logger-port.js";

/**
 * Runs telemetry calls so that they never throw into the caller. Every
 * failure drops the span or data point, is counted per kind, and is logged
 * at `warn` on the first drop of that kind and whenever its total reaches
 * the next power of ten (10, 100, 1000, ...).
 */
export interface TelemetryGuard {
  /** Runs `call`; on a throw, counts and logs the drop and returns undefined. */
  run<T>(kind: string, call: () => T): T | undefined;
  /**
   * Counts and logs `count` items (spans or data points, 1 by default)
   * dropped without a throw, such as a failed export of a whole batch.
   * A count of 0 drops nothing. A count that is not a positive safe
   * integer, such as -3, 2.5 or NaN, counts as 1 drop.
   */
  drop(kind: string, reason: string, cause?: unknown, count?: number): void;
  /** Number of drops per kind so far. */
  dropped(): Readonly<Record<string, number>>;
}

/** Options of {@link createTelemetryGuard}. */
export interface TelemetryGuardOptions {
  /**
   * Logger for drop reports.
   * @default noopLogger
   */
  readonly logger?: ObservabilityLogger;
}

/** Whether a total that grew from `before` to `after` should be logged. */
function isLogPoint(before: number, after: number): boolean {
  return (
    before === 0 ||
    Math.floor(Math.log10(before)) < Math.floor(Math.log10(after))
  );
}

/** Creates a {@link TelemetryGuard}. */
export function createTelemetryGuard(
  options: TelemetryGuardOptions = {},
): TelemetryGuard {
  const logger = options.logger ?? noopLogger;
  const counts = new Map<string, number>();

  const drop = (
    kind: string,
    reason: string,
    cause?: unknown,
    items = 1,
  ): void => {
    if (items === 0) return;
    const added = Number.isSafeInteger(items) && items > 0 ? items : 1;
    const before = counts.get(kind) ?? 0;
    const count = before + added;
    counts.set(kind, count);
    if (isLogPoint(before, count)) {
      const fields: Record<string, unknown> = { kind, dropped: count, reason };
      if (cause !== undefined) {
        fields["err"] = cause;
      }
      try {
        logger.warn(fields, "telemetry data dropped");
      } catch {
        // A failing logger must not throw into the caller either; the
        // drop is still counted.
      }
    }
  };

  return {
    run(kind, call) {
      try {
        return call();
      } catch (error) {
        drop(kind, "telemetry call threw", error);
        return undefined;
      }
    },
    drop,
    dropped: () => Object.fromEntries(counts),
  };
}
