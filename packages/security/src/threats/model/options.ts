import {
  describeValue,
  SecurityError,
  SecurityErrorCode,
} from "../../errors.js";
import type { SecurityIssue } from "../../errors.js";
import type { VerifyModelOptions } from "../../models/verify.js";
import { isRecord } from "../../pii/model/model-error.js";
import {
  MAX_BATCH_SIZE,
  MAX_LENGTH_LIMIT,
  MAX_THREADS,
  wholeNumberIssue,
} from "../../pii/model/options.js";

/** Options of {@link loadThreatClassifier}. */
export interface LoadThreatClassifierOptions {
  /**
   * Name of the classifier, which `scanThreatsAsync` reports as the
   * `detector` of its findings. @default "onnx"
   */
  readonly name?: string;
  /**
   * Labels of config.json's `id2label` whose probabilities are summed
   * into a sentence's score, matched case-insensitively. Every name must
   * be a model label, and a model with two or more outputs must keep at
   * least one label out.
   * @default every label except SAFE, BENIGN, LEGIT, LEGITIMATE,
   * NEGATIVE and LABEL_0 (see `DEFAULT_BENIGN_LABELS`), or the only
   * label of a model with one output
   */
  readonly threatLabels?: readonly string[];
  /**
   * Tokens per sentence, special tokens included. The model reads only
   * the first tokens of a longer sentence.
   * @default tokenizer_config.json's `model_max_length`, else
   * config.json's `max_position_embeddings`, else 512
   */
  readonly maxLength?: number;
  /** Sentences per model call. @default 8 */
  readonly batchSize?: number;
  /** Threads ONNX Runtime may use inside one operator. @default 1 */
  readonly threads?: number;
  /**
   * Verifies the folder with `verifyModel` before loading: its
   * manifest, source, signature and checksums. The model then loads from
   * the bytes that were hashed, and only files the manifest lists are
   * read. @default undefined (no manifest needed)
   */
  readonly integrity?: VerifyModelOptions;
}

/**
 * Options with their defaults. `maxLength` stays undefined until the
 * model folder is read, and `threatLabels` until its labels are known.
 */
export interface CheckedThreatOptions {
  readonly name: string;
  readonly threatLabels: readonly string[] | undefined;
  readonly maxLength: number | undefined;
  readonly batchSize: number;
  readonly threads: number;
  readonly integrity: VerifyModelOptions | undefined;
}

const OPTION_NAMES = [
  "name",
  "threatLabels",
  "maxLength",
  "batchSize",
  "threads",
  "integrity",
];

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

function nameIssues(name: unknown): SecurityIssue[] {
  if (name === undefined || (typeof name === "string" && name.trim() !== "")) {
    return [];
  }
  return [
    {
      path: "name",
      value: name,
      message: `name must be a non-empty string such as "onnx" (received ${describeValue(name)}).`,
    },
  ];
}

function threatLabelIssues(value: unknown): SecurityIssue[] {
  if (value === undefined) {
    return [];
  }
  const valid =
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((label) => typeof label === "string" && label.trim() !== "");
  if (valid) {
    return [];
  }
  return [
    {
      path: "threatLabels",
      value,
      message: `threatLabels must be a non-empty list of label names from config.json's id2label, such as ["INJECTION"] (received ${describeValue(value)}); leave it out for the default.`,
    },
  ];
}

function integrityIssues(value: unknown): SecurityIssue[] {
  if (value === undefined || isRecord(value)) {
    return [];
  }
  return [
    {
      path: "integrity",
      value,
      message: `integrity must be the options of verifyModel, such as { allowedSources: ["https://models.example.com/*"] } (received ${describeValue(value)}).`,
    },
  ];
}

function collectIssues(record: Record<string, unknown>): SecurityIssue[] {
  return [
    ...unknownOptionIssues(record),
    ...nameIssues(record.name),
    ...threatLabelIssues(record.threatLabels),
    ...wholeNumberIssue("maxLength", record.maxLength, 3, MAX_LENGTH_LIMIT),
    ...wholeNumberIssue("batchSize", record.batchSize, 1, MAX_BATCH_SIZE),
    ...wholeNumberIssue("threads", record.threads, 1, MAX_THREADS),
    ...integrityIssues(record.integrity),
  ];
}

/**
 * Checks the options of {@link loadThreatClassifier} and fills in the
 * defaults that do not depend on the model.
 * @throws {SecurityError} `INVALID_OPTIONS` listing every invalid option.
 */
export function checkThreatOptions(options: unknown): CheckedThreatOptions {
  if (!isRecord(options)) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_OPTIONS,
      `Options must be an object such as { threatLabels: ["INJECTION"] } (received ${describeValue(options)}).`,
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
  const accepted = options as LoadThreatClassifierOptions;
  return {
    name: accepted.name ?? "onnx",
    threatLabels: accepted.threatLabels,
    maxLength: accepted.maxLength,
    batchSize: accepted.batchSize ?? 8,
    threads: accepted.threads ?? 1,
    integrity: accepted.integrity,
  };
}
