import { describeValue, type SecurityIssue } from "../errors.js";
import {
  exceedsJsonDepth,
  MAX_JSON_DEPTH,
  normalizeJson,
} from "./canonical.js";

/**
 * `String.prototype.isWellFormed` exists in Node 20 and later (V8 11.3),
 * but the ES2023 library types that this package compiles with do not
 * declare it.
 */
interface WellFormedCheck {
  isWellFormed(): boolean;
}

/**
 * Describes why a string cannot be stored as given, or returns undefined.
 * SQLite and PostgreSQL replace a lone UTF-16 surrogate with U+FFFD, and
 * PostgreSQL rejects NUL, so a stored entry holding either would no longer
 * match its hash.
 */
export function textProblem(text: string): string | undefined {
  if (text.includes("\u0000")) {
    return "contains a NUL character (U+0000)";
  }
  if (!(text as unknown as WellFormedCheck).isWellFormed()) {
    return "contains a lone UTF-16 surrogate, so it is not well-formed Unicode";
  }
  return undefined;
}

/** Message settings of {@link normalizeJsonInput} for one field. */
export interface JsonInputSettings {
  /** Kind of value the field takes, such as "a JSON object", for messages. */
  readonly expected: string;
  /** Leaves strings out of issues, because they may be personal data. */
  readonly hideValues: boolean;
}

/**
 * Copies a JSON input field as a JSON round trip stores it. Adds one issue
 * and returns undefined when the value nests more than
 * {@link MAX_JSON_DEPTH} levels, when JSON cannot represent it, or when a
 * key or string in it cannot be stored as given.
 */
export function normalizeJsonInput(
  field: string,
  value: unknown,
  issues: SecurityIssue[],
  settings: JsonInputSettings,
): unknown {
  const issueValue = settings.hideValues ? typeof value : describeValue(value);
  const tooDeep = {
    path: field,
    value: issueValue,
    message: `${field} nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep. Flatten it to at most ${MAX_JSON_DEPTH} levels.`,
  };
  if (nestsTooDeep(value)) {
    issues.push(tooDeep);
    return undefined;
  }
  const normalized = normalizeJson(value);
  if (normalized === undefined) {
    issues.push({
      path: field,
      value: issueValue,
      message: `${field} must be ${settings.expected} without cycles, functions or bigints.`,
    });
    return undefined;
  }
  // A toJSON method can return a deeper value than the one passed.
  if (exceedsJsonDepth(normalized, MAX_JSON_DEPTH)) {
    issues.push(tooDeep);
    return undefined;
  }
  const found = findTextProblem(normalized, field);
  if (found !== undefined) {
    issues.push({
      path: found.path,
      value: settings.hideValues ? "string" : describeValue(found.text),
      message: `${found.message} Remove the character or replace it, for example with U+FFFD.`,
    });
    return undefined;
  }
  return normalized;
}

interface TextProblem {
  readonly path: string;
  readonly text: string;
  readonly message: string;
}

/** Finds the first key or string in parsed JSON that cannot be stored. */
function findTextProblem(
  value: unknown,
  path: string,
): TextProblem | undefined {
  if (typeof value === "string") {
    const problem = textProblem(value);
    return problem === undefined
      ? undefined
      : { path, text: value, message: `${path} ${problem}.` };
  }
  if (Array.isArray(value)) {
    for (const [position, item] of value.entries()) {
      const found = findTextProblem(item, `${path}[${position}]`);
      if (found !== undefined) {
        return found;
      }
    }
    return undefined;
  }
  if (typeof value !== "object" || value === null) {
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    const keyPath = memberPath(path, key);
    const problem = textProblem(key);
    if (problem !== undefined) {
      return {
        path: keyPath,
        text: key,
        message: `The key ${keyPath} ${problem}.`,
      };
    }
    const found = findTextProblem(item, keyPath);
    if (found !== undefined) {
      return found;
    }
  }
  return undefined;
}

/** Returns `details.name`, or `details["a b"]` for a key that is not an identifier. */
function memberPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/u.test(key)
    ? `${path}.${key}`
    : `${path}[${JSON.stringify(key)}]`;
}

/**
 * Tells whether a value as passed, before any JSON round trip, nests more
 * than {@link MAX_JSON_DEPTH} levels. A cycle does not count, because
 * {@link normalizeJson} reports it, and each object is walked once per
 * depth, so shared subtrees do not multiply the work.
 */
function nestsTooDeep(value: unknown): boolean {
  const checked = new WeakMap<object, number>();
  const ancestors: object[] = [];
  const walk = (node: unknown, limit: number): boolean => {
    if (typeof node !== "object" || node === null) {
      return false;
    }
    if (ancestors.includes(node) || (checked.get(node) ?? -1) >= limit) {
      return false;
    }
    if (limit <= 0) {
      return true;
    }
    ancestors.push(node);
    const children: unknown[] = Array.isArray(node)
      ? node
      : Object.values(node);
    const deep = children.some((child) => walk(child, limit - 1));
    ancestors.pop();
    checked.set(node, limit);
    return deep;
  };
  try {
    return walk(value, MAX_JSON_DEPTH);
  } catch {
    // A getter threw. The JSON round trip that follows reports the value.
    return false;
  }
}
