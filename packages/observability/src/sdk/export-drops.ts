import { diag, DiagLogLevel } from "@opentelemetry/api";
import type { DiagLogger } from "@opentelemetry/api";
import type {
  PushMetricExporter,
  ResourceMetrics,
} from "@opentelemetry/sdk-metrics";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";

import type { ObservabilityLogger } from "../logger-port.js";
import type { TelemetryGuard } from "../telemetry/guard.js";

/** Result that the SDK passes to an exporter's callback. */
type ExportResult = Parameters<Parameters<SpanExporter["export"]>[1]>[0];

/**
 * `ExportResultCode.SUCCESS` and `FAILED` of `@opentelemetry/core` 2.x,
 * which this package does not depend on directly.
 */
/* eslint-disable @typescript-eslint/no-unsafe-enum-assignment -- the enum lives in @opentelemetry/core */
const EXPORT_SUCCESS = 0 as ExportResult["code"];
const EXPORT_FAILED = 1 as ExportResult["code"];
/* eslint-enable @typescript-eslint/no-unsafe-enum-assignment */

/** Drop kind of spans that an exporter failed to send. */
export const SPAN_EXPORT_DROP = "span export";
/** Drop kind of spans that a full batch processor queue discarded. */
export const SPAN_QUEUE_DROP = "span queue";
/** Drop kind of metric data points that an exporter failed to send. */
export const METRIC_EXPORT_DROP = "metric export";

/**
 * Exports that wrapped exporters started and that have not reported a
 * result yet. The SDK stops waiting for such an export after its timeout
 * but never learns what happened to it, so {@link abandon} counts them as
 * dropped when telemetry shuts down.
 */
export class PendingExports {
  readonly #abandoners = new Set<() => void>();

  /** Registers an export; `abandon` counts it as dropped once. */
  add(abandon: () => void): () => void {
    this.#abandoners.add(abandon);
    return () => this.#abandoners.delete(abandon);
  }

  /** Counts every export still pending as dropped. */
  abandon(): void {
    const abandoners = [...this.#abandoners];
    this.#abandoners.clear();
    for (const abandon of abandoners) abandon();
  }
}

/**
 * Runs one export and passes only its first result to the SDK. A result
 * other than success counts `count` items as dropped under `kind`, with
 * `reason` in the log. A second callback, or a throw after the first, is ignored, so an exporter
 * that reports twice cannot count a batch twice. An error thrown by the
 * SDK's own callback is rethrown, not taken for an export failure.
 */
function exportOnce(
  kind: string,
  reason: string,
  count: number,
  guard: TelemetryGuard,
  pending: PendingExports | undefined,
  start: (report: (result: ExportResult) => void) => void,
  resultCallback: (result: ExportResult) => void,
): void {
  let settled = false;
  let callbackError: { error: unknown } | undefined;
  const finish = (): boolean => {
    if (settled) return false;
    settled = true;
    removePending?.();
    return true;
  };
  const removePending = pending?.add(() => {
    if (finish() && count > 0) {
      guard.drop(kind, "exporter never reported a result", undefined, count);
    }
  });
  const report = (result: ExportResult): void => {
    if (!finish()) return;
    if (result.code !== EXPORT_SUCCESS && count > 0) {
      guard.drop(kind, reason, result.error, count);
    }
    try {
      resultCallback(result);
    } catch (error) {
      callbackError = { error };
      throw error;
    }
  };
  try {
    start(report);
  } catch (error) {
    if (callbackError !== undefined && callbackError.error === error) {
      throw error;
    }
    report({ code: EXPORT_FAILED, error: toError(error) });
  }
}

/**
 * Wraps a span exporter so that every failed export counts its spans as
 * dropped, logs the cause, and still reports the failure to the SDK.
 * Exports still pending when `pending.abandon()` runs count as dropped.
 */
export function countSpanExportDrops(
  exporter: SpanExporter,
  guard: TelemetryGuard,
  pending?: PendingExports,
): SpanExporter {
  const wrapped: SpanExporter = {
    export(spans: ReadableSpan[], resultCallback) {
      exportOnce(
        SPAN_EXPORT_DROP,
        "span exporter failed",
        spans.length,
        guard,
        pending,
        (report) => {
          exporter.export(spans, report);
        },
        resultCallback,
      );
    },
    shutdown: () => exporter.shutdown(),
  };
  if (exporter.forceFlush !== undefined) {
    const forceFlush = exporter.forceFlush.bind(exporter);
    wrapped.forceFlush = () => forceFlush();
  }
  return wrapped;
}

/** Number of data points in one metric export. */
function countDataPoints(resourceMetrics: ResourceMetrics): number {
  let count = 0;
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      count += metric.dataPoints.length;
    }
  }
  return count;
}

