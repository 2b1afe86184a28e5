import { createServer } from "node:http";
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";

import { metrics, trace } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, it } from "vitest";

import { isObservabilityError } from "../errors.js";
import { createTelemetryGuard } from "../telemetry/guard.js";
import { createHttpServerMetrics } from "../telemetry/http-metrics.js";
import { createRecordingLogger } from "../telemetry/test-support.js";
import { importOptionalPeer } from "./load.js";
import { setupTelemetry } from "./setup.js";
import type { TelemetryHandle } from "./setup.js";

let handle: TelemetryHandle | undefined;
let collector: Server | undefined;

afterEach(async () => {
  await handle?.shutdown();
  handle = undefined;
  const server = collector;
  collector = undefined;
  if (server !== undefined) {
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Starts a loopback OTLP collector that stores the paths it receives. */
async function startCollector(): Promise<{ url: string; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    request.resume();
    request.on("end", () => {
      paths.push(request.url ?? "");
      response.writeHead(200, { "content-type": "application/json" });
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

describe("importOptionalPeer", () => {
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
