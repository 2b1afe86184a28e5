import {
  ObservabilityError,
  ObservabilityErrorCode,
  throwIfIssues,
} from "../errors.js";
import type { ObservabilityIssue } from "../errors.js";
import { createLatencyRecorder } from "./recorder.js";
import type { LatencyRecorder } from "./recorder.js";

/**
 * A latency objective: either a percentile under a threshold ("p95 under
 * 200 ms") or a share of requests under a threshold ("99% under 500 ms").
 */
export type SlaTarget =
  | {
      readonly kind: "percentile";
      readonly percentile: number;
      readonly thresholdMs: number;
    }
  | {
      readonly kind: "share";
      readonly share: number;
      readonly thresholdMs: number;
    };

/** The state of one target; see {@link SlaTracker.evaluate}. */
export interface SlaStatus {
  readonly target: SlaTarget;
  /** Whether the target is met over every request recorded so far. */
  readonly met: boolean;
  /** The measured percentile latency (ms), or the share of requests under the threshold (0 to 1). */
  readonly observed: number;
  /** Requests slower than or equal to the threshold. */
  readonly slowRequests: number;
  /** Evaluations, this one included, that found the target missed. */
  readonly violations: number;
}

/** Tracks latency objectives; see {@link createSlaTracker}. */
export interface SlaTracker {
  /** Records one request latency in milliseconds; never throws. */
  record(durationMs: number): void;
  /** Checks every target and counts a violation for each one missed. */
  evaluate(): SlaStatus[];
  /** The recorder holding every latency, for percentiles. */
  readonly recorder: LatencyRecorder;
}

const PATTERN =
  /^\s*(?:p(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)\s*%(?:\s+of\s+requests)?)\s*(?:<|under)\s*(\d+(?:\.\d+)?)\s*ms\s*$/iu;

/**
 * Parses a target written as `"p95 < 200ms"` or `"99% < 500 ms"` (`under`
 * may replace `<`). Throws INVALID_OPTIONS for any other text.
 */
export function parseSlaTarget(text: string): SlaTarget {
  const match = PATTERN.exec(text);
  if (match === null) {
    throw new ObservabilityError(
      ObservabilityErrorCode.INVALID_OPTIONS,
      `SLA target ${JSON.stringify(text)} is invalid; write "p95 < 200ms" or "99% < 500ms".`,
      {
        issues: [
          {
            path: "target",
            value: text,
            message: 'write "p95 < 200ms" or "99% < 500ms"',
          },
        ],
      },
    );
  }
  const thresholdMs = Number(match[3]);
  if (match[1] !== undefined) {
    return { kind: "percentile", percentile: Number(match[1]), thresholdMs };
  }
  return { kind: "share", share: Number(match[2]) / 100, thresholdMs };
}

function validateTargets(targets: readonly SlaTarget[]): void {
  const issues: ObservabilityIssue[] = [];
  targets.forEach((target, index) => {
    const fraction =
      target.kind === "percentile" ? target.percentile / 100 : target.share;
    if (!(fraction > 0 && fraction <= 1)) {
      issues.push({
        path: `targets[${index}]`,
        value: target,
        message: "the percentile must be in (0, 100] and the share in (0, 1]",
      });
    }
    if (!(Number.isFinite(target.thresholdMs) && target.thresholdMs > 0)) {
      issues.push({
        path: `targets[${index}].thresholdMs`,
        value: target.thresholdMs,
        message: "must be a positive number of milliseconds",
      });
    }
  });
  throwIfIssues("SLA targets", issues);
}

/**
 * Creates an SLA tracker for targets given as objects or as text such as
 * `"p95 < 200ms"`. Counts of slow requests are exact; percentiles come from
 * the HDR histogram (3 significant digits).
 */
export function createSlaTracker(
  targets: readonly (SlaTarget | string)[],
): SlaTracker {
  if (!Array.isArray(targets)) {
    throwIfIssues("SLA targets", [
      {
        path: "targets",
        value: targets,
        message: 'must be an array such as ["p95 < 200ms"]; [] tracks none',
      },
    ]);
  }
  const parsed = targets.map((target) =>
    typeof target === "string" ? parseSlaTarget(target) : target,
  );
  validateTargets(parsed);
  const recorder = createLatencyRecorder();
  const slow = parsed.map(() => 0);
  const violations = parsed.map(() => 0);
  let total = 0;

  return {
    recorder,
    record(durationMs) {
      if (!Number.isFinite(durationMs) || durationMs < 0) {
        recorder.record(durationMs);
        return;
      }
      total += 1;
      recorder.record(durationMs);
      parsed.forEach((target, index) => {
        if (durationMs >= target.thresholdMs)
          slow[index] = (slow[index] ?? 0) + 1;
      });
    },
    evaluate() {
      return parsed.map((target, index) => {
        const slowRequests = slow[index] ?? 0;
        const observed =
          target.kind === "percentile"
            ? recorder.percentile(target.percentile)
            : total === 0
              ? 1
              : (total - slowRequests) / total;
        const met =
          target.kind === "percentile"
            ? observed < target.thresholdMs
            : observed >= target.share;
        if (!met) violations[index] = (violations[index] ?? 0) + 1;
        return {
          target,
          met,
          observed,
          slowRequests,
          violations: violations[index] ?? 0,
        };
      });
    },
  };
}