/**
 * Wraps a push metric exporter so that every failed export counts its data
 * points as dropped and logs the cause. The aggregation selectors of the
 * inner exporter are kept. Exports still pending when `pending.abandon()`
 * runs count as dropped.
 */
export function countMetricExportDrops(
  exporter: PushMetricExporter,
  guard: TelemetryGuard,
  pending?: PendingExports,
): PushMetricExporter {
  const wrapped: PushMetricExporter = {
    export(resourceMetrics, resultCallback) {
      exportOnce(
        METRIC_EXPORT_DROP,
        "metric exporter failed",
        countDataPoints(resourceMetrics),
        guard,
        pending,
        (report) => {
          exporter.export(resourceMetrics, report);
        },
        resultCallback,
      );
    },
    forceFlush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown(),
  };
  if (exporter.selectAggregationTemporality !== undefined) {
    wrapped.selectAggregationTemporality =
      exporter.selectAggregationTemporality.bind(exporter);
  }
  if (exporter.selectAggregation !== undefined) {
    wrapped.selectAggregation = exporter.selectAggregation.bind(exporter);
  }
  return wrapped;
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/**
 * Message of `BatchSpanProcessorBase` in `@opentelemetry/sdk-trace` 2.x when
 * its queue was full. The processor reports the count on the next span.
 */
const QUEUE_DROP_MESSAGE = /^Dropped (\d+) spans because maxQueueSize reached/;

/** Diagnostic loggers of the running telemetry setups, latest last. */
const activeBridges: DiagLogger[] = [];

/** Forwards to the latest running setup's diagnostic logger. */
function forwardToLatest(level: keyof DiagLogger) {
  return (message: string, ...args: unknown[]): void => {
    activeBridges.at(-1)?.[level](message, ...args);
  };
}

const latestBridge: DiagLogger = {
  error: forwardToLatest("error"),
  warn: forwardToLatest("warn"),
  info: forwardToLatest("info"),
  debug: forwardToLatest("debug"),
  verbose: forwardToLatest("verbose"),
};

/**
 * Routes the SDK's own diagnostics at `warn` and above to `logger`, and
 * counts the spans that a full batch processor queue discarded, which the
 * SDK reports only through a diagnostic message. Returns a function that
 * removes this bridge again.
 *
 * `diag` has one global logger, so while several setups run, the one
 * started last receives the diagnostics. Removing it hands them back to
 * the one before, and removing the last bridge disables `diag`.
 * NOTE: a `diag` logger that the application set before the first setup
 * is replaced, and it is not restored after the last one is removed.
 */
export function bridgeDiagnostics(
  logger: ObservabilityLogger,
  guard: TelemetryGuard,
): () => void {
  const forward =
    (level: "warn" | "error") =>
    (message: string, ...args: unknown[]): void => {
      const queueDrop = QUEUE_DROP_MESSAGE.exec(message);
      if (queueDrop !== null) {
        guard.drop(
          SPAN_QUEUE_DROP,
          "batch span processor queue was full",
          undefined,
          Number(queueDrop[1]),
        );
        return;
      }
      try {
        const fields: Record<string, unknown> = {};
        if (args.length > 0) fields["details"] = args;
        logger[level](fields, `OpenTelemetry SDK: ${message}`);
      } catch {
        // A failing logger must not throw into the SDK.
      }
    };
  const ignore = (): void => undefined;
  const bridge: DiagLogger = {
    error: forward("error"),
    warn: forward("warn"),
    info: ignore,
    debug: ignore,
    verbose: ignore,
  };
  activeBridges.push(bridge);
  diag.setLogger(latestBridge, {
    logLevel: DiagLogLevel.WARN,
    suppressOverrideMessage: true,
  });
  return () => {
    const index = activeBridges.indexOf(bridge);
    if (index === -1) return;
    activeBridges.splice(index, 1);
    if (activeBridges.length === 0) diag.disable();
  };
}
