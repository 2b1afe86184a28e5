import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import type {
  DataPoint,
  Histogram,
  MetricData,
} from "@opentelemetry/sdk-metrics";

import type { LogMethod, ObservabilityLogger } from "../logger-port.js";

/** A meter provider whose data points tests read after a flush. */
export interface MetricsHarness {
  readonly provider: MeterProvider;
  /** Flushes and returns every exported metric of the last collection. */
  collect(): Promise<MetricData[]>;
  shutdown(): Promise<void>;
}

/** Creates a {@link MetricsHarness} on the SDK's in-memory exporter. */
export function createMetricsHarness(): MetricsHarness {
  const exporter = new InMemoryMetricExporter(
    AggregationTemporality.CUMULATIVE,
  );
  const reader = new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: 3_600_000,
  });
  const provider = new MeterProvider({ readers: [reader] });
  return {
    provider,
    async collect() {
      await provider.forceFlush();
      const batches = exporter.getMetrics();
      const last = batches[batches.length - 1];
      return last?.scopeMetrics.flatMap((scope) => scope.metrics) ?? [];
    },
    shutdown: () => provider.shutdown(),
  };
}

/** Finds the histogram data points of one metric by name. */
export function histogramPoints(
  metrics: readonly MetricData[],
  name: string,
): DataPoint<Histogram>[] {
  const metric = metrics.find((item) => item.descriptor.name === name);
  return (metric?.dataPoints ?? []) as DataPoint<Histogram>[];
}

/** A logger that keeps records in memory, for checking what was logged. */
export interface RecordingLogger extends ObservabilityLogger {
  readonly records: {
    level: string;
    fields: Record<string, unknown>;
    message: string;
  }[];
}

/** Creates a {@link RecordingLogger}. */
export function createRecordingLogger(): RecordingLogger {
  const records: RecordingLogger["records"] = [];
  const method =
    (level: string): LogMethod =>
    (fields, message) => {
      records.push({ level, fields, message });
    };
  return {
    records,
    debug: method("debug"),
    info: method("info"),
    warn: method("warn"),
    error: method("error"),
  };
}
