import { describeValue, SecurityError, SecurityErrorCode } from "../errors.js";
import type { SecurityIssue } from "../errors.js";
import { checkClassifier, checkSignal } from "./classifier-options.js";
import { DEFAULT_THREAT_THRESHOLDS, THREAT_DETECTORS } from "./types.js";
import type {
  ThreatClassifier,
  ThreatDetectorName,
  ThreatThresholds,
} from "./types.js";

/** Options of {@link scanThreats}. */
export interface ScanThreatsOptions {
  /**
   * Risk levels of the recommendations; levels left out keep their
   * default. @default { warn: 0.4, mask: 0.6, block: 0.8 }
   */
  readonly thresholds?: Partial<ThreatThresholds>;
  /**
   * Benign phrases. A finding whose `match` lies wholly inside an
   * occurrence is dropped, and so is each prompt-injection cue that lies
   * inside one, so a sentence is still reported for its other cues.
   * Strings match case-insensitively, and a RegExp is run over the whole
   * text with its own flags plus `g`.
   * @default []
   */
  readonly allow?: readonly (string | RegExp)[];
  /** Detectors to run. @default every detector */
  readonly detectors?: readonly ThreatDetectorName[];
}

/** Options of {@link scanThreatsAsync}. */
export interface ScanThreatsAsyncOptions extends ScanThreatsOptions {
  /** A model whose sentence scores are combined with the rule scores. */
  readonly classifier?: ThreatClassifier;
  /** Sentences passed to one `classify` call. @default 64 */
  readonly classifierBatchSize?: number;
  /**
   * Stops the wait for the classifier: when it aborts, the scan rejects
   * with its `reason`. `AbortSignal.timeout(ms)` bounds the wait.
   */
  readonly signal?: AbortSignal;
}

/** Options after checking, with every default filled in. */
export interface ResolvedScanOptions {
  readonly thresholds: ThreatThresholds;
  readonly allow: readonly (string | RegExp)[];
  readonly detectors: ReadonlySet<ThreatDetectorName>;
  readonly classifier: ThreatClassifier | undefined;
  readonly classifierBatchSize: number;
  readonly signal: AbortSignal | undefined;
}

const SYNC_NAMES = ["thresholds", "allow", "detectors"];
const ASYNC_NAMES = [
  ...SYNC_NAMES,
  "classifier",
  "classifierBatchSize",
  "signal",
];
const LEVELS = ["warn", "mask", "block"] as const;

function isLevel(value: unknown): value is number {
  return typeof value === "number" && value >= 0 && value <= 1;
}

function checkThresholds(
  value: unknown,
  issues: SecurityIssue[],
): ThreatThresholds {
  if (value === undefined) {
    return DEFAULT_THREAT_THRESHOLDS;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    issues.push({
      path: "thresholds",
      value,
      message: `thresholds must be an object such as { warn: 0.4, mask: 0.6, block: 0.8 } (received ${describeValue(value)}).`,
    });
    return DEFAULT_THREAT_THRESHOLDS;
  }
  const levels = value as Record<string, unknown>;
  const merged: Record<string, number> = { ...DEFAULT_THREAT_THRESHOLDS };
  let valid = true;
  for (const key of Object.keys(levels)) {
    const level = levels[key];
    if (!(LEVELS as readonly string[]).includes(key)) {
      valid = false;
      issues.push({
        path: `thresholds.${key}`,
        value: level,
        message: `Unknown threshold "${key}". Valid thresholds are warn, mask and block.`,
      });
    } else if (level !== undefined && !isLevel(level)) {
      valid = false;
      issues.push({
        path: `thresholds.${key}`,
        value: level,
        message: `thresholds.${key} must be a number from 0 to 1 (received ${describeValue(level)}).`,
      });
    } else if (level !== undefined) {
      merged[key] = level;
    }
  }
  const result = merged as unknown as ThreatThresholds;
  if (valid) {
    checkOrder(result, issues);
  }
  return result;
}

