import {
  describeValue,
  ResilienceError,
  ResilienceErrorCode,
  type ResilienceIssue,
} from "./errors.js";
import type { ResilienceLogger } from "./events.js";

/** The maximum delay that `setTimeout` accepts, in milliseconds. */
export const MAX_TIMER_MS = 2_147_483_647;

/** A list that option checks append their issues to. */
export type IssueList = ResilienceIssue[];

/** Tells whether a value is a plain object that can hold options. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Joins an option path, such as `retry` and `maxRetries`. */
export function joinPath(prefix: string, key: string): string {
  return prefix === "" ? key : `${prefix}.${key}`;
}

/**
 * Returns the options object at `path`, or an empty one when the value is
 * undefined. Records an issue and returns an empty object for other values.
 */
export function readOptionsObject(
  value: unknown,
  path: string,
  issues: IssueList,
  example: string,
): Record<string, unknown> {
  if (value === undefined) {
    return {};
  }
  if (isRecord(value)) {
    return value;
  }
  issues.push({
    path: path === "" ? "(options)" : path,
    value,
    message: `${path === "" ? "Options" : path} must be an object such as ${example} (received ${describeValue(value)}).`,
  });
  return {};
}

/** Records an issue for every key that is not an option. */
export function checkKnownKeys(
  record: Record<string, unknown>,
  allowed: readonly string[],
  path: string,
  issues: IssueList,
): void {
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) {
      issues.push({
        path: joinPath(path, key),
        // The value is left out because a mistyped option may contain a secret.
        value: undefined,
        message: `Unknown option "${joinPath(path, key)}". Valid options are ${allowed.join(", ")}.`,
      });
    }
  }
}

/** The range, default and example of a numeric option. */
export interface NumberRule {
  readonly default: number;
  readonly min: number;
  readonly max?: number;
  /** Whether `min` itself is invalid. */
  readonly minExclusive?: boolean;
  /** Whether `max` itself is invalid. */
  readonly maxExclusive?: boolean;
  readonly integer?: boolean;
  readonly example: string;
}

function describeRule(rule: NumberRule): string {
  const kind = rule.integer === true ? "an integer" : "a number";
  if (rule.max !== undefined) {
    const low = rule.minExclusive === true ? `above ${rule.min}` : rule.min;
    const high = rule.maxExclusive === true ? `below ${rule.max}` : rule.max;
    return `${kind} from ${low} to ${high}`;
  }
  return rule.minExclusive === true
    ? `${kind} greater than ${rule.min}`
    : `${kind} of at least ${rule.min}`;
}

function fitsRule(value: number, rule: NumberRule): boolean {
  if (!Number.isFinite(value)) {
    return false;
  }
  if (rule.integer === true && !Number.isInteger(value)) {
    return false;
  }
  if (rule.minExclusive === true ? value <= rule.min : value < rule.min) {
    return false;
  }
  if (rule.max === undefined) {
    return true;
  }
  return rule.maxExclusive === true ? value < rule.max : value <= rule.max;
}

/**
 * Returns the numeric option `key`, or its default when it is undefined or
 * invalid. An invalid value is recorded as an issue.
 */
export function readNumber(
  record: Record<string, unknown>,
  key: string,
  path: string,
  issues: IssueList,
  rule: NumberRule,
): number {
  const value = record[key];
  if (value === undefined) {
    return rule.default;
  }
  if (typeof value === "number" && fitsRule(value, rule)) {
    return value;
  }
  const fullPath = joinPath(path, key);
  issues.push({
    path: fullPath,
    value,
    message: `${fullPath} must be ${describeRule(rule)}, such as ${rule.example} (received ${describeValue(value)}).`,
  });
  return rule.default;
}

/**
 * Returns the function option `key`, or `fallback` when it is undefined or
 * not a function. A value that is not a function is recorded as an issue.
 */
export function readFunction<F>(
  record: Record<string, unknown>,
  key: string,
  path: string,
  issues: IssueList,
  fallback: F,
  example: string,
): F {
  const value = record[key];
  if (value === undefined) {
    return fallback;
  }
  if (typeof value === "function") {
    return value as F;
  }
  const fullPath = joinPath(path, key);
  issues.push({
    path: fullPath,
    value,
    message: `${fullPath} must be a function such as ${example} (received ${describeValue(value)}).`,
  });
  return fallback;
}

/** Returns the `name` option, or `fallback` when it is undefined or invalid. */
export function readName(
  record: Record<string, unknown>,
  path: string,
  issues: IssueList,
  fallback: string,
): string {
  const value = record.name;
  if (value === undefined) {
    return fallback;
  }
  if (typeof value === "string" && value.trim() !== "") {
    return value;
  }
  const fullPath = joinPath(path, "name");
  issues.push({
    path: fullPath,
    value,
    message: `${fullPath} must be a non-empty string such as "encoder" (received ${describeValue(value)}).`,
  });
  return fallback;
}

/**
 * Returns the `logger` option, or undefined when it is undefined or lacks
 * `info` and `warn` methods. An invalid value is recorded as an issue.
 */
export function readLogger(
  record: Record<string, unknown>,
  path: string,
  issues: IssueList,
): ResilienceLogger | undefined {
  const value = record.logger;
  if (value === undefined) {
    return undefined;
  }
  if (
    isRecord(value) &&
    typeof value.info === "function" &&
    typeof value.warn === "function"
  ) {
    return value as unknown as ResilienceLogger;
  }
  const fullPath = joinPath(path, "logger");
  issues.push({
    path: fullPath,
    value,
    message: `${fullPath} must be an object with info(fields, message) and warn(fields, message) methods, such as a pino logger (received ${describeValue(value)}).`,
  });
  return undefined;
}

/**
 * Throws one `INVALID_OPTIONS` error that lists every issue, when there
 * is any.
 */
export function throwIfInvalid(issues: readonly ResilienceIssue[]): void {
  if (issues.length === 0) {
    return;
  }
  const count = `${issues.length} invalid option${issues.length === 1 ? "" : "s"}`;
  throw new ResilienceError(
    ResilienceErrorCode.INVALID_OPTIONS,
    `${count}: ${issues.map((issue) => issue.message).join(" ")}`,
    { issues },
  );
}
