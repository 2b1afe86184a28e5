import { describeValue, SecurityError, SecurityErrorCode } from "../errors.js";
import type { SecurityIssue } from "../errors.js";

/** Tells whether a value is a safe integer of at least 1. */
export function isPositiveInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 1;
}

/** Tells whether a value is a safe integer of at least 0. */
export function isNonNegativeInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** Returns the fields of an object, or `undefined` for anything else. */
export function fieldsOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Tells whether a value is a string of at least one character. */
export function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

// In a `u` regular expression a surrogate pair is one code point, so this
// matches only a lone surrogate, which UTF-8 cannot encode.
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Returns the index of the first lone UTF-16 surrogate in a string, or -1
 * when the string is well-formed Unicode. ioredis sends keys as UTF-8,
 * which writes each lone surrogate as U+FFFD, so two keys that differ only
 * there would share one window.
 */
export function loneSurrogateIndex(value: string): number {
  return LONE_SURROGATE.exec(value)?.index ?? -1;
}

/**
 * Throws one error with every issue, unless there are none. The message
 * starts with the count, such as "2 invalid options of RateLimiter: ".
 * @param noun What each issue is about, in the singular, such as "option".
 * @param owner What the values belong to, such as "RateLimiter".
 */
export function throwIfIssues(
  code: SecurityErrorCode,
  noun: string,
  issues: readonly SecurityIssue[],
  owner?: string,
): void {
  if (issues.length === 0) {
    return;
  }
  const count = `${issues.length} invalid ${noun}${issues.length === 1 ? "" : "s"}`;
  const of = owner === undefined ? "" : ` of ${owner}`;
  const details = issues.map((issue) => issue.message).join(" ");
  throw new SecurityError(code, `${count}${of}: ${details}`, { issues });
}

/**
 * Adds an issue for each key of `fields` that is not in `names`. The value
 * is left out of the issue, because a mistyped option may contain a
 * secret such as a Redis password.
 * @param parent Path of the object, such as "limits[0]", or "" at the top.
 * @param hints Sentences added to the message of some unknown keys.
 */
export function checkKnownOptions(
  issues: SecurityIssue[],
  fields: Record<string, unknown>,
  names: readonly string[],
  parent = "",
  hints: Readonly<Record<string, string>> = {},
): void {
  const where = parent === "" ? "" : ` in ${parent}`;
  for (const key of Object.keys(fields)) {
    if (names.includes(key)) {
      continue;
    }
    const hint = Object.hasOwn(hints, key) ? ` ${hints[key]}` : "";
    issues.push({
      path: parent === "" ? key : `${parent}.${key}`,
      value: undefined,
      message: `Unknown option "${key}"${where}. Valid options are ${names.join(", ")}.${hint}`,
    });
  }
}

/**
 * Returns an error message as one sentence that ends with a period, so a
 * message that has one, such as ioredis's "Connection is closed.", is not
 * followed by a second.
 */
export function asSentence(message: string): string {
  const trimmed = message.trimEnd();
  return /[.!?]$/u.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** Adds an issue for a value that is not a positive integer. */
export function checkPositiveInteger(
  issues: SecurityIssue[],
  path: string,
  value: unknown,
  example: string,
): void {
  if (!isPositiveInteger(value)) {
    issues.push({
      path,
      value,
      message: `${path} must be a positive integer such as ${example} (received ${describeValue(value)}).`,
    });
  }
}

/** Adds an issue for a value that is not a non-negative integer. */
export function checkNonNegativeInteger(
  issues: SecurityIssue[],
  path: string,
  value: unknown,
  fix: string,
): void {
  if (!isNonNegativeInteger(value)) {
    issues.push({
      path,
      value,
      message: `${path} must be an integer of at least 0 (received ${describeValue(value)}). ${fix}`,
    });
  }
}

/** Adds an issue for an optional clock that is not a function. */
export function checkClock(issues: SecurityIssue[], now: unknown): void {
  if (now !== undefined && typeof now !== "function") {
    issues.push({
      path: "now",
      value: now,
      message: `now must be a function that returns the time in ms since the epoch, such as Date.now (received ${describeValue(now)}).`,
    });
  }
}

/**
 * Reads a clock and checks its value, so a broken clock fails loudly
 * instead of counting every entry as expired.
 */
export function readClock(now: () => number): number {
  const time = now();
  if (typeof time !== "number" || !Number.isFinite(time) || time < 0) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_OPTIONS,
      `The rate-limit clock returned ${describeValue(time)}, but now() must return the time in ms since the epoch, such as Date.now().`,
      {
        issues: [
          {
            path: "now",
            value: time,
            message: "now() must return a finite number of at least 0.",
          },
        ],
      },
    );
  }
  return Math.floor(time);
}

/** Adds an issue for a window key that is invalid or used twice. */
function checkWindowKey(
  issues: SecurityIssue[],
  path: string,
  key: unknown,
  keys: Set<string>,
): void {
  if (!isNonEmptyString(key)) {
    issues.push({
      path,
      value: key,
      message: `${path} must be a non-empty string (received ${describeValue(key)}).`,
    });
    return;
  }
  const surrogate = loneSurrogateIndex(key);
  if (surrogate >= 0) {
    issues.push({
      path,
      value: key,
      message: `${path} must be well-formed Unicode, but it contains a lone UTF-16 surrogate at index ${surrogate} (received ${describeValue(key)}).`,
    });
  } else if (keys.has(key)) {
    issues.push({
      path,
      value: key,
      message: `${path} ${describeValue(key)} appears twice. Charge each window once per call.`,
    });
  } else {
    keys.add(key);
  }
}

/** Throws INVALID_INPUT unless the windows of a store call are valid. */
export function checkWindows(windows: unknown): void {
  if (!Array.isArray(windows)) {
    throwIfIssues(SecurityErrorCode.INVALID_INPUT, "argument", [
      {
        path: "windows",
        value: windows,
        message: `windows must be an array of { key, limit, windowMs, cost } (received ${describeValue(windows)}).`,
      },
    ]);
    return;
  }
  const issues: SecurityIssue[] = [];
  const keys = new Set<string>();
  windows.forEach((entry: unknown, index) => {
    const path = `windows[${index}]`;
    const window = fieldsOf(entry);
    if (window === undefined) {
      issues.push({
        path,
        value: entry,
        message: `${path} must be an object { key, limit, windowMs, cost } (received ${describeValue(entry)}).`,
      });
      return;
    }
    checkWindowKey(issues, `${path}.key`, window.key, keys);
    checkPositiveInteger(issues, `${path}.limit`, window.limit, "100");
    checkPositiveInteger(issues, `${path}.windowMs`, window.windowMs, "60000");
    checkNonNegativeInteger(
      issues,
      `${path}.cost`,
      window.cost,
      "Pass the points the request costs, or 0 to only read the window.",
    );
  });
  throwIfIssues(
    SecurityErrorCode.INVALID_INPUT,
    "field",
    issues,
    "the windows",
  );
}
