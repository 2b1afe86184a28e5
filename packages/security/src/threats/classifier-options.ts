import { describeValue } from "../errors.js";
import type { SecurityIssue } from "../errors.js";
import type { ThreatClassifier } from "./types.js";

function isClassifier(value: unknown): value is ThreatClassifier {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const { name, classify } = value as Record<string, unknown>;
  return (
    typeof name === "string" &&
    name.trim() !== "" &&
    typeof classify === "function"
  );
}

/**
 * Checks `classifier` and `classifierBatchSize`, which only
 * `scanThreatsAsync` takes, and adds an issue for each invalid one.
 */
export function checkClassifier(
  record: Record<string, unknown>,
  async: boolean,
  issues: SecurityIssue[],
): void {
  const { classifier, classifierBatchSize } = record;
  if (
    async &&
    classifierBatchSize !== undefined &&
    !(
      typeof classifierBatchSize === "number" &&
      Number.isInteger(classifierBatchSize) &&
      classifierBatchSize >= 1
    )
  ) {
    issues.push({
      path: "classifierBatchSize",
      value: classifierBatchSize,
      message: `classifierBatchSize must be a whole number of at least 1 (received ${describeValue(classifierBatchSize)}).`,
    });
  }
  if (classifier === undefined) {
    return;
  }
  if (!async) {
    issues.push({
      path: "classifier",
      value: classifier,
      message:
        "scanThreats runs the rules only and takes no classifier; call scanThreatsAsync to combine a classifier with the rules.",
    });
    return;
  }
  if (!isClassifier(classifier)) {
    issues.push({
      path: "classifier",
      value: classifier,
      message: `classifier must be an object { name, classify(sentences) } with a non-empty name (received ${describeValue(classifier)}).`,
    });
  }
}

/**
 * Checks the `signal` option: an AbortSignal, or any object with the
 * `aborted`, `reason` and `addEventListener` members that the scan uses.
 */
export function checkSignal(value: unknown, issues: SecurityIssue[]): void {
  if (value === undefined) {
    return;
  }
  const signal =
    typeof value === "object" && value !== null
      ? (value as Partial<AbortSignal>)
      : undefined;
  const valid =
    signal !== undefined &&
    typeof signal.aborted === "boolean" &&
    typeof signal.addEventListener === "function" &&
    typeof signal.removeEventListener === "function";
  if (!valid) {
    issues.push({
      path: "signal",
      value,
      message: `signal must be an AbortSignal, such as AbortSignal.timeout(5000) (received ${describeValue(value)}).`,
    });
  }
}
