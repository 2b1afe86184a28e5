import { SpanStatusCode } from "@opentelemetry/api";
import type { Tracer } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";

import { createTelemetryGuard } from "./guard.js";
import { withSpan } from "./tracing.js";

function tracerOf(): { tracer: Tracer; exporter: InMemorySpanExporter } {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  return { tracer: provider.getTracer("test"), exporter };
}

describe("withSpan", () => {
  it("ends a span with the attributes and returns the result", async () => {
    const { tracer, exporter } = tracerOf();
    const result = await withSpan(
      tracer,
      createTelemetryGuard(),
      "compress",
      () => 42,
      { "retrieval_free.encoder": "onnx" },
    );
    expect(result).toBe(42);
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe("compress");
    expect(span?.attributes).toEqual({ "retrieval_free.encoder": "onnx" });
  });

  it("records a failure and rethrows it", async () => {
    const { tracer, exporter } = tracerOf();
    const failure = new Error("budget too small");
    await expect(
      withSpan(tracer, createTelemetryGuard(), "compress", () =>
        Promise.reject(failure),
      ),
    ).rejects.toBe(failure);
    const [span] = exporter.getFinishedSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.events.map((event) => event.name)).toEqual(["exception"]);
  });

  it("runs the work once without a span when the tracer fails", async () => {
    const guard = createTelemetryGuard();
    const tracer = {
      startActiveSpan: () => {
        throw new Error("tracer broken");
      },
    } as unknown as Tracer;
    let calls = 0;
    const result = await withSpan(tracer, guard, "compress", (span) => {
      calls += 1;
      return span === undefined ? "no span" : "span";
    });
    expect(result).toBe("no span");
    expect(calls).toBe(1);
    expect(guard.dropped()).toEqual({ span: 1 });
  });
});
