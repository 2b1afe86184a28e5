import { createServer } from "node:http";
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";

import { diag, metrics, trace } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import type { SpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, it, vi } from "vitest";

import { isObservabilityError } from "../errors.js";
import { createTelemetryGuard } from "../telemetry/guard.js";
import { createHttpServerMetrics } from "../telemetry/http-metrics.js";
import { createRecordingLogger } from "../telemetry/test-support.js";
import { countSpanExportDrops } from "./export-drops.js";
import { importOptionalPeer, SDK_PEER_RANGES } from "./load.js";
import { setupTelemetry } from "./setup.js";
import type { TelemetryHandle } from "./setup.js";

let handle: TelemetryHandle | undefined;
let collector: Server | undefined;

afterEach(async () => {
  vi.unstubAllEnvs();
  await handle?.shutdown();
  handle = undefined;
  const server = collector;
  collector = undefined;
  if (server !== undefined) {
    await new Promise((resolve) => server.close(resolve));
  }
});

/**
 * Starts a loopback OTLP collector that stores the paths it receives and
 * responds to each request with `status`.
 */
async function startCollector(
  status = 200,
): Promise<{ url: string; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    request.resume();
    request.on("end", () => {
      paths.push(request.url ?? "");
      response.writeHead(status, { "content-type": "application/json" });
      response.end("{}");
    });
  });
  collector = server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, paths };
}

describe("setupTelemetry", () => {
  it("serves Prometheus metrics on loopback", async () => {
    handle = await setupTelemetry({
      serviceName: "rfcc-test",
      metrics: { prometheus: { host: "127.0.0.1", port: 0 } },
      registerGlobal: false,
    });
    const meter = handle.meterProvider?.getMeter("test");
    expect(meter).toBeDefined();
    if (meter === undefined) return;
    const http = createHttpServerMetrics({
      meter,
      guard: createTelemetryGuard(),
    });
    http.record({
      method: "POST",
      route: "/v1/compress",
      statusCode: 200,
      durationSeconds: 0.02,
    });

    expect(handle.prometheusUrl).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/metrics$/u,
    );
    const response = await fetch(handle.prometheusUrl ?? "", {
      signal: AbortSignal.timeout(5_000),
    });
    const text = await response.text();
    expect(response.status).toBe(200);
    // exporter-prometheus 0.223 keeps the unit in a UNIT line, not the name.
    expect(text).toContain("# UNIT http_server_request_duration s");
    expect(text).toContain("http_server_request_duration_bucket{");
    expect(text).toContain('http_route="/v1/compress"');
    expect(text).toContain('le="0.025"');
  });

  it("exports spans to an in-memory exporter and OTLP", async () => {
    const { url, paths } = await startCollector();
    const exporter = new InMemorySpanExporter();
    handle = await setupTelemetry({
      serviceName: "rfcc-test",
      traces: { exporter, otlp: { url: `${url}/v1/traces` } },
    });
    trace.getTracer("test").startSpan("compress").end();
    await handle.forceFlush();
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe("compress");
    expect(span?.resource.attributes["service.name"]).toBe("rfcc-test");
    expect(paths).toEqual(["/v1/traces"]);
  });

  it("pushes metrics over OTLP to a loopback collector", async () => {
    const { url, paths } = await startCollector();
    handle = await setupTelemetry({
      serviceName: "rfcc-test",
      metrics: {
        otlp: { url: `${url}/v1/metrics`, intervalMillis: 3_600_000 },
      },
    });
    metrics.getMeter("test").createCounter("retrieval_free.test").add(1);
    await handle.forceFlush();
    expect(paths).toEqual(["/v1/metrics"]);
  });

  it("counts spans that an exporter failed to send", async () => {
    const failing: SpanExporter = {
      export(_spans, resultCallback) {
        // Code 1 is ExportResultCode.FAILED of @opentelemetry/core.
        // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment
        resultCallback({ code: 1, error: new Error("collector is down") });
      },
      shutdown: () => Promise.resolve(),
    };
    const logger = createRecordingLogger();
    handle = await setupTelemetry({
      serviceName: "rfcc-test",
      traces: { exporter: failing },
      registerGlobal: false,
      logger,
    });
    const tracer = handle.tracerProvider?.getTracer("test");
    tracer?.startSpan("first").end();
    tracer?.startSpan("second").end();
    tracer?.startSpan("third").end();
    await handle.forceFlush();
    expect(handle.guard.dropped()).toEqual({ "span export": 3 });
    const warning = logger.records.find(
      (record) => record.message === "telemetry data dropped",
    );
    expect(warning?.fields["kind"]).toBe("span export");
  });

  it("counts metric data points that OTLP rejected", async () => {
    const { url, paths } = await startCollector(400);
    handle = await setupTelemetry({
      serviceName: "rfcc-test",
      metrics: {
        otlp: { url: `${url}/v1/metrics`, intervalMillis: 3_600_000 },
      },
      registerGlobal: false,
    });
    const meter = handle.meterProvider?.getMeter("test");
    meter?.createCounter("retrieval_free.test").add(1);
    meter?.createCounter("retrieval_free.other").add(2, { route: "/a" });
    meter?.createCounter("retrieval_free.other").add(2, { route: "/b" });
    await handle.forceFlush();
    expect(paths).toEqual(["/v1/metrics"]);
    expect(handle.guard.dropped()).toEqual({ "metric export": 3 });
  });

  it("counts spans dropped from a full batch queue", async () => {
    vi.stubEnv("OTEL_BSP_MAX_QUEUE_SIZE", "2");
    vi.stubEnv("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "2");
    const exporter = new InMemorySpanExporter();
    handle = await setupTelemetry({
      serviceName: "rfcc-test",
      traces: { exporter },
      registerGlobal: false,
      diagnostics: true,
    });
    const tracer = handle.tracerProvider?.getTracer("test");
    // The first two spans go out as one batch, the next two wait in the
    // queue while that export runs, and the last three find it full.
    for (let index = 0; index < 7; index++) {
      tracer?.startSpan(`burst ${index}`).end();
    }
    await handle.forceFlush();
    // The SDK reports queue drops when the next span enters the queue.
    tracer?.startSpan("after the burst").end();
    await handle.forceFlush();
    expect(exporter.getFinishedSpans()).toHaveLength(5);
    expect(handle.guard.dropped()).toEqual({ "span queue": 3 });
  });

  it("routes SDK warnings to the logger until shutdown", async () => {
    const logger = createRecordingLogger();
    handle = await setupTelemetry({
      serviceName: "rfcc-test",
      registerGlobal: false,
      diagnostics: true,
      logger,
    });
    diag.warn("exporter endpoint is slow");
    diag.info("ignored below warn");
    await handle.shutdown();
    handle = undefined;
    diag.warn("after shutdown");
    expect(logger.records.map((record) => record.message)).toEqual([
      "telemetry started",
      "OpenTelemetry SDK: exporter endpoint is slow",
      "telemetry stopped",
    ]);
  });

  it("removes the global providers on shutdown", async () => {
    const logger = createRecordingLogger();
    handle = await setupTelemetry({
      serviceName: "rfcc-test",
      traces: { exporter: new InMemorySpanExporter() },
      logger,
    });
    expect(trace.getTracerProvider()).not.toBe(undefined);
    await handle.shutdown();
    handle = undefined;
    const span = trace.getTracer("test").startSpan("after");
    expect(span.isRecording()).toBe(false);
    expect(logger.records.map((record) => record.message)).toEqual([
      "telemetry started",
      "telemetry stopped",
    ]);
  });

  it("lists every invalid option", async () => {
    const error: unknown = await setupTelemetry({
      serviceName: "",
      traces: { otlp: { url: "ftp://x" } },
      metrics: { prometheus: { port: 70_000 } },
    }).catch((caught: unknown) => caught);
    expect(isObservabilityError(error)).toBe(true);
    const issues = isObservabilityError(error) ? error.issues : [];
    expect(issues.map((issue) => issue.path)).toEqual([
      "serviceName",
      "traces.otlp.url",
      "metrics.prometheus.port",
    ]);
  });
});

