import { throwIfIssues } from "../errors.js";
import type { ObservabilityIssue } from "../errors.js";
import type { AlertCondition, AlertRule, ComparisonOperator } from "./types.js";

/** One stored sample of a series. */
export interface TimedValue {
  readonly at: number;
  readonly value: number;
}

const OPERATORS: readonly ComparisonOperator[] = [">", ">=", "<", "<="];
const SEVERITIES = ["info", "warning", "critical"];

/** Compares a value with a limit. */
export function compare(
  value: number,
  operator: ComparisonOperator,
  limit: number,
): boolean {
  switch (operator) {
    case ">":
      return value > limit;
    case ">=":
      return value >= limit;
    case "<":
      return value < limit;
    case "<=":
      return value <= limit;
  }
}

/**
 * Measures a series for a condition: the latest value for a threshold, or
 * the change per second between the oldest and newest sample within the
 * window for a rate. Returns undefined when there is not enough data.
 */
export function measure(
  condition: AlertCondition,
  samples: readonly TimedValue[],
  now: number,
): number | undefined {
  const latest = samples[samples.length - 1];
  if (latest === undefined) {
    return undefined;
  }
  if (condition.kind === "threshold") {
    return latest.value;
  }
  const inWindow = samples.filter(
    (sample) => sample.at >= now - condition.windowMs,
  );
  const oldest = inWindow[0];
  if (oldest === undefined || inWindow.length < 2 || latest.at === oldest.at) {
    return undefined;
  }
  return ((latest.value - oldest.value) * 1_000) / (latest.at - oldest.at);
}

/** Tells whether a measured value meets the condition. */
export function conditionHolds(
  condition: AlertCondition,
  measured: number,
): boolean {
  const limit =
    condition.kind === "threshold" ? condition.value : condition.perSecond;
  return compare(measured, condition.operator, limit);
}

function conditionIssues(
  condition: AlertCondition,
  path: string,
): ObservabilityIssue[] {
  const issues: ObservabilityIssue[] = [];
  if (!OPERATORS.includes(condition.operator)) {
    issues.push({
      path: `${path}.operator`,
      value: condition.operator,
      message: 'must be ">", ">=", "<" or "<="',
    });
  }
  const limit =
    condition.kind === "threshold" ? condition.value : condition.perSecond;
  if (!Number.isFinite(limit)) {
    issues.push({
      path: `${path}.${condition.kind === "threshold" ? "value" : "perSecond"}`,
      value: limit,
      message: "must be a finite number",
    });
  }
  if (
    condition.kind === "rate" &&
    !(Number.isFinite(condition.windowMs) && condition.windowMs > 0)
  ) {
    issues.push({
      path: `${path}.windowMs`,
      value: condition.windowMs,
      message: "must be a positive number of milliseconds",
    });
  }
  return issues;
}

/** Validates rules and throws INVALID_OPTIONS listing every problem. */
export function validateRules(rules: readonly AlertRule[]): void {
  const issues: ObservabilityIssue[] = [];
  const names = new Set<string>();
  rules.forEach((rule, index) => {
    const path = `rules[${index}]`;
    if (
      typeof rule.name !== "string" ||
      rule.name === "" ||
      names.has(rule.name)
    ) {
      issues.push({
        path: `${path}.name`,
        value: rule.name,
        message: "must be a unique non-empty string",
      });
    }
    names.add(rule.name);
    if (typeof rule.metric !== "string" || rule.metric === "") {
      issues.push({
        path: `${path}.metric`,
        value: rule.metric,
        message: 'must be a metric name such as "http.server.errors"',
      });
    }
    if (!SEVERITIES.includes(rule.severity)) {
      issues.push({
        path: `${path}.severity`,
        value: rule.severity,
        message: 'must be "info", "warning" or "critical"',
      });
    }
    const forMs = rule.forMs;
    if (forMs !== undefined && !(Number.isFinite(forMs) && forMs >= 0)) {
      issues.push({
        path: `${path}.forMs`,
        value: forMs,
        message: "must be zero or a positive number of milliseconds",
      });
    }
    if (!["threshold", "rate"].includes(rule.condition.kind)) {
      issues.push({
        path: `${path}.condition.kind`,
        value: rule.condition.kind,
        message: 'must be "threshold" or "rate"',
      });
    } else {
      issues.push(...conditionIssues(rule.condition, `${path}.condition`));
    }
  });
  throwIfIssues("alert rules", issues);
}
