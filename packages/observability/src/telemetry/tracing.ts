import { SpanStatusCode } from "@opentelemetry/api";
import type { Attributes, Span, Tracer } from "@opentelemetry/api";

import type { TelemetryGuard } from "./guard.js";

/**
 * Runs `work` inside an active span named `name`. A throw or rejection of
 * `work` is recorded on the span with status ERROR and passed on unchanged.
 * When the tracer itself fails, the span is counted as dropped and `work`
 * runs without a span.
 */
export async function withSpan<T>(
  tracer: Tracer,
  guard: TelemetryGuard,
  name: string,
  work: (span: Span | undefined) => Promise<T> | T,
  attributes: Attributes = {},
): Promise<T> {
  // The callback stores its promise here, so that a tracer failing after
  // the callback ran never makes `work` run twice.
  const state: { result?: Promise<T> } = {};
  guard.run("span", () => {
    void tracer.startActiveSpan(name, { attributes }, (span) => {
      state.result = runInSpan(span, guard, work);
      return state.result;
    });
  });
  return state.result ?? work(undefined);
}

async function runInSpan<T>(
  span: Span,
  guard: TelemetryGuard,
  work: (span: Span | undefined) => Promise<T> | T,
): Promise<T> {
  try {
    return await work(span);
  } catch (error) {
    guard.run("span", () => {
      if (error instanceof Error) {
        span.recordException(error);
      }
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
    });
    throw error;
  } finally {
    guard.run("span", () => {
      span.end();
    });
  }
}
