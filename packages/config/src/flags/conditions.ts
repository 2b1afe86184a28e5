import { compareSemver, parseSemver } from "./semver.js";
import type { Condition, EvaluationContext } from "./types.js";

/**
 * Reads an attribute; dots reach into nested objects. Only own properties
 * count, so `constructor.name` is missing unless the context sets it.
 */
export function readAttribute(
  context: EvaluationContext,
  attribute: string,
): unknown {
  if (Object.hasOwn(context, attribute)) {
    return context[attribute];
  }
  let current: unknown = context;
  for (const segment of attribute.split(".")) {
    if (
      typeof current !== "object" ||
      current === null ||
      !Object.hasOwn(current, segment)
    ) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/**
 * Tells whether a condition holds for a context. A missing attribute
 * fails every operator except `notEquals` and `notIn`, and a value of the
 * wrong type (such as text for `lt`) fails the condition.
 */
export function matchesCondition(
  condition: Condition,
  context: EvaluationContext,
): boolean {
  const actual = readAttribute(context, condition.attribute);
  const expected = condition.value;
  switch (condition.operator) {
    case "equals":
      return actual !== undefined && sameValue(actual, expected);
    case "notEquals":
      return actual === undefined || !sameValue(actual, expected);
    case "in":
      return (
        actual !== undefined &&
        listOf(expected).some((v) => sameValue(actual, v))
      );
    case "notIn":
      return (
        actual === undefined ||
        !listOf(expected).some((v) => sameValue(actual, v))
      );
    case "startsWith":
      return typeof actual === "string" && actual.startsWith(String(expected));
    case "endsWith":
      return typeof actual === "string" && actual.endsWith(String(expected));
    case "contains":
      return containsValue(actual, expected);
    default:
      return compareCondition(condition.operator, actual, expected);
  }
}

function compareCondition(
  operator: Condition["operator"],
  actual: unknown,
  expected: unknown,
): boolean {
  const order = operator.startsWith("semver")
    ? semverOrder(actual, expected)
    : numberOrder(actual, expected);
  if (order === undefined) {
    return false;
  }
  switch (operator) {
    case "semverEq":
      return order === 0;
    case "lt":
    case "semverLt":
      return order < 0;
    case "lte":
    case "semverLte":
      return order <= 0;
    case "gt":
    case "semverGt":
      return order > 0;
    case "gte":
    case "semverGte":
      return order >= 0;
    default:
      return false;
  }
}

function numberOrder(actual: unknown, expected: unknown): number | undefined {
  // Number("") and Number("  ") are 0, but blank text is no number.
  const left =
    typeof actual === "string"
      ? actual.trim() === ""
        ? Number.NaN
        : Number(actual)
      : actual;
  if (
    typeof left !== "number" ||
    Number.isNaN(left) ||
    typeof expected !== "number"
  ) {
    return undefined;
  }
  if (left === expected) {
    return 0;
  }
  return left < expected ? -1 : 1;
}

function semverOrder(actual: unknown, expected: unknown): number | undefined {
  const left = typeof actual === "string" ? parseSemver(actual) : undefined;
  const right =
    typeof expected === "string" ? parseSemver(expected) : undefined;
  if (left === undefined || right === undefined) {
    return undefined;
  }
  return compareSemver(left, right);
}

function sameValue(actual: unknown, expected: unknown): boolean {
  return actual === expected;
}

function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [value];
}

function containsValue(actual: unknown, expected: unknown): boolean {
  if (typeof actual === "string") {
    return actual.includes(String(expected));
  }
  return Array.isArray(actual) && actual.some((item) => item === expected);
}
