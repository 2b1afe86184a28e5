import type { ObservabilityLogger } from "../logger-port.js";
import { noopLogger } from "../logger-port.js";

/**
 * Runs telemetry calls so that they never throw into the caller. Every
 * failure drops the span or data point, is counted per kind, and is logged
 * at `warn` on the 1st, 10th, 100th, ... drop of that kind.
 */
export interface TelemetryGuard {
  /** Runs `call`; on a throw, counts and logs the drop and returns undefined. */
  run<T>(kind: string, call: () => T): T | undefined;
  /** Counts and logs a drop that was detected without a throw. */
  drop(kind: string, reason: string, cause?: unknown): void;
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

function isLogPoint(count: number): boolean {
  return Number.isInteger(Math.log10(count));
}

/** Creates a {@link TelemetryGuard}. */
export function createTelemetryGuard(
  options: TelemetryGuardOptions = {},
): TelemetryGuard {
  const logger = options.logger ?? noopLogger;
  const counts = new Map<string, number>();

  const drop = (kind: string, reason: string, cause?: unknown): void => {
    const count = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, count);
    if (isLogPoint(count)) {
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
