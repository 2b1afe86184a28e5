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
 * Latest time that a `Date` holds, in epoch milliseconds: 8.64e15, in
 * September 275760. Later times cannot be formatted or compared as dates.
 */
export const MAX_DATE_MS = 8_640_000_000_000_000;

/**
 * Converts a time given as epoch milliseconds or a `Date` to epoch
 * milliseconds; returns undefined for anything else, an invalid `Date`
 * and numbers above {@link MAX_DATE_MS} included.
 */
export function toEpochMs(value: unknown): number | undefined {
  if (value instanceof Date) {
    const time = value.getTime();
    return Number.isNaN(time) ? undefined : time;
  }
  if (
    Number.isSafeInteger(value) &&
    (value as number) >= 0 &&
    (value as number) <= MAX_DATE_MS
  ) {
    return value as number;
  }
  return undefined;
}

function timeProblem(value: unknown, path: string): string {
  if (value instanceof Date) {
    return `${path} is an invalid Date. Pass a valid Date or epoch milliseconds.`;
  }
  if (Number.isSafeInteger(value) && (value as number) > MAX_DATE_MS) {
    return (
      `${path} must be at most ${MAX_DATE_MS} epoch milliseconds, the ` +
      `latest time a Date holds (received ${String(value)}).`
    );
  }
  return (
    `${path} must be a Date or epoch milliseconds as a non-negative ` +
    `integer (received ${describeValue(value)}).`
  );
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
    issues.push({ path, value, message: timeProblem(value, path) });
  }
  return time;
}

/**
 * Returns the index of the first lone UTF-16 surrogate in a string, or -1
 * when the string is well-formed Unicode. SQLite and PostgreSQL store text
 * as UTF-8, which has no code for a lone surrogate, so the drivers save
 * U+FFFD in its place and two strings that differ only there become one.
 */
export function loneSurrogateIndex(value: string): number {
  // In a `u` regular expression a surrogate pair is one code point, so
  // this matches only a lone surrogate.
  return /\p{Surrogate}/u.exec(value)?.index ?? -1;
}

/**
 * Checks that SQL stores save a string unchanged, so it contains no lone
 * surrogate and no NUL character. Adds an issue and returns false if not.
 */
export function checkStorableText(
  value: string,
  path: string,
  issues: SecurityIssue[],
): boolean {
  const surrogate = loneSurrogateIndex(value);
  if (surrogate >= 0) {
    issues.push({
      path,
      value,
      message:
        `${path} must be well-formed Unicode, but it contains a lone ` +
        `UTF-16 surrogate at index ${surrogate} (received ` +
        `${describeValue(value)}).`,
    });
    return false;
  }
  if (value.includes("\u0000")) {
    issues.push({
      path,
      value,
      message:
        `${path} must not contain a NUL character, which PostgreSQL ` +
        `cannot store (received ${describeValue(value)}).`,
    });
    return false;
  }
  return true;
}

/**
 * Checks a required id such as a tenant or key id: 1 to
 * {@link MAX_ID_LENGTH} characters of well-formed Unicode without control
 * characters.
 */
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
    return false;
  }
  return checkStorableText(value, path, issues);
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
