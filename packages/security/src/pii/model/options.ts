import {
  describeValue,
  SecurityError,
  SecurityErrorCode,
} from "../../errors.js";
import type { VerifyModelOptions } from "../../models/verify.js";
import type { SecurityIssue } from "../../errors.js";
import { PII_TYPES } from "../types.js";
import type { PiiType } from "../types.js";
import type { NerAggregation } from "./labels.js";
import { isRecord } from "./model-error.js";

/** Options of {@link loadNerRecognizer}. */
export interface LoadNerRecognizerOptions {
  /** Name reported in each finding's `recognizer` field. @default "ner" */
  readonly name?: string;
  /**
   * Kind reported for each entity type of the model's labels (the part
   * after `B-` or `I-`, in any case), merged over the defaults. `null`
   * ignores a type, and types that map to nothing are ignored.
   * @default { PER: "PERSON", PERSON: "PERSON", LOC: "LOCATION",
   * LOCATION: "LOCATION", GPE: "LOCATION" }
   */
  readonly entityTypes?: Readonly<Record<string, PiiType | null>>;
  /** Entities whose score is below this are dropped. @default 0 */
  readonly minScore?: number;
  /**
   * Tokens per model call, special tokens included.
   * @default tokenizer_config.json's `model_max_length`, else
   * config.json's `max_position_embeddings`, else 512
   */
  readonly maxLength?: number;
  /**
   * Tokens that consecutive windows of a long text share, so that tokens
   * near a window's edge are read again with context on both sides.
   * Must be less than the window's text tokens.
   * @default a quarter of the window's text tokens, at most 64
   */
  readonly windowOverlap?: number;
  /**
   * Strategy that labels a word split into several pieces: the label of
   * the `first` piece, of the `average` of the pieces' probabilities, or
   * of the piece with the most probable label (`max`). Token-classification
   * models are usually trained with labels on first pieces only, which
   * `first` matches.
   * @default "first"
   */
  readonly aggregation?: NerAggregation;
  /** Windows per model call. @default 8 */
  readonly batchSize?: number;
  /** Threads ONNX Runtime may use inside one operator. @default 1 */
  readonly threads?: number;
  /**
   * Verifies the folder with {@link verifyModel} before loading: its
   * manifest, source, signature and checksums. The model then loads from
   * the bytes that were hashed, and only files the manifest lists are
   * read. @default undefined (no manifest needed)
   */
  readonly integrity?: VerifyModelOptions;
}

/**
 * Options with their defaults. `maxLength` and `windowOverlap` stay
 * undefined until the model folder is read.
 */
export interface CheckedNerOptions {
  readonly name: string;
  readonly entityTypes: ReadonlyMap<string, PiiType>;
  readonly minScore: number;
  readonly maxLength: number | undefined;
  readonly windowOverlap: number | undefined;
  readonly aggregation: NerAggregation;
  readonly batchSize: number;
  readonly threads: number;
  readonly integrity: VerifyModelOptions | undefined;
}

/** Model entity types reported by default, and the kind of each. */
export const DEFAULT_ENTITY_TYPES: Readonly<Record<string, PiiType>> = {
  PER: "PERSON",
  PERSON: "PERSON",
  LOC: "LOCATION",
  LOCATION: "LOCATION",
  GPE: "LOCATION",
};

const OPTION_NAMES = [
  "name",
  "entityTypes",
  "minScore",
  "maxLength",
  "windowOverlap",
  "aggregation",
  "batchSize",
  "threads",
  "integrity",
];
const AGGREGATIONS: readonly NerAggregation[] = ["first", "average", "max"];
/** Largest `maxLength` accepted. */
export const MAX_LENGTH_LIMIT = 65_536;
/** Largest `batchSize` accepted. */
export const MAX_BATCH_SIZE = 1024;
/** Largest `threads` accepted. */
export const MAX_THREADS = 256;

function isWholeNumber(value: unknown, min: number, max: number): boolean {
  return (
    typeof value === "number" &&
    Number.isInteger(value) &&
    value >= min &&
    value <= max
  );
}

/**
 * Returns an issue unless `value` is undefined or a whole number from
 * `min` to `max`.
 */
export function wholeNumberIssue(
  path: string,
  value: unknown,
  min: number,
  max: number,
): SecurityIssue[] {
  if (value === undefined || isWholeNumber(value, min, max)) {
    return [];
  }
  return [
    {
      path,
      value,
      message: `${path} must be a whole number from ${min} to ${max} (received ${describeValue(value)}); leave it out for the default.`,
    },
  ];
}

