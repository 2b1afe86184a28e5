import { createHash } from "node:crypto";

import type { ObservabilityIssue } from "../errors.js";
import type { InhibitRule, Labels, Matcher } from "./types.js";

/** Tells whether one label set satisfies one matcher; a missing label is "". */
export function matchesOne(labels: Labels, matcher: Matcher): boolean {
  const actual = labelValue(labels, matcher.name) ?? "";
  switch (matcher.operator ?? "=") {
    case "=":
      return actual === matcher.value;
    case "!=":
      return actual !== matcher.value;
    case "=~":
      return new RegExp(`^(?:${matcher.value})$`, "u").test(actual);
    case "!~":
      return !new RegExp(`^(?:${matcher.value})$`, "u").test(actual);
  }
}

/**
 * Returns the value of a label, or undefined when the label set does not
 * have it. Inherited names such as `constructor` are not labels.
 */
function labelValue(labels: Labels, name: string): string | undefined {
  return Object.hasOwn(labels, name) ? labels[name] : undefined;
}

/**
 * Lists the problems of matchers: a missing name, a non-string value, an
 * unknown operator or a regex that does not compile.
 */
export function matcherIssues(
  matchers: readonly Matcher[],
  path: string,
): ObservabilityIssue[] {
  if (!Array.isArray(matchers)) {
    return [
      {
        path,
        value: matchers,
        message:
          'must be an array of matchers such as { name: "cluster", value: "eu" }',
      },
    ];
  }
  const issues: ObservabilityIssue[] = [];
  matchers.forEach((matcher: Matcher, index) => {
    const at = `${path}[${index}]`;
    if (typeof matcher !== "object" || (matcher as unknown) === null) {
      issues.push({ path: at, value: matcher, message: "must be an object" });
      return;
    }
    if (typeof matcher.name !== "string" || matcher.name === "") {
      issues.push({
        path: `${at}.name`,
        value: matcher.name,
        message: "must be a non-empty label name",
      });
    }
    if (typeof matcher.value !== "string") {
      issues.push({
        path: `${at}.value`,
        value: matcher.value,
        message: "must be a string",
      });
    }
    const operator = matcher.operator ?? "=";
    if (!["=", "!=", "=~", "!~"].includes(operator)) {
      issues.push({
        path: `${at}.operator`,
        value: operator,
        message: 'must be "=", "!=", "=~" or "!~"',
      });
    } else if (operator.endsWith("~") && typeof matcher.value === "string") {
      try {
        new RegExp(`^(?:${matcher.value})$`, "u");
      } catch (error) {
        issues.push({
          path: `${at}.value`,
          value: matcher.value,
          message: `must be a valid regular expression: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    }
  });
  return issues;
}

/** Tells whether a label set satisfies every matcher. */
export function matchesAll(
  labels: Labels,
  matchers: readonly Matcher[],
): boolean {
  return matchers.every((matcher) => matchesOne(labels, matcher));
}

/**
 * Computes the fingerprint of a label set: the first 16 hex digits of the
 * SHA-256 of the labels sorted by name. Equal label sets give equal
 * fingerprints whatever the key order.
 */
export function fingerprint(labels: Labels): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((name) => [name, labels[name]]);
  return createHash("sha256")
    .update(JSON.stringify(sorted))
    .digest("hex")
    .slice(0, 16);
}

/**
 * Tells whether a firing `source` alert inhibits a `target` alert under a
 * rule. Each label in `equal` must be present on both alerts and have the
 * same value; a label missing on either side means no inhibition. An alert
 * never inhibits itself.
 */
export function inhibits(
  rule: InhibitRule,
  source: Labels,
  target: Labels,
): boolean {
  if (
    source === target ||
    !matchesAll(source, rule.sourceMatchers) ||
    !matchesAll(target, rule.targetMatchers)
  ) {
    return false;
  }
  return rule.equal.every((name) => {
    const sourceValue = labelValue(source, name);
    const targetValue = labelValue(target, name);
    return (
      sourceValue !== undefined &&
      targetValue !== undefined &&
      sourceValue === targetValue
    );
  });
}
