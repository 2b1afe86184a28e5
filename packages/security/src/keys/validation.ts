import { describeValue, SecurityError, SecurityErrorCode } from "../errors.js";
import type { SecurityIssue } from "../errors.js";

/** Maximum length of a tenant or key id, in characters. */
export const MAX_ID_LENGTH = 128;

// Control characters would corrupt logs and keys of maps built from ids.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/u;

/**
 * Returns `value` as a record of options, or raises INVALID_OPTIONS when
 * it is not an object. `example` shows a valid value in the message.
 */
export function requireObject(
  value: unknown,
  subject: string,
  example: string,
): Record<string, unknown> {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    return value as Record<string, unknown>;
  }
  throw new SecurityError(
    SecurityErrorCode.INVALID_OPTIONS,
    `${subject} must be an object such as ${example} (received ` +
      `${describeValue(value)}).`,
    { issues: [{ path: "", value, message: `Pass an object.` }] },
  );
}

/**
 * Adds an issue for each property not in `names`. The value is left out
 * because a mistyped option may contain a secret such as the pepper.
 */
export function checkKnownNames(
  record: Record<string, unknown>,
  names: readonly string[],
  issues: SecurityIssue[],
): void {
  for (const name of Object.keys(record)) {
    if (!names.includes(name)) {
      issues.push({
        path: name,
        value: undefined,
        message: `Unknown option "${name}". Valid options are ${names.join(", ")}.`,
      });
    }
  }
}

/**
 * Converts a time given as epoch milliseconds or a `Date` to epoch
 * milliseconds; returns undefined for anything else.
 */
export function toEpochMs(value: unknown): number | undefined {
  if (value instanceof Date) {
    const time = value.getTime();
    return Number.isNaN(time) ? undefined : time;
  }
  if (Number.isSafeInteger(value) && (value as number) >= 0) {
    return value as number;
  }
  return undefined;
}

/** Checks an optional time option and returns it in epoch milliseconds. */
export function checkTime(
  value: unknown,
  path: string,
  issues: SecurityIssue[],
): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const time = toEpochMs(value);
  if (time === undefined) {
    issues.push({
      path,
      value,
      message:
        `${path} must be a Date or epoch milliseconds as a non-negative ` +
        `integer (received ${describeValue(value)}).`,
    });
  }
  return time;
}

/** Checks a required id such as a tenant or key id. */
export function checkId(
  value: unknown,
  path: string,
  issues: SecurityIssue[],
): value is string {
  const valid =
    typeof value === "string" &&
    value.length > 0 &&
    value.length <= MAX_ID_LENGTH &&
    !CONTROL_CHARACTER.test(value);
  if (!valid) {
    issues.push({
      path,
      value,
      message:
        `${path} must be a non-empty string of at most ${MAX_ID_LENGTH} ` +
        `characters without control characters (received ` +
        `${describeValue(value)}).`,
    });
  }
  return valid;
}

/** Checks an optional non-negative integer and returns it or `fallback`. */
export function checkCount(
  value: unknown,
  path: string,
  fallback: number,
  issues: SecurityIssue[],
): number {
  if (value === undefined) {
    return fallback;
  }
  if (Number.isSafeInteger(value) && (value as number) >= 0) {
    return value as number;
  }
  issues.push({
    path,
    value,
    message:
      `${path} must be a non-negative integer (received ` +
      `${describeValue(value)}).`,
  });
  return fallback;
}

/** Checks an optional `clock` option; returns `Date.now` when absent. */
export function checkClock(
  value: unknown,
  issues: SecurityIssue[],
): () => number {
  if (value === undefined) {
    return Date.now;
  }
  if (typeof value === "function") {
    return value as () => number;
  }
  issues.push({
    path: "clock",
    value,
    message: `clock must be a function that returns epoch milliseconds (received ${describeValue(value)}).`,
  });
  return Date.now;
}

/** Raises INVALID_OPTIONS listing every issue, if there are any. */
export function throwIfInvalid(issues: readonly SecurityIssue[]): void {
  if (issues.length === 0) {
    return;
  }
  const plural = issues.length === 1 ? "" : "s";
  throw new SecurityError(
    SecurityErrorCode.INVALID_OPTIONS,
    `${issues.length} invalid option${plural}: ` +
      issues.map((issue) => issue.message).join(" "),
    { issues },
  );
}