function checkOrder(
  thresholds: ThreatThresholds,
  issues: SecurityIssue[],
): void {
  const { warn, mask, block } = thresholds;
  if (!(warn <= mask && mask <= block)) {
    issues.push({
      path: "thresholds",
      value: thresholds,
      message: `thresholds must be ordered warn ≤ mask ≤ block (received warn ${warn}, mask ${mask}, block ${block}, defaults included); raise the higher levels or lower the lower ones.`,
    });
  }
}

function checkAllow(
  value: unknown,
  issues: SecurityIssue[],
): (string | RegExp)[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    issues.push({
      path: "allow",
      value,
      message: `allow must be a list of strings or RegExp objects (received ${describeValue(value)}).`,
    });
    return [];
  }
  value.forEach((entry: unknown, index) => {
    const valid =
      entry instanceof RegExp ||
      (typeof entry === "string" && entry.trim() !== "");
    if (!valid) {
      issues.push({
        path: `allow[${index}]`,
        value: entry,
        message: `allow[${index}] must be a non-empty string or a RegExp (received ${describeValue(entry)}).`,
      });
    }
  });
  return value as (string | RegExp)[];
}

function checkDetectors(
  value: unknown,
  issues: SecurityIssue[],
): Set<ThreatDetectorName> {
  if (value === undefined) {
    return new Set(THREAT_DETECTORS);
  }
  if (!Array.isArray(value)) {
    issues.push({
      path: "detectors",
      value,
      message: `detectors must be a list of ${THREAT_DETECTORS.join(", ")} (received ${describeValue(value)}).`,
    });
    return new Set();
  }
  value.forEach((entry: unknown, index) => {
    if (!(THREAT_DETECTORS as readonly unknown[]).includes(entry)) {
      issues.push({
        path: `detectors[${index}]`,
        value: entry,
        message: `detectors[${index}] must be one of ${THREAT_DETECTORS.join(", ")} (received ${describeValue(entry)}).`,
      });
    }
  });
  return new Set(value as ThreatDetectorName[]);
}

function unknownNames(
  record: Record<string, unknown>,
  names: readonly string[],
  issues: SecurityIssue[],
): void {
  for (const key of Object.keys(record)) {
    // checkClassifier explains why scanThreats takes no classifier.
    if (!names.includes(key) && key !== "classifier") {
      issues.push({
        path: key,
        value: undefined,
        message: `Unknown option "${key}". Valid options are ${names.join(", ")}.`,
      });
    }
  }
}

/**
 * Checks the options of {@link scanThreats} (`async` false) or
 * {@link scanThreatsAsync} (`async` true) and fills in the defaults.
 * @throws {SecurityError} `INVALID_OPTIONS` listing every invalid value.
 */
export function checkScanOptions(
  options: unknown,
  async: boolean,
): ResolvedScanOptions {
  if (
    typeof options !== "object" ||
    options === null ||
    Array.isArray(options)
  ) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_OPTIONS,
      `Options must be an object such as { thresholds: { block: 0.9 } } (received ${describeValue(options)}).`,
    );
  }
  const record = options as Record<string, unknown>;
  const issues: SecurityIssue[] = [];
  unknownNames(record, async ? ASYNC_NAMES : SYNC_NAMES, issues);
  const thresholds = checkThresholds(record.thresholds, issues);
  const allow = checkAllow(record.allow, issues);
  const detectors = checkDetectors(record.detectors, issues);
  checkClassifier(record, async, issues);
  if (async) {
    checkSignal(record.signal, issues);
  }
  if (issues.length > 0) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_OPTIONS,
      `${issues.length} invalid option${issues.length === 1 ? "" : "s"}: ${issues.map((issue) => issue.message).join(" ")}`,
      { issues },
    );
  }
  return {
    thresholds,
    allow,
    detectors,
    classifier: record.classifier as ThreatClassifier | undefined,
    classifierBatchSize:
      (record.classifierBatchSize as number | undefined) ?? 64,
    signal: record.signal as AbortSignal | undefined,
  };
}