describe("export drop counting", () => {
  // Codes 0 and 1 are ExportResultCode.SUCCESS and FAILED of
  // @opentelemetry/core.
  /* eslint-disable @typescript-eslint/no-unsafe-enum-assignment */
  const spans = [{}, {}] as never[];

  it("counts a batch once when reported twice", () => {
    const guard = createTelemetryGuard();
    const exporter: SpanExporter = {
      export(_spans, resultCallback) {
        resultCallback({ code: 1 });
        resultCallback({ code: 1 });
        resultCallback({ code: 0 });
      },
      shutdown: () => Promise.resolve(),
    };
    const results: unknown[] = [];
    countSpanExportDrops(exporter, guard).export(spans, (result) => {
      results.push(result.code);
    });
    expect(results).toEqual([1]);
    expect(guard.dropped()).toEqual({ "span export": 2 });
  });

  it("ignores a throw after a successful report", () => {
    const guard = createTelemetryGuard();
    const exporter: SpanExporter = {
      export(_spans, resultCallback) {
        resultCallback({ code: 0 });
        throw new Error("cleanup failed");
      },
      shutdown: () => Promise.resolve(),
    };
    const results: unknown[] = [];
    countSpanExportDrops(exporter, guard).export(spans, (result) => {
      results.push(result.code);
    });
    expect(results).toEqual([0]);
    expect(guard.dropped()).toEqual({});
  });

  it("rethrows an error of the SDK's callback", () => {
    const guard = createTelemetryGuard();
    const exporter: SpanExporter = {
      export(_spans, resultCallback) {
        resultCallback({ code: 1 });
      },
      shutdown: () => Promise.resolve(),
    };
    let calls = 0;
    const run = (): void => {
      countSpanExportDrops(exporter, guard).export(spans, () => {
        calls += 1;
        throw new Error("processor failed");
      });
    };
    expect(run).toThrow("processor failed");
    expect(calls).toBe(1);
    expect(guard.dropped()).toEqual({ "span export": 2 });
  });
  /* eslint-enable @typescript-eslint/no-unsafe-enum-assignment */

  it("counts spans of an export that never ends", async () => {
    // The batch processor stops waiting for an export after this timeout.
    vi.stubEnv("OTEL_BSP_EXPORT_TIMEOUT", "50");
    const silent: SpanExporter = {
      export: () => undefined,
      shutdown: () => Promise.resolve(),
    };
    const logger = createRecordingLogger();
    handle = await setupTelemetry({
      serviceName: "rfcc-test",
      traces: { exporter: silent },
      registerGlobal: false,
      logger,
    });
    const tracer = handle.tracerProvider?.getTracer("test");
    tracer?.startSpan("first").end();
    tracer?.startSpan("second").end();
    await handle.shutdown();
    expect(handle.guard.dropped()).toEqual({ "span export": 2 });
    const stopped = logger.records.find(
      (record) => record.message === "telemetry stopped",
    );
    expect(stopped?.fields["dropped"]).toEqual({ "span export": 2 });
  });
});

