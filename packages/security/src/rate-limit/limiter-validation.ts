import { describeValue, SecurityErrorCode } from "../errors.js";
import type { SecurityIssue } from "../errors.js";
import type {
  RateLimitRequest,
  RateLimitScope,
  RateLimitUnit,
} from "./types.js";
import {
  checkKnownOptions,
  checkNonNegativeInteger,
  checkPositiveInteger,
  fieldsOf,
  isNonEmptyString,
  loneSurrogateIndex,
  throwIfIssues,
} from "./validate.js";

/** A rule with its defaults filled in. */
export interface ResolvedRule {
  readonly name: string;
  readonly scope: RateLimitScope;
  readonly unit: RateLimitUnit;
  readonly limit: number;
  readonly windowMs: number;
}

const RULE_NAME = /^[A-Za-z0-9._-]+$/;
const LIMITER_OPTIONS = ["store", "limits"];
const RULE_OPTIONS = ["name", "scope", "unit", "limit", "windowMs"];

/** Hint for a store option that a caller gives the limiter by mistake. */
const STORE_OPTION_HINT =
  "Pass it to the store, such as new MemoryRateLimitStore({ now }) or new RedisRateLimitStore({ client, prefix, clock, now }).";
const LIMITER_OPTION_HINTS: Readonly<Record<string, string>> = {
  now: STORE_OPTION_HINT,
  client: STORE_OPTION_HINT,
  prefix: STORE_OPTION_HINT,
  clock: STORE_OPTION_HINT,
};
const SCOPES: readonly unknown[] = ["key", "tenant"];
const UNITS: readonly unknown[] = ["requests", "tokens"];

function checkRule(
  issues: SecurityIssue[],
  rule: Record<string, unknown>,
  path: string,
  names: Set<unknown>,
): void {
  checkKnownOptions(issues, rule, RULE_OPTIONS, path);
  const { name, scope, unit, limit, windowMs } = rule;
  if (typeof name !== "string" || !RULE_NAME.test(name)) {
    issues.push({
      path: `${path}.name`,
      value: name,
      message: `${path}.name must contain only letters, digits, ".", "_" and "-", such as "key-tokens" (received ${describeValue(name)}).`,
    });
  } else if (names.has(name)) {
    issues.push({
      path: `${path}.name`,
      value: name,
      message: `${path}.name ${describeValue(name)} is used by another limit. Give each limit its own name.`,
    });
  }
  names.add(name);
  if (scope !== undefined && !SCOPES.includes(scope)) {
    issues.push({
      path: `${path}.scope`,
      value: scope,
      message: `${path}.scope must be "key" or "tenant" (received ${describeValue(scope)}).`,
    });
  }
  if (unit !== undefined && !UNITS.includes(unit)) {
    issues.push({
      path: `${path}.unit`,
      value: unit,
      message: `${path}.unit must be "requests" or "tokens" (received ${describeValue(unit)}).`,
    });
  }
  checkPositiveInteger(issues, `${path}.limit`, limit, "100");
  checkPositiveInteger(issues, `${path}.windowMs`, windowMs, "60000");
}

function checkStore(issues: SecurityIssue[], store: unknown): void {
  const fields = fieldsOf(store);
  if (
    typeof fields?.consume !== "function" ||
    typeof fields.reset !== "function"
  ) {
    issues.push({
      path: "store",
      value: store,
      message: `store must be a RateLimitStore, such as new MemoryRateLimitStore() or new RedisRateLimitStore({ client }) (received ${describeValue(store)}).`,
    });
  }
}

function checkLimits(issues: SecurityIssue[], limits: unknown): void {
  if (!Array.isArray(limits) || limits.length === 0) {
    issues.push({
      path: "limits",
      value: limits,
      message: `limits must be a non-empty array of { name, scope, unit, limit, windowMs } (received ${describeValue(limits)}).`,
    });
    return;
  }
  const names = new Set<unknown>();
  limits.forEach((rule: unknown, index) => {
    const path = `limits[${index}]`;
    const fields = fieldsOf(rule);
    if (fields === undefined) {
      issues.push({
        path,
        value: rule,
        message: `${path} must be an object { name, scope, unit, limit, windowMs } (received ${describeValue(rule)}).`,
      });
      return;
    }
    checkRule(issues, fields, path, names);
  });
}

