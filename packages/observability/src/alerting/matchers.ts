import { createHash } from "node:crypto";

import type { InhibitRule, Labels, Matcher } from "./types.js";

/** Tells whether one label set satisfies one matcher; a missing label is "". */
export function matchesOne(labels: Labels, matcher: Matcher): boolean {
  const actual = labels[matcher.name] ?? "";
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
    const sourceValue = source[name];
    const targetValue = target[name];
    return (
      sourceValue !== undefined &&
      targetValue !== undefined &&
      sourceValue === targetValue
    );
  });
}
