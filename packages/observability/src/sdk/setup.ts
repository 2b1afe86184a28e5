import { metrics, trace } from "@opentelemetry/api";
import type {
  MeterProvider as ApiMeterProvider,
  TracerProvider,
} from "@opentelemetry/api";
import type * as OtlpMetrics from "@opentelemetry/exporter-metrics-otlp-http";
import type * as OtlpTrace from "@opentelemetry/exporter-trace-otlp-http";
import type * as Resources from "@opentelemetry/resources";
import type { Resource } from "@opentelemetry/resources";
import type * as SdkMetrics from "@opentelemetry/sdk-metrics";
import type { MetricReader } from "@opentelemetry/sdk-metrics";
import type * as SdkTrace from "@opentelemetry/sdk-trace-base";
import type { SpanExporter } from "@opentelemetry/sdk-trace-base";

import { noopLogger } from "../logger-port.js";
import type { ObservabilityLogger } from "../logger-port.js";
import { createTelemetryGuard } from "../telemetry/guard.js";
import type { TelemetryGuard } from "../telemetry/guard.js";
import {
  bridgeDiagnostics,
  countMetricExportDrops,
  countSpanExportDrops,
  PendingExports,
} from "./export-drops.js";
import { importOptionalPeer } from "./load.js";
import { validateSetupOptions } from "./options.js";
import type {
  MetricsOptions,
  SetupTelemetryOptions,
  TracesOptions,
} from "./options.js";
import { startPrometheus } from "./prometheus.js";
import type { PrometheusEndpoint } from "./prometheus.js";

type ResourcesModule = typeof Resources;
type MetricsModule = typeof SdkMetrics;
type TraceModule = typeof SdkTrace;

/** The providers that {@link setupTelemetry} started. */
export interface TelemetryHandle {
  /** Meter provider, or undefined when metrics were not configured. */
  readonly meterProvider: ApiMeterProvider | undefined;
  /** Tracer provider, or undefined when traces were not configured. */
  readonly tracerProvider: TracerProvider | undefined;
  /** Prometheus scrape URL with the bound port, when Prometheus is on. */
  readonly prometheusUrl: string | undefined;
  /**
   * Guard that counts dropped spans and data points by kind, such as
   * `span export`, `span queue` and `metric export`.
   */
  readonly guard: TelemetryGuard;
  /** Exports everything buffered so far; failures are logged, not thrown. */
  forceFlush(): Promise<void>;
  /**
   * Flushes, stops the exporters and the Prometheus server and removes the
   * global providers that this setup registered. Failures are logged, not
   * thrown. Later calls return the first call's promise.
   */
  shutdown(): Promise<void>;
}

/**
 * Sets up the OpenTelemetry SDK: a tracer provider exporting over OTLP/HTTP
 * and a meter provider serving Prometheus or pushing OTLP. The SDK packages
 * are optional peers loaded on demand; a missing one raises
 * DEPENDENCY_MISSING naming it.
 *
 * NOTE: no context manager is registered, so the active span does not
 * follow `await` unless the application registers one (for example from
 * `@opentelemetry/context-async-hooks`).
 */
export async function setupTelemetry(
  options: SetupTelemetryOptions,
): Promise<TelemetryHandle> {
  validateSetupOptions(options);
  const logger = options.logger ?? noopLogger;
  const guard = options.guard ?? createTelemetryGuard({ logger });
  const pending = new PendingExports();
  const resources = await importOptionalPeer<ResourcesModule>(
    "@opentelemetry/resources",
  );
  const resource = resources.resourceFromAttributes({
    "service.name": options.serviceName,
    ...(options.serviceVersion === undefined
      ? {}
      : { "service.version": options.serviceVersion }),
  });
  const tracing =
    options.traces === undefined
      ? undefined
      : await startTracing(options.traces, resource, guard, pending);
  const metered =
    options.metrics === undefined
      ? undefined
      : await startMetrics(options.metrics, resource, guard, pending);
  const registerGlobal = options.registerGlobal ?? true;
  const removeDiagnostics =
    (options.diagnostics ?? registerGlobal)
      ? bridgeDiagnostics(logger, guard)
      : undefined;
  const registered = registerGlobal
    ? registerProviders(tracing, metered?.provider, logger)
    : { traces: false, metrics: false };
  logger.info(
    {
      serviceName: options.serviceName,
      traces: tracing !== undefined,
      metrics: metered !== undefined,
      prometheusUrl: metered?.prometheus?.url,
    },
    "telemetry started",
  );
  return createHandle({
    tracing,
    metered,
    registered,
    logger,
    guard,
    pending,
    removeDiagnostics,
  });
}

/** Global providers that one setup registered. */
interface RegisteredProviders {
  readonly traces: boolean;
  readonly metrics: boolean;
}

/**
 * Registers the providers globally. `@opentelemetry/api` keeps the first
 * provider registered, so while an earlier setup runs, a later one is not
 * registered. That is logged, and the later setup's shutdown leaves the
 * earlier setup's providers in place.
 */
