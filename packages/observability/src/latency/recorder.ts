import { build } from "hdr-histogram-js";
import type { Histogram } from "hdr-histogram-js";

import {
  ObservabilityError,
  ObservabilityErrorCode,
  throwIfIssues,
} from "../errors.js";
import type { ObservabilityIssue } from "../errors.js";

/** Options of {@link createLatencyRecorder}. */
export interface LatencyRecorderOptions {
  /**
   * Highest latency tracked, in milliseconds; larger values are clamped to
   * it and counted in `clamped`.
   * @default 3_600_000 (one hour)
   */
  readonly maxMs?: number;
  /**
   * Significant decimal digits kept by the HDR histogram (1 to 5); 3 keeps
   * every percentile within 0.1% of the recorded value.
   * @default 3
   */
  readonly significantDigits?: number;
}

/** Latency statistics in milliseconds. */
export interface LatencySnapshot {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  /** Values above `maxMs` that were recorded as `maxMs`. */
  readonly clamped: number;
  /** Negative, NaN or infinite values that were ignored. */
  readonly invalid: number;
}

/** Records latencies and reports percentiles; see {@link createLatencyRecorder}. */
export interface LatencyRecorder {
  /** Records one latency in milliseconds; never throws. */
  record(durationMs: number): void;
  /**
   * Returns the latency at a percentile (0 to 100) in milliseconds, or 0
   * when nothing was recorded. Throws INVALID_OPTIONS for a percentile
   * outside 0 to 100.
   */
  percentile(percentile: number): number;
  /** Returns the current statistics. */
  snapshot(): LatencySnapshot;
  /** Forgets every recorded value. */
  reset(): void;
}

/** Microseconds per millisecond: the histogram stores integer microseconds. */
const MICROS = 1_000;

/**
 * Largest `maxMs`, about 31.7 years: 10^15 microseconds keeps every bucket
 * value of the histogram below 2^53, where numbers stop being exact.
 */
const MAX_MAX_MS = 1e12;

function validate(options: LatencyRecorderOptions): void {
  const issues: ObservabilityIssue[] = [];
  const { maxMs, significantDigits } = options;
  if (
    maxMs !== undefined &&
    !(Number.isFinite(maxMs) && maxMs >= 1 && maxMs <= MAX_MAX_MS)
  ) {
    issues.push({
      path: "maxMs",
      value: maxMs,
      message: `must be a number of milliseconds from 1 to ${MAX_MAX_MS}`,
    });
  }
  if (
    significantDigits !== undefined &&
    !(
      Number.isInteger(significantDigits) &&
      significantDigits >= 1 &&
      significantDigits <= 5
    )
  ) {
    issues.push({
      path: "significantDigits",
      value: significantDigits,
      message: "must be an integer from 1 to 5",
    });
  }
  throwIfIssues("latency recorder options", issues);
}

/**
 * Creates a latency recorder on an HDR histogram with microsecond
 * resolution, so percentiles stay accurate from sub-millisecond to hour
 * long requests in a fixed amount of memory.
 */
export function createLatencyRecorder(
  options: LatencyRecorderOptions = {},
): LatencyRecorder {
  validate(options);
  const maxMicros = Math.round((options.maxMs ?? 3_600_000) * MICROS);
  const histogram: Histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: maxMicros,
    numberOfSignificantValueDigits: (options.significantDigits ?? 3) as
      1 | 2 | 3 | 4 | 5,
    autoResize: false,
  });
  let clamped = 0;
  let invalid = 0;
  // Exact extremes in microseconds. The histogram returns the edge of a
  // bucket, which can lie just outside the values recorded.
  let minMicros = Number.POSITIVE_INFINITY;
  let maxRecorded = 0;
  const at = (percentile: number): number => {
    if (
      typeof percentile !== "number" ||
      !(percentile >= 0 && percentile <= 100)
    ) {
      throw new ObservabilityError(
        ObservabilityErrorCode.INVALID_OPTIONS,
        `Percentile ${String(percentile)} is invalid; pass a number from 0 to 100, such as 99.`,
        {
          issues: [
            {
              path: "percentile",
              value: percentile,
              message: "must be a number from 0 to 100",
            },
          ],
        },
      );
    }
    if (histogram.totalCount === 0) {
      return 0;
    }
    const micros = histogram.getValueAtPercentile(percentile);
    return Math.min(maxRecorded, Math.max(minMicros, micros)) / MICROS;
  };

  return {
    record(durationMs) {
      if (!Number.isFinite(durationMs) || durationMs < 0) {
        invalid += 1;
        return;
      }
      let micros = Math.round(durationMs * MICROS);
      if (micros > maxMicros) {
        clamped += 1;
        micros = maxMicros;
      }
      histogram.recordValue(micros);
      minMicros = Math.min(minMicros, micros);
      maxRecorded = Math.max(maxRecorded, micros);
    },
    percentile: at,
    snapshot() {
      const empty = histogram.totalCount === 0;
      return {
        count: histogram.totalCount,
        min: at(0),
        mean: empty ? 0 : histogram.mean / MICROS,
        p50: at(50),
        p90: at(90),
        p95: at(95),
        p99: at(99),
        max: empty ? 0 : maxRecorded / MICROS,
        clamped,
        invalid,
      };
    },
    reset() {
      histogram.reset();
      minMicros = Number.POSITIVE_INFINITY;
      maxRecorded = 0;
      clamped = 0;
      invalid = 0;
    },
  };
}