function entityTypeIssues(value: unknown): SecurityIssue[] {
  if (value === undefined) {
    return [];
  }
  const valid =
    isRecord(value) &&
    Object.values(value).every(
      (kind) =>
        kind === null || (PII_TYPES as readonly unknown[]).includes(kind),
    );
  return valid
    ? []
    : [
        {
          path: "entityTypes",
          value,
          message: `entityTypes must map entity types to one of ${PII_TYPES.join(", ")} or null, such as { GPE: null, FAC: "LOCATION" } (received ${describeValue(value)}).`,
        },
      ];
}

function unknownOptionIssues(record: Record<string, unknown>): SecurityIssue[] {
  return Object.keys(record)
    .filter((key) => !OPTION_NAMES.includes(key))
    .map((key) => ({
      path: key,
      // The value is left out because a mistyped option may contain a secret.
      value: undefined,
      message: `Unknown option "${key}". Valid options are ${OPTION_NAMES.join(", ")}.`,
    }));
}

/** Returns the issues of the options that are neither numbers nor maps. */
function settingIssues(record: Record<string, unknown>): SecurityIssue[] {
  const issues: SecurityIssue[] = [];
  const { name, minScore, aggregation } = record;
  if (name !== undefined && (typeof name !== "string" || name.trim() === "")) {
    issues.push({
      path: "name",
      value: name,
      message: `name must be a non-empty string such as "ner" (received ${describeValue(name)}).`,
    });
  }
  if (
    minScore !== undefined &&
    (typeof minScore !== "number" || !(minScore >= 0 && minScore <= 1))
  ) {
    issues.push({
      path: "minScore",
      value: minScore,
      message: `minScore must be a number from 0 to 1 (received ${describeValue(minScore)}).`,
    });
  }
  if (
    aggregation !== undefined &&
    !(AGGREGATIONS as readonly unknown[]).includes(aggregation)
  ) {
    issues.push({
      path: "aggregation",
      value: aggregation,
      message: `aggregation must be "first", "average" or "max" (received ${describeValue(aggregation)}).`,
    });
  }
  return issues;
}

function collectIssues(record: Record<string, unknown>): SecurityIssue[] {
  return [
    ...unknownOptionIssues(record),
    ...settingIssues(record),
    ...entityTypeIssues(record.entityTypes),
    ...wholeNumberIssue("maxLength", record.maxLength, 3, MAX_LENGTH_LIMIT),
    ...wholeNumberIssue(
      "windowOverlap",
      record.windowOverlap,
      0,
      MAX_LENGTH_LIMIT,
    ),
    ...wholeNumberIssue("batchSize", record.batchSize, 1, MAX_BATCH_SIZE),
    ...wholeNumberIssue("threads", record.threads, 1, MAX_THREADS),
  ];
}

/** Merges the caller's entity types over the defaults, keys in capitals. */
function mergeEntityTypes(
  overrides: Readonly<Record<string, PiiType | null>> | undefined,
): Map<string, PiiType> {
  const merged = new Map<string, PiiType>(Object.entries(DEFAULT_ENTITY_TYPES));
  for (const [entity, kind] of Object.entries(overrides ?? {})) {
    const key = entity.trim().toUpperCase();
    if (kind === null) {
      merged.delete(key);
    } else {
      merged.set(key, kind);
    }
  }
  return merged;
}

/**
 * Checks the options of {@link loadNerRecognizer} and fills in the
 * defaults that do not depend on the model.
 * @throws {SecurityError} `INVALID_OPTIONS` listing every invalid option.
 */
export function checkNerOptions(options: unknown): CheckedNerOptions {
  if (!isRecord(options)) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_OPTIONS,
      `Options must be an object such as { minScore: 0.5 } (received ${describeValue(options)}).`,
    );
  }
  const issues = collectIssues(options);
  if (issues.length > 0) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_OPTIONS,
      `${issues.length} invalid option${issues.length === 1 ? "" : "s"}: ${issues.map((issue) => issue.message).join(" ")}`,
      { issues },
    );
  }
  const accepted = options as LoadNerRecognizerOptions;
  return {
    name: accepted.name ?? "ner",
    entityTypes: mergeEntityTypes(accepted.entityTypes),
    minScore: accepted.minScore ?? 0,
    maxLength: accepted.maxLength,
    windowOverlap: accepted.windowOverlap,
    aggregation: accepted.aggregation ?? "first",
    batchSize: accepted.batchSize ?? 8,
    threads: accepted.threads ?? 1,
    integrity: accepted.integrity,
  };
}