/**
 * Throws INVALID_OPTIONS with every issue of a limiter's options, and
 * returns the rules with their defaults.
 */
export function resolveLimiterOptions(options: unknown): ResolvedRule[] {
  const issues: SecurityIssue[] = [];
  const fields = fieldsOf(options) ?? {};
  checkKnownOptions(issues, fields, LIMITER_OPTIONS, "", LIMITER_OPTION_HINTS);
  checkStore(issues, fields.store);
  checkLimits(issues, fields.limits);
  throwIfIssues(
    SecurityErrorCode.INVALID_OPTIONS,
    "option",
    issues,
    "RateLimiter",
  );
  return (fields.limits as Record<string, unknown>[]).map((rule) => ({
    name: rule.name as string,
    scope: (rule.scope ?? "key") as RateLimitScope,
    unit: (rule.unit ?? "requests") as RateLimitUnit,
    limit: rule.limit as number,
    windowMs: rule.windowMs as number,
  }));
}

/**
 * Maximum length of the `key` and `tenant` of a rate-limit request, in
 * UTF-16 code units (the string's `length`).
 */
export const MAX_RATE_LIMIT_ID_LENGTH = 256;

/** Returns why an id is invalid, or undefined when it is valid. */
function idProblem(value: string): string | undefined {
  if (value.length > MAX_RATE_LIMIT_ID_LENGTH) {
    return `must be at most ${MAX_RATE_LIMIT_ID_LENGTH} characters long (received ${value.length} characters). Pass a shorter id, such as a hash of this one`;
  }
  const surrogate = loneSurrogateIndex(value);
  if (surrogate >= 0) {
    return `must be well-formed Unicode, but it contains a lone UTF-16 surrogate at index ${surrogate} (received ${describeValue(value)})`;
  }
  return undefined;
}

function checkId(
  issues: SecurityIssue[],
  field: "key" | "tenant",
  value: unknown,
  required: boolean,
): void {
  if (value === undefined && !required) {
    return;
  }
  if (!isNonEmptyString(value)) {
    issues.push({
      path: field,
      value,
      message:
        value === undefined
          ? `${field} is missing, but a limit with scope "${field}" needs the request's ${field === "key" ? "API key id" : "tenant id"}.`
          : `${field} must be a non-empty string (received ${describeValue(value)}).`,
    });
    return;
  }
  const problem = idProblem(value);
  if (problem !== undefined) {
    issues.push({ path: field, value, message: `${field} ${problem}.` });
  }
}

/**
 * Throws INVALID_INPUT unless the request has every field that the rules
 * need. `tokens` is checked only when `needsTokens` is set.
 */
export function checkRequest(
  request: unknown,
  rules: readonly ResolvedRule[],
  needsTokens: boolean,
): asserts request is RateLimitRequest {
  if (typeof request !== "object" || request === null) {
    throwIfIssues(SecurityErrorCode.INVALID_INPUT, "request", [
      {
        path: "request",
        value: request,
        message: `The request must be an object { key, tenant, tokens } (received ${describeValue(request)}).`,
      },
    ]);
    return;
  }
  const { key, tenant, tokens } = request as Record<string, unknown>;
  const issues: SecurityIssue[] = [];
  checkId(
    issues,
    "key",
    key,
    rules.some((rule) => rule.scope === "key"),
  );
  checkId(
    issues,
    "tenant",
    tenant,
    rules.some((rule) => rule.scope === "tenant"),
  );
  const countsTokens = rules.some((rule) => rule.unit === "tokens");
  if (needsTokens && (tokens !== undefined || countsTokens)) {
    checkNonNegativeInteger(
      issues,
      "tokens",
      tokens,
      "Pass the request's cost for the limits that count tokens, such as its token count.",
    );
  }
  throwIfIssues(
    SecurityErrorCode.INVALID_INPUT,
    "field",
    issues,
    "the request",
  );
}
