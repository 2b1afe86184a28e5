import { z } from "zod";

import { ConfigError, formatIssues } from "../errors.js";
import type { ConfigIssue } from "../errors.js";
import { parseSemver } from "./semver.js";
import type { FlagDefinition, FlagValueType } from "./types.js";

const OPERATORS = [
  "equals",
  "notEquals",
  "in",
  "notIn",
  "startsWith",
  "endsWith",
  "contains",
  "lt",
  "lte",
  "gt",
  "gte",
  "semverEq",
  "semverLt",
  "semverLte",
  "semverGt",
  "semverGte",
] as const;

const flagValue: z.ZodType = z.lazy(() =>
  z.union([
    z.boolean(),
    z.string(),
    z.number(),
    z.null(),
    z.array(flagValue),
    z.record(z.string(), flagValue),
  ]),
);

const condition = z
  .object({
    attribute: z.string().min(1, "expected an attribute name"),
    operator: z.enum(OPERATORS),
    value: z.unknown(),
  })
  .superRefine((value, context) => {
    const message = conditionValueProblem(value.operator, value.value);
    if (message !== undefined) {
      context.addIssue({ code: "custom", path: ["value"], message });
    }
  });

const rollout = z.object({
  percentage: z
    .number()
    .min(0, "expected a percentage from 0 to 100")
    .max(100, "expected a percentage from 0 to 100")
    .optional(),
  variants: z
    .array(
      z.object({
        variant: z.string(),
        weight: z.number().min(0, "expected a weight of 0 or more"),
      }),
    )
    .min(1, "expected at least one variant")
    .refine(
      (items) => items.length === 0 || items.some((item) => item.weight > 0),
      "expected at least one weight above 0",
    )
    .refine(
      (items) =>
        Number.isFinite(items.reduce((sum, item) => sum + item.weight, 0)),
      "expected weights whose sum is a finite number; scale them down",
    ),
  rolloutSeed: z.string().optional(),
  variantSeed: z.string().optional(),
});

const rule = z
  .object({
    id: z.string().optional(),
    conditions: z.array(condition),
    variant: z.string().optional(),
    rollout: rollout.optional(),
  })
  .refine(
    (value) => (value.variant === undefined) !== (value.rollout === undefined),
    "expected exactly one of variant and rollout",
  );

const flag = z.object({
  variants: z
    .record(z.string(), flagValue)
    .refine((value) => Object.keys(value).length > 0, "expected a variant")
    .superRefine((value, context) => {
      const types = new Set(Object.values(value).map(valueTypeOf));
      if (types.size > 1) {
        context.addIssue({
          code: "custom",
          message: `expected variants of one type, but found ${[...types].sort().join(", ")}; a typed getter would fail for some subjects`,
        });
      }
    }),
  defaultVariant: z.string(),
  enabled: z.boolean().optional(),
  offVariant: z.string().optional(),
  rules: z.array(rule).optional(),
  rollout: rollout.optional(),
  experiment: z.union([z.boolean(), z.string().min(1)]).optional(),
});

const flags = z.record(z.string().min(1, "expected a flag key"), flag);

function conditionValueProblem(
  operator: (typeof OPERATORS)[number],
  value: unknown,
): string | undefined {
  if (operator === "in" || operator === "notIn") {
    return Array.isArray(value) ? undefined : "expected a list of values";
  }
  if (["lt", "lte", "gt", "gte"].includes(operator)) {
    return typeof value === "number" ? undefined : "expected a number";
  }
  if (operator.startsWith("semver")) {
    return typeof value === "string" && parseSemver(value) !== undefined
      ? undefined
      : "expected a semantic version, such as 1.4.0";
  }
  return value === undefined ? "expected a value" : undefined;
}

/**
 * Returns the type a flag value is resolved as: `boolean`, `string`,
 * `number`, or `object` for objects, arrays and null.
 */
export function valueTypeOf(value: unknown): FlagValueType | undefined {
  switch (typeof value) {
    case "boolean":
    case "string":
    case "number":
      return typeof value as FlagValueType;
    case "object":
      return "object";
    default:
      return undefined;
  }
}

/** Lists variant names that a flag uses but does not define. */
function variantReferenceIssues(key: string, definition: FlagDefinition) {
  const issues: ConfigIssue[] = [];
  const check = (path: string, name: string | undefined) => {
    if (name !== undefined && !Object.hasOwn(definition.variants, name)) {
      const known = Object.keys(definition.variants).join(", ");
      issues.push({
        path: `${key}.${path}`,
        value: name,
        message: `expected one of the flag's variants (${known})`,
      });
    }
  };
  check("defaultVariant", definition.defaultVariant);
  check("offVariant", definition.offVariant);
  definition.rollout?.variants.forEach((item, index) => {
    check(`rollout.variants.${index}.variant`, item.variant);
  });
  definition.rules?.forEach((item, index) => {
    check(`rules.${index}.variant`, item.variant);
    item.rollout?.variants.forEach((entry, position) => {
      check(
        `rules.${index}.rollout.variants.${position}.variant`,
        entry.variant,
      );
    });
  });
  return issues;
}

/**
 * Checks flag definitions and reports every problem at once.
 *
 * @throws ConfigError `INVALID_FLAG_DEFINITION` with one issue per problem.
 */
export function checkFlags(
  input: unknown,
): asserts input is Readonly<Record<string, FlagDefinition>> {
  const result = flags.safeParse(input);
  const issues: ConfigIssue[] = [];
  const invalidFlags = new Set<string>();
  for (const issue of result.error?.issues ?? []) {
    let value: unknown = input;
    for (const key of issue.path) {
      value = (value as Record<PropertyKey, unknown> | undefined)?.[key];
    }
    invalidFlags.add(String(issue.path[0]));
    issues.push({
      path: issue.path.map(String).join("."),
      value,
      message: issue.message,
    });
  }
  // Variant names are checked for every flag whose shape is valid, so one
  // pass reports both kinds of problem.
  if (typeof input === "object" && input !== null) {
    for (const [key, definition] of Object.entries(input)) {
      if (!invalidFlags.has(key)) {
        issues.push(
          ...variantReferenceIssues(key, definition as FlagDefinition),
        );
      }
    }
  }
  if (issues.length > 0) {
    throw new ConfigError(
      "INVALID_FLAG_DEFINITION",
      formatIssues(
        "flag definitions are invalid; fix the values below",
        issues,
      ),
      { issues },
    );
  }
}
