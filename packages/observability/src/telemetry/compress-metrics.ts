import type { Histogram, Meter } from "@opentelemetry/api";

import type { TelemetryGuard } from "./guard.js";

/** Names of the compression instruments, under the project's namespace. */
export const COMPRESS_METRIC_NAMES = {
  inputTokens: "retrieval_free.compress.tokens.input",
  outputTokens: "retrieval_free.compress.tokens.output",
  ratio: "retrieval_free.compress.ratio",
  duration: "retrieval_free.compress.duration",
} as const;

/** One finished compression. */
export interface CompressionRecord {
  /** Tokens before compression, counted with the target tokenizer. */
  readonly inputTokens: number;
  /** Tokens after compression. */
  readonly outputTokens: number;
  /** Duration in seconds. */
  readonly durationSeconds: number;
  /** Name of the encoder that ran, such as `onnx` or `hashing`. */
  readonly encoder: string;
  /** Whether a fallback strategy produced the result. */
  readonly fallbackUsed: boolean;
}

/** Options of {@link createCompressionMetrics}. */
export interface CompressionMetricsOptions {
  /** Meter from `@opentelemetry/api`. */
  readonly meter: Meter;
  /** Guard that catches, counts and logs failed telemetry calls. */
  readonly guard: TelemetryGuard;
}

/** Records compression metrics; see {@link createCompressionMetrics}. */
export interface CompressionMetrics {
  /** Records one compression; never throws. */
  record(compression: CompressionRecord): void;
}

/**
 * Creates the compression histograms in {@link COMPRESS_METRIC_NAMES} with
 * the attributes `retrieval_free.encoder` and `retrieval_free.fallback_used`.
 * The ratio is input tokens over output tokens, so 8 means 8x smaller; it
 * is not recorded when the output is empty.
 */
export function createCompressionMetrics(
  options: CompressionMetricsOptions,
): CompressionMetrics {
  const { guard, meter } = options;
  const create = (name: string, unit: string, description: string) =>
    guard.run("instrument", () =>
      meter.createHistogram(name, { unit, description }),
    );
  const input = create(
    COMPRESS_METRIC_NAMES.inputTokens,
    "{token}",
    "Tokens before compression.",
  );
  const output = create(
    COMPRESS_METRIC_NAMES.outputTokens,
    "{token}",
    "Tokens after compression.",
  );
  const ratio = create(
    COMPRESS_METRIC_NAMES.ratio,
    "1",
    "Input tokens divided by output tokens.",
  );
  const duration = create(
    COMPRESS_METRIC_NAMES.duration,
    "s",
    "Duration of one compression.",
  );

  const recordOne = (
    histogram: Histogram | undefined,
    value: number,
    attributes: Record<string, string | boolean>,
  ): void => {
    if (histogram === undefined) {
      guard.drop("data-point", "instrument was not created");
      return;
    }
    // The SDK drops a negative or non-number value without telling the
    // guard, and adds an infinite one to the histogram sum.
    if (!(typeof value === "number" && Number.isFinite(value) && value >= 0)) {
      guard.drop("data-point", "value is not a finite non-negative number");
      return;
    }
    guard.run("data-point", () => {
      histogram.record(value, attributes);
    });
  };

  const recordAll = (compression: CompressionRecord): void => {
    if (
      typeof compression !== "object" ||
      (compression as unknown) === null ||
      typeof compression.encoder !== "string" ||
      typeof compression.fallbackUsed !== "boolean"
    ) {
      guard.drop(
        "data-point",
        "compression record needs a string encoder and a boolean fallbackUsed",
      );
      return;
    }
    const attributes = {
      "retrieval_free.encoder": compression.encoder,
      "retrieval_free.fallback_used": compression.fallbackUsed,
    };
    recordOne(input, compression.inputTokens, attributes);
    recordOne(output, compression.outputTokens, attributes);
    recordOne(duration, compression.durationSeconds, attributes);
    if (compression.outputTokens > 0) {
      const value = compression.inputTokens / compression.outputTokens;
      recordOne(ratio, value, attributes);
    }
  };

  return {
    record(compression) {
      guard.run("data-point", () => {
        recordAll(compression);
      });
    },
  };
}
