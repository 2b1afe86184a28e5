import type { Meter } from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";

import {
  COMPRESS_METRIC_NAMES,
  createCompressionMetrics,
} from "./compress-metrics.js";
import type { CompressionRecord } from "./compress-metrics.js";
import { createTelemetryGuard } from "./guard.js";
import {
  createHttpServerMetrics,
  HTTP_SERVER_DURATION_BUCKETS,
  HTTP_SERVER_REQUEST_DURATION,
} from "./http-metrics.js";
import {
  createMetricsHarness,
  createRecordingLogger,
  histogramPoints,
} from "./test-support.js";
import type { MetricsHarness } from "./test-support.js";

let harness: MetricsHarness | undefined;

afterEach(async () => {
  await harness?.shutdown();
  harness = undefined;
});

function meterOf(): { meter: Meter; harness: MetricsHarness } {
  harness = createMetricsHarness();
  return { meter: harness.provider.getMeter("test"), harness };
}

/** Creates a meter whose instruments throw on every call. */
function throwingMeter(): Meter {
  const fail = (): never => {
    throw new Error("exporter state broken");
  };
  const instrument = { record: fail, add: fail };
  return {
    createHistogram: () => instrument,
    createCounter: () => instrument,
  } as unknown as Meter;
}

describe("createHttpServerMetrics", () => {
  it("records duration with the standard buckets and attributes", async () => {
    const { meter, harness } = meterOf();
    const metrics = createHttpServerMetrics({
      meter,
      guard: createTelemetryGuard(),
    });
    metrics.record({
      method: "get",
      route: "/v1/docs/:id",
      statusCode: 200,
      durationSeconds: 0.03,
    });
    const [point] = histogramPoints(
      await harness.collect(),
      HTTP_SERVER_REQUEST_DURATION,
    );
    expect(point?.value.buckets.boundaries).toEqual(
      HTTP_SERVER_DURATION_BUCKETS,
    );
    expect(point?.value.count).toBe(1);
    expect(point?.attributes).toEqual({
      "http.request.method": "GET",
      "http.response.status_code": 200,
      "http.route": "/v1/docs/:id",
    });
  });

  it("normalises a raw path and unknown methods", async () => {
    const { meter, harness } = meterOf();
    const metrics = createHttpServerMetrics({
      meter,
      guard: createTelemetryGuard(),
    });
    metrics.record({
      method: "BREW",
      route: "/v1/docs/42?x=1",
      statusCode: 404,
      durationSeconds: 0.001,
    });
    const [point] = histogramPoints(
      await harness.collect(),
      HTTP_SERVER_REQUEST_DURATION,
    );
    expect(point?.attributes["http.route"]).toBe("/v1/docs/:id");
    expect(point?.attributes["http.request.method"]).toBe("_OTHER");
  });

  it("drops and counts raw paths with the reject policy", async () => {
    const { meter, harness } = meterOf();
    const logger = createRecordingLogger();
    const guard = createTelemetryGuard({ logger });
    const metrics = createHttpServerMetrics({
      meter,
      guard,
      rawPaths: "reject",
    });
    metrics.record({
      method: "GET",
      route: "/v1/docs/42",
      statusCode: 200,
      durationSeconds: 0.01,
    });
    expect(
      histogramPoints(await harness.collect(), HTTP_SERVER_REQUEST_DURATION),
    ).toEqual([]);
    expect(guard.dropped()).toEqual({ "data-point": 1 });
    expect(logger.records[0]?.fields["reason"]).toBe("RAW_PATH_REJECTED");
  });

  it("never throws when the instrument fails", () => {
    const logger = createRecordingLogger();
    const guard = createTelemetryGuard({ logger });
    const metrics = createHttpServerMetrics({ meter: throwingMeter(), guard });
    for (let i = 0; i < 10; i += 1) {
      metrics.record({
        method: "GET",
        route: "/a",
        statusCode: 200,
        durationSeconds: 1,
      });
    }
    expect(guard.dropped()).toEqual({ "data-point": 10 });
    expect(logger.records.map((record) => record.fields["dropped"])).toEqual([
      1, 10,
    ]);
    expect(logger.records[0]?.message).toBe("telemetry data dropped");
  });
});

describe("createCompressionMetrics", () => {
  it("records tokens, ratio and duration with attributes", async () => {
    const { meter, harness } = meterOf();
    const metrics = createCompressionMetrics({
      meter,
      guard: createTelemetryGuard(),
    });
    metrics.record({
      inputTokens: 8000,
      outputTokens: 1000,
      durationSeconds: 0.2,
      encoder: "hashing",
      fallbackUsed: true,
    });
    const collected = await harness.collect();
    const attributes = {
      "retrieval_free.encoder": "hashing",
      "retrieval_free.fallback_used": true,
    };
    const expected: [string, number][] = [
      [COMPRESS_METRIC_NAMES.inputTokens, 8000],
      [COMPRESS_METRIC_NAMES.outputTokens, 1000],
      [COMPRESS_METRIC_NAMES.ratio, 8],
      [COMPRESS_METRIC_NAMES.duration, 0.2],
    ];
    for (const [name, sum] of expected) {
      const [point] = histogramPoints(collected, name);
      expect(point?.value.sum, name).toBe(sum);
      expect(point?.attributes, name).toEqual(attributes);
    }
  });

  it("skips the ratio when the output is empty", async () => {
    const { meter, harness } = meterOf();
    const metrics = createCompressionMetrics({
      meter,
      guard: createTelemetryGuard(),
    });
    metrics.record({
      inputTokens: 0,
      outputTokens: 0,
      durationSeconds: 0,
      encoder: "onnx",
      fallbackUsed: false,
    });
    expect(
      histogramPoints(await harness.collect(), COMPRESS_METRIC_NAMES.ratio),
    ).toEqual([]);
  });

  it("counts every failed data point", () => {
    const guard = createTelemetryGuard();
    const metrics = createCompressionMetrics({ meter: throwingMeter(), guard });
    metrics.record({
      inputTokens: 10,
      outputTokens: 5,
      durationSeconds: 0.1,
      encoder: "onnx",
      fallbackUsed: false,
    });
    expect(guard.dropped()).toEqual({ "data-point": 4 });
  });
});

