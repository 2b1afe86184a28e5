import { fingerprint } from "./matchers.js";
import type { TimedValue } from "./rules.js";
import type { Labels, MetricSample } from "./types.js";

/** Stored samples of one metric series. */
export interface Series {
  readonly metric: string;
  readonly labels: Labels;
  samples: TimedValue[];
}

/**
 * Keeps recent samples per series: the latest sample always, and older
 * ones only while they are within `retentionMs` (the longest rate window).
 */
export class SeriesStore {
  readonly #series = new Map<string, Series>();
  readonly #retentionMs: number;

  constructor(retentionMs: number) {
    this.#retentionMs = retentionMs;
  }

  /** Adds one sample measured at `at`. */
  add(sample: MetricSample, at: number): void {
    const labels = { ...sample.labels };
    const key = `${sample.metric}\u0000${fingerprint(labels)}`;
    let series = this.#series.get(key);
    if (series === undefined) {
      series = { metric: sample.metric, labels, samples: [] };
      this.#series.set(key, series);
    }
    series.samples.push({ at, value: sample.value });
    const oldest = at - this.#retentionMs;
    const firstKept = series.samples.findIndex((item) => item.at >= oldest);
    const drop = firstKept === -1 ? series.samples.length - 1 : firstKept;
    if (drop > 0) {
      series.samples = series.samples.slice(
        Math.min(drop, series.samples.length - 1),
      );
    }
  }

  /** Returns the series of one metric. */
  ofMetric(metric: string): Series[] {
    return [...this.#series.values()].filter(
      (series) => series.metric === metric,
    );
  }
}