function registerProviders(
  tracing: TracerProvider | undefined,
  meterProvider: ApiMeterProvider | undefined,
  logger: ObservabilityLogger,
): RegisteredProviders {
  const traces =
    tracing !== undefined && trace.setGlobalTracerProvider(tracing);
  const metered =
    meterProvider !== undefined &&
    metrics.setGlobalMeterProvider(meterProvider);
  const rejected = [
    ...(tracing !== undefined && !traces ? ["tracer"] : []),
    ...(meterProvider !== undefined && !metered ? ["meter"] : []),
  ];
  if (rejected.length > 0) {
    logger.warn(
      { providers: rejected },
      "global telemetry providers not registered because another setup registered them first; shut that one down first, or pass registerGlobal: false and use the handle's providers",
    );
  }
  return { traces, metrics: metered };
}

async function startTracing(
  options: TracesOptions,
  resource: Resource,
  guard: TelemetryGuard,
  pending: PendingExports,
): Promise<InstanceType<TraceModule["BasicTracerProvider"]>> {
  const sdk = await importOptionalPeer<TraceModule>(
    "@opentelemetry/sdk-trace-base",
  );
  const exporters: SpanExporter[] = [];
  if (options.exporter !== undefined) {
    exporters.push(options.exporter);
  }
  if (options.otlp !== undefined) {
    const otlp = await importOptionalPeer<typeof OtlpTrace>(
      "@opentelemetry/exporter-trace-otlp-http",
    );
    exporters.push(
      new otlp.OTLPTraceExporter({
        url: options.otlp.url,
        headers: { ...options.otlp.headers },
      }),
    );
  }
  return new sdk.BasicTracerProvider({
    resource,
    spanProcessors: exporters.map(
      (exporter) =>
        new sdk.BatchSpanProcessor(
          countSpanExportDrops(exporter, guard, pending),
        ),
    ),
  });
}

interface StartedMetrics {
  readonly provider: InstanceType<MetricsModule["MeterProvider"]>;
  readonly prometheus: PrometheusEndpoint | undefined;
}

async function startMetrics(
  options: MetricsOptions,
  resource: Resource,
  guard: TelemetryGuard,
  pending: PendingExports,
): Promise<StartedMetrics> {
  const sdk = await importOptionalPeer<MetricsModule>(
    "@opentelemetry/sdk-metrics",
  );
  const readers: MetricReader[] = [...(options.readers ?? [])];
  let prometheus: PrometheusEndpoint | undefined;
  if (options.otlp !== undefined) {
    const otlp = await importOptionalPeer<typeof OtlpMetrics>(
      "@opentelemetry/exporter-metrics-otlp-http",
    );
    const exporter = new otlp.OTLPMetricExporter({
      url: options.otlp.url,
      headers: { ...options.otlp.headers },
    });
    readers.push(
      new sdk.PeriodicExportingMetricReader({
        exporter: countMetricExportDrops(exporter, guard, pending),
        exportIntervalMillis: options.otlp.intervalMillis ?? 60_000,
      }),
    );
  }
  if (options.prometheus !== undefined) {
    prometheus = await startPrometheus(
      options.prometheus.host ?? "127.0.0.1",
      options.prometheus.port ?? 9464,
    );
    // NOTE: the Prometheus exporter may resolve its own patch release of
    // sdk-metrics. The reader contract is the same, and only the private
    // class fields differ for the type checker.
    readers.push(prometheus.exporter as unknown as MetricReader);
  }
  return { provider: new sdk.MeterProvider({ resource, readers }), prometheus };
}

interface StartedTelemetry {
  readonly tracing:
    InstanceType<TraceModule["BasicTracerProvider"]> | undefined;
  readonly metered: StartedMetrics | undefined;
  readonly registered: RegisteredProviders;
  readonly logger: ObservabilityLogger;
  readonly guard: TelemetryGuard;
  readonly pending: PendingExports;
  readonly removeDiagnostics: (() => void) | undefined;
}

function createHandle(started: StartedTelemetry): TelemetryHandle {
  const { tracing, metered, registered, logger, guard } = started;
  const settle = async (
    step: string,
    work: (() => Promise<void>) | undefined,
  ): Promise<void> => {
    if (work === undefined) return;
    try {
      await work();
    } catch (error) {
      logger.error({ err: error, step }, "telemetry step failed");
    }
  };
  let stopped: Promise<void> | undefined;
  return {
    meterProvider: metered?.provider,
    tracerProvider: tracing,
    prometheusUrl: metered?.prometheus?.url,
    guard,
    async forceFlush() {
      await settle("trace flush", tracing && (() => tracing.forceFlush()));
      await settle(
        "metric flush",
        metered && (() => metered.provider.forceFlush()),
      );
    },
    shutdown() {
      stopped ??= stop();
      return stopped;
    },
  };

  async function stop(): Promise<void> {
    if (registered.traces) trace.disable();
    if (registered.metrics) metrics.disable();
    await settle("trace shutdown", tracing && (() => tracing.shutdown()));
    await settle(
      "metric shutdown",
      metered && (() => metered.provider.shutdown()),
    );
    const prometheus = metered?.prometheus;
    await settle("prometheus close", prometheus && (() => prometheus.close()));
    // The processors and readers have stopped waiting, so exports that
    // have not reported a result by now are lost.
    started.pending.abandon();
    started.removeDiagnostics?.();
    logger.info({ dropped: guard.dropped() }, "telemetry stopped");
  }
}