describe("metrics with hostile input", () => {
  const goodRequest = {
    method: "GET",
    route: "/a",
    statusCode: 200,
    durationSeconds: 0.1,
  };

  it("drops and counts invalid request records", async () => {
    const { meter, harness } = meterOf();
    const guard = createTelemetryGuard();
    const metrics = createHttpServerMetrics({ meter, guard });
    const invalid: unknown[] = [
      undefined,
      null,
      { ...goodRequest, method: undefined },
      { ...goodRequest, statusCode: Number.NaN },
      { ...goodRequest, statusCode: 42 },
      { ...goodRequest, durationSeconds: -1 },
      { ...goodRequest, durationSeconds: Number.NaN },
      { ...goodRequest, durationSeconds: Number.POSITIVE_INFINITY },
      { ...goodRequest, durationSeconds: "0.2" },
    ];
    for (const request of invalid) {
      expect(() => {
        metrics.record(request as typeof goodRequest);
      }).not.toThrow();
    }
    metrics.record(goodRequest);
    expect(guard.dropped()).toEqual({ "data-point": invalid.length });
    const points = histogramPoints(
      await harness.collect(),
      HTTP_SERVER_REQUEST_DURATION,
    );
    expect(points).toHaveLength(1);
    expect(points[0]?.value.count).toBe(1);
    expect(points[0]?.value.sum).toBe(0.1);
  });

  it("counts requests when the instrument was not created", () => {
    const guard = createTelemetryGuard();
    const meter = {
      createHistogram: () => {
        throw new Error("meter broken");
      },
    } as unknown as Meter;
    const metrics = createHttpServerMetrics({ meter, guard });
    metrics.record(goodRequest);
    metrics.record(goodRequest);
    expect(guard.dropped()).toEqual({ instrument: 1, "data-point": 2 });
  });

  it("never throws on a meter whose properties throw", () => {
    const guard = createTelemetryGuard();
    const meter = new Proxy(
      {},
      {
        get: () => {
          throw new Error("trap");
        },
      },
    ) as Meter;
    const http = createHttpServerMetrics({ meter, guard });
    const compression = createCompressionMetrics({ meter, guard });
    expect(() => {
      http.record(goodRequest);
    }).not.toThrow();
    expect(() => {
      compression.record(undefined as unknown as CompressionRecord);
    }).not.toThrow();
    expect(guard.dropped()).toEqual({ instrument: 5, "data-point": 2 });
  });

  it("drops invalid compression values", async () => {
    const { meter, harness } = meterOf();
    const guard = createTelemetryGuard();
    const metrics = createCompressionMetrics({ meter, guard });
    metrics.record({
      inputTokens: Number.NaN,
      outputTokens: 5,
      durationSeconds: -0.1,
      encoder: "onnx",
      fallbackUsed: false,
    });
    // Input, duration and the NaN ratio are dropped, and output is recorded.
    expect(guard.dropped()).toEqual({ "data-point": 3 });
    const collected = await harness.collect();
    const points = (name: string) => histogramPoints(collected, name);
    expect(points(COMPRESS_METRIC_NAMES.outputTokens)).toHaveLength(1);
    expect(points(COMPRESS_METRIC_NAMES.inputTokens)).toEqual([]);
    expect(points(COMPRESS_METRIC_NAMES.duration)).toEqual([]);
  });
});

describe("createTelemetryGuard", () => {
  it("logs a batch drop at each power of ten", () => {
    const logger = createRecordingLogger();
    const guard = createTelemetryGuard({ logger });
    guard.drop("span export", "span exporter failed", undefined, 4);
    guard.drop("span export", "span exporter failed", undefined, 5);
    guard.drop("span export", "span exporter failed", undefined, 3);
    guard.drop("span export", "span exporter failed", undefined, 100);
    expect(guard.dropped()).toEqual({ "span export": 112 });
    const totals = logger.records.map((record) => record.fields["dropped"]);
    expect(totals).toEqual([4, 12, 112]);
  });

  it("counts an invalid batch size as one drop", () => {
    const guard = createTelemetryGuard();
    guard.drop("metric export", "metric exporter failed", undefined, -3);
    guard.drop("metric export", "metric exporter failed", undefined, NaN);
    expect(guard.dropped()).toEqual({ "metric export": 2 });
  });

  it("counts nothing for an empty batch", () => {
    const logger = createRecordingLogger();
    const guard = createTelemetryGuard({ logger });
    guard.drop("span export", "span exporter failed", undefined, 0);
    expect(guard.dropped()).toEqual({});
    expect(logger.records).toEqual([]);
  });
});
