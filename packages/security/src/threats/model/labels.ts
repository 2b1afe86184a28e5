import {
  describeValue,
  SecurityError,
  SecurityErrorCode,
} from "../../errors.js";
import type { SecurityIssue } from "../../errors.js";

/**
 * Label names that the default rule reads as benign. A model label is
 * benign when, trimmed and in upper case, it equals one of these.
 * `LABEL_0` is the name that Hugging Face gives output 0 of a model
 * exported without label names, which is the benign class of most
 * binary classifiers.
 */
export const DEFAULT_BENIGN_LABELS: readonly string[] = [
  "SAFE",
  "BENIGN",
  "LEGIT",
  "LEGITIMATE",
  "NEGATIVE",
  "LABEL_0",
];

function normalizeLabel(label: string): string {
  return label.trim().toUpperCase();
}

/** Tells whether the default rule reads a model label as benign. */
export function isBenignLabel(label: string): boolean {
  return DEFAULT_BENIGN_LABELS.includes(normalizeLabel(label));
}

function invalidThreatLabels(issues: SecurityIssue[]): SecurityError {
  return new SecurityError(
    SecurityErrorCode.INVALID_OPTIONS,
    `${issues.length} invalid option${issues.length === 1 ? "" : "s"}: ${issues.map((issue) => issue.message).join(" ")}`,
    { issues },
  );
}

/** Picks the labels that the default rule reads as threats. */
function defaultThreatIndexes(
  labels: readonly string[],
  configSource: string,
): number[] {
  const indexes = labels.flatMap((label, index) =>
    isBenignLabel(label) ? [] : [index],
  );
  if (indexes.length === 0 || indexes.length === labels.length) {
    const missing = indexes.length === 0 ? "threat" : "benign";
    throw invalidThreatLabels([
      {
        path: "threatLabels",
        value: undefined,
        message: `The labels in ${configSource} (${labels.join(", ")}) include no ${missing} label by the default rule, which reads ${DEFAULT_BENIGN_LABELS.join(", ")} as benign and every other label as a threat; pass threatLabels with the labels that mark a threat, such as ["INJECTION"].`,
      },
    ]);
  }
  return indexes;
}

/** Picks the labels named in `threatLabels`, matched case-insensitively. */
function requestedThreatIndexes(
  labels: readonly string[],
  requested: readonly string[],
  configSource: string,
): number[] {
  const issues: SecurityIssue[] = [];
  const chosen = new Set<number>();
  requested.forEach((name, position) => {
    const matches = labels.flatMap((label, index) =>
      normalizeLabel(label) === normalizeLabel(name) ? [index] : [],
    );
    if (matches.length === 0) {
      issues.push({
        path: `threatLabels[${position}]`,
        value: name,
        message: `threatLabels[${position}] is ${describeValue(name)}, which is not a label in ${configSource}; use one of ${labels.join(", ")}.`,
      });
    }
    matches.forEach((index) => chosen.add(index));
  });
  if (
    issues.length === 0 &&
    labels.length > 1 &&
    chosen.size === labels.length
  ) {
    issues.push({
      path: "threatLabels",
      value: requested,
      message: `threatLabels names every label in ${configSource}, so every sentence would score 1; leave out the benign labels.`,
    });
  }
  if (issues.length > 0) {
    throw invalidThreatLabels(issues);
  }
  return [...chosen].sort((left, right) => left - right);
}

/**
 * Returns the indexes of the model outputs whose probabilities make up a
 * sentence's threat score. A model with one output is scored by the
 * sigmoid of that output, so its only label is the threat label. With
 * more outputs, `requested` names the threat labels, and without it
 * every label that {@link isBenignLabel} rejects is a threat label.
 * @throws {SecurityError} `INVALID_OPTIONS` when a requested label is
 * not a model label, when every label of a multi-output model would be
 * a threat label, or when the default rule finds no benign label or no
 * threat label.
 */
export function selectThreatLabels(
  labels: readonly string[],
  requested: readonly string[] | undefined,
  configSource: string,
): number[] {
  if (requested !== undefined) {
    return requestedThreatIndexes(labels, requested, configSource);
  }
  if (labels.length === 1) {
    return [0];
  }
  return defaultThreatIndexes(labels, configSource);
}