describe("setupTelemetry run twice", () => {
  let first: TelemetryHandle | undefined;

  afterEach(async () => {
    await first?.shutdown();
    first = undefined;
  });

  it("keeps diagnostics of the other setup", async () => {
    const earlier = createRecordingLogger();
    const later = createRecordingLogger();
    first = await setupTelemetry({
      serviceName: "rfcc-first",
      registerGlobal: false,
      diagnostics: true,
      logger: earlier,
    });
    handle = await setupTelemetry({
      serviceName: "rfcc-second",
      registerGlobal: false,
      diagnostics: true,
      logger: later,
    });
    diag.warn("to the later setup");
    await first.shutdown();
    diag.warn("still to the later setup");
    await handle.shutdown();
    handle = undefined;
    diag.warn("after both shut down");
    const messages = (records: typeof earlier.records): string[] =>
      records
        .map((record) => record.message)
        .filter((message) => message.startsWith("OpenTelemetry SDK"));
    expect(messages(earlier.records)).toEqual([]);
    expect(messages(later.records)).toEqual([
      "OpenTelemetry SDK: to the later setup",
      "OpenTelemetry SDK: still to the later setup",
    ]);
  });

  it("keeps the earlier global providers", async () => {
    const earlierSpans = new InMemorySpanExporter();
    const later = createRecordingLogger();
    first = await setupTelemetry({
      serviceName: "rfcc-first",
      traces: { exporter: earlierSpans },
    });
    handle = await setupTelemetry({
      serviceName: "rfcc-second",
      traces: { exporter: new InMemorySpanExporter() },
      logger: later,
    });
    const notRegistered = later.records.find((record) =>
      record.message.startsWith("global telemetry providers not registered"),
    );
    expect(notRegistered?.fields["providers"]).toEqual(["tracer"]);
    await handle.shutdown();
    await handle.shutdown();
    handle = undefined;
    trace.getTracer("test").startSpan("after the later shutdown").end();
    await first.forceFlush();
    const names = earlierSpans.getFinishedSpans().map((span) => span.name);
    expect(names).toEqual(["after the later shutdown"]);
  });
});

describe("importOptionalPeer", () => {
  it("names the declared peer ranges", async () => {
    const manifest = (await import("../../package.json", {
      with: { type: "json" },
    })) as {
      default: {
        peerDependencies: Record<string, string>;
        devDependencies: Record<string, string>;
      };
    };
    const { peerDependencies, devDependencies } = manifest.default;
    for (const [name, range] of Object.entries(SDK_PEER_RANGES)) {
      // The main entry accepts any 1.x api from 1.9, the SDK only 1.9.
      const declared =
        name === "@opentelemetry/api"
          ? devDependencies[name]
          : peerDependencies[name];
      expect(declared, name).toBe(range);
    }
  });

  it("names a missing package in DEPENDENCY_MISSING", async () => {
    const error: unknown = await importOptionalPeer(
      "@retrieval-free/not-installed-peer",
    ).catch((caught: unknown) => caught);
    expect(isObservabilityError(error)).toBe(true);
    expect(isObservabilityError(error) ? error.code : "").toBe(
      "DEPENDENCY_MISSING",
    );
    expect(error instanceof Error ? error.message : "").toContain(
      "@retrieval-free/not-installed-peer",
    );
  });
});
