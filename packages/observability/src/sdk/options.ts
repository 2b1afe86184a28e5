import type { MetricReader } from "@opentelemetry/sdk-metrics";
import type { SpanExporter } from "@opentelemetry/sdk-trace-base";

import { throwIfIssues } from "../errors.js";
import type { ObservabilityIssue } from "../errors.js";
import type { ObservabilityLogger } from "../logger-port.js";
import type { TelemetryGuard } from "../telemetry/guard.js";

/** Destinations of traces. */
export interface TracesOptions {
  /** Export over OTLP/HTTP to `url`, such as `http://127.0.0.1:4318/v1/traces`. */
  readonly otlp?: {
    readonly url: string;
    readonly headers?: Record<string, string>;
  };
  /** Export to this exporter instead, such as the SDK's in-memory exporter. */
  readonly exporter?: SpanExporter;
}

/** Destinations of metrics. */
export interface MetricsOptions {
  /**
   * Serve Prometheus text on `http://host:port/metrics`. Port 0 picks a
   * free port; see {@link TelemetryHandle.prometheusUrl}.
   */
  readonly prometheus?: {
    /** @default 9464 */
    readonly port?: number;
    /** @default "127.0.0.1" */
    readonly host?: string;
  };
  /** Push over OTLP/HTTP to `url`, such as `http://127.0.0.1:4318/v1/metrics`. */
  readonly otlp?: {
    readonly url: string;
    readonly headers?: Record<string, string>;
    /** @default 60000 */
    readonly intervalMillis?: number;
  };
  /** Extra readers, such as a periodic reader on an in-memory exporter. */
  readonly readers?: readonly MetricReader[];
}

/** Options of {@link setupTelemetry}. */
export interface SetupTelemetryOptions {
  /** Value of the `service.name` resource attribute. */
  readonly serviceName: string;
  /**
   * Value of the `service.version` resource attribute.
   * @default undefined
   */
  readonly serviceVersion?: string;
  /**
   * Trace export; omit to set up no tracer provider.
   * @default undefined
   */
  readonly traces?: TracesOptions;
  /**
   * Metric export; omit to set up no meter provider.
   * @default undefined
   */
  readonly metrics?: MetricsOptions;
  /**
   * Whether to register the providers as the global ones of
   * `@opentelemetry/api`.
   * @default true
   */
  readonly registerGlobal?: boolean;
  /**
   * Logger for starts, stops and export errors.
   * @default noopLogger
   */
  readonly logger?: ObservabilityLogger;
  /**
   * Guard that counts the spans and data points that the SDK failed to
   * export or discarded from a full queue. Pass the guard of the
   * application's metrics to see all drops in one place.
   * @default a new guard that logs to `logger`
   */
  readonly guard?: TelemetryGuard;
  /**
   * Whether to route the SDK's own warnings and errors to `logger` through
   * the global `diag` logger of `@opentelemetry/api`. Spans discarded from
   * a full batch queue are counted only when this is on.
   * @default the value of `registerGlobal`
   */
  readonly diagnostics?: boolean;
}

function checkUrl(
  issues: ObservabilityIssue[],
  path: string,
  url: unknown,
): void {
  let valid = false;
  if (typeof url === "string") {
    try {
      valid = ["http:", "https:"].includes(new URL(url).protocol);
    } catch {
      valid = false;
    }
  }
  if (!valid) {
    issues.push({
      path,
      value: url,
      message:
        "must be an http or https URL such as http://127.0.0.1:4318/v1/traces",
    });
  }
}

/** Validates setup options and throws INVALID_OPTIONS listing every problem. */
export function validateSetupOptions(options: SetupTelemetryOptions): void {
  const issues: ObservabilityIssue[] = [];
  if (
    typeof options.serviceName !== "string" ||
    options.serviceName.trim() === ""
  ) {
    issues.push({
      path: "serviceName",
      value: options.serviceName,
      message: 'must be a non-empty string such as "rfcc-server"',
    });
  }
  if (options.traces?.otlp !== undefined) {
    checkUrl(issues, "traces.otlp.url", options.traces.otlp.url);
  }
  if (options.metrics?.otlp !== undefined) {
    checkUrl(issues, "metrics.otlp.url", options.metrics.otlp.url);
    const interval = options.metrics.otlp.intervalMillis;
    if (
      interval !== undefined &&
      !(Number.isInteger(interval) && interval > 0)
    ) {
      issues.push({
        path: "metrics.otlp.intervalMillis",
        value: interval,
        message: "must be a positive integer in milliseconds",
      });
    }
  }
  const port = options.metrics?.prometheus?.port;
  if (
    port !== undefined &&
    !(Number.isInteger(port) && port >= 0 && port <= 65_535)
  ) {
    issues.push({
      path: "metrics.prometheus.port",
      value: port,
      message: "must be an integer from 0 to 65535; 0 picks a free port",
    });
  }
  throwIfIssues("telemetry options", issues);
}
