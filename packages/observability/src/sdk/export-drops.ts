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
 * Wraps a span exporter so that every failed export counts its spans as
 * dropped, logs the cause, and still reports the failure to the SDK.
 */
export function countSpanExportDrops(
  exporter: SpanExporter,
  guard: TelemetryGuard,
): SpanExporter {
  const wrapped: SpanExporter = {
    export(spans: ReadableSpan[], resultCallback) {
      const report = (result: ExportResult): void => {
        if (result.code !== EXPORT_SUCCESS && spans.length > 0) {
          guard.drop(
            SPAN_EXPORT_DROP,
            "span exporter failed",
            result.error,
            spans.length,
          );
        }
        resultCallback(result);
      };
      try {
        exporter.export(spans, report);
      } catch (error) {
        report({ code: EXPORT_FAILED, error: toError(error) });
      }
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
 * inner exporter are kept.
 */
export function countMetricExportDrops(
  exporter: PushMetricExporter,
  guard: TelemetryGuard,
): PushMetricExporter {
  const wrapped: PushMetricExporter = {
    export(resourceMetrics, resultCallback) {
      const report = (result: ExportResult): void => {
        const points = countDataPoints(resourceMetrics);
        if (result.code !== EXPORT_SUCCESS && points > 0) {
          guard.drop(
            METRIC_EXPORT_DROP,
            "metric exporter failed",
            result.error,
            points,
          );
        }
        resultCallback(result);
      };
      try {
        exporter.export(resourceMetrics, report);
      } catch (error) {
        report({ code: EXPORT_FAILED, error: toError(error) });
      }
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
 * its queue was full; the processor reports the count on the next span.
 */
const QUEUE_DROP_MESSAGE = /^Dropped (\d+) spans because maxQueueSize reached/;

/**
 * Routes the SDK's own diagnostics at `warn` and above to `logger`, and
 * counts the spans that a full batch processor queue discarded, which the
 * SDK reports only through a diagnostic message. Returns a function that
 * removes the diagnostic logger again.
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
  diag.setLogger(bridge, {
    logLevel: DiagLogLevel.WARN,
    suppressOverrideMessage: true,
  });
  return () => {
    diag.disable();
  };
}
