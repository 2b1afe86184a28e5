import { throwIfIssues } from "../errors.js";
import type { ObservabilityIssue } from "../errors.js";
import { detectSecret, scrubText } from "./detectors.js";
import type { SecretDetector } from "./detectors.js";

/**
 * Key names whose values are always redacted. Keys match exactly after
 * lowercasing and dropping `-` and `_`, so `apiKey`, `api_key` and
 * `API-KEY` are the same key but `passwordHint` is not `password`.
 */
export const DEFAULT_REDACT_KEYS: readonly string[] = [
  "password",
  "passwd",
  "passphrase",
  "secret",
  "clientSecret",
  "token",
  "accessToken",
  "refreshToken",
  "idToken",
  "apiKey",
  "xApiKey",
  "authorization",
  "proxyAuthorization",
  "cookie",
  "setCookie",
  "privateKey",
  "sessionId",
  "creditCard",
  "cardNumber",
  "cvv",
  "ssn",
];

/** Options of {@link createRedactor}. */
export interface RedactOptions {
  /**
   * Key names whose values are replaced whatever they contain; replaces
   * the default list.
   * @default DEFAULT_REDACT_KEYS
   */
  readonly keys?: readonly string[];
  /**
   * Key names added to `keys`.
   * @default []
   */
  readonly extraKeys?: readonly string[];
  /**
   * Detector for string values that look like secrets or personal data, or
   * `false` to redact by key name only.
   * @default detectSecret
   */
  readonly detector?: SecretDetector | false;
  /**
   * Text that replaces a redacted value.
   * @default "[REDACTED]"
   */
  readonly censor?: string;
  /**
   * Depth below which values are replaced with `"[MaxDepth]"`.
   * @default 32
   */
  readonly maxDepth?: number;
}

/** A function that returns a redacted deep copy of a value. */
export type Redactor = (value: unknown) => unknown;

/** Value written in place of a property whose getter throws. */
const THROWS_MARKER = "[Throws]";

interface RedactState {
  readonly keys: ReadonlySet<string>;
  readonly detector: SecretDetector | undefined;
  readonly censor: string;
  readonly maxDepth: number;
  readonly ancestors: Set<object>;
}

/** Normalises a key name for matching: lowercase without `-` and `_`. */
export function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/gu, "");
}

function validateRedactOptions(options: RedactOptions): void {
  const issues: ObservabilityIssue[] = [];
  const names = [...(options.keys ?? []), ...(options.extraKeys ?? [])];
  names.forEach((name, index) => {
    if (typeof name !== "string" || normaliseKey(name) === "") {
      issues.push({
        path: `redact.keys[${index}]`,
        value: name,
        message: "a key name must be a non-empty string; remove or fix it",
      });
    }
  });
  const maxDepth = options.maxDepth;
  if (maxDepth !== undefined && !(Number.isInteger(maxDepth) && maxDepth > 0)) {
    issues.push({
      path: "redact.maxDepth",
      value: maxDepth,
      message: "must be a positive integer such as 32",
    });
  }
  throwIfIssues("redaction options", issues);
}

/**
 * Creates a redactor that copies a value and replaces, at any depth, the
 * values of configured keys and the strings that the detector flags.
 * Arrays, Maps, Sets and Errors are copied too, and a key that the
 * detector flags is replaced with `"[REDACTED KEY n]"`. Binary data
 * becomes `"[Binary n bytes]"`, a cycle `"[Circular]"` and a property
 * whose getter throws `"[Throws]"`. The input is never changed.
 */
export function createRedactor(options: RedactOptions = {}): Redactor {
  validateRedactOptions(options);
  const names = [
    ...(options.keys ?? DEFAULT_REDACT_KEYS),
    ...(options.extraKeys ?? []),
  ];
  const keys = new Set(names.map(normaliseKey));
  const detector =
    options.detector === false
      ? undefined
      : failClosed(options.detector ?? detectSecret);
  const censor = options.censor ?? "[REDACTED]";
  const maxDepth = options.maxDepth ?? 32;
  return (value) =>
    redactValue(value, [], {
      keys,
      detector,
      censor,
      maxDepth,
      ancestors: new Set(),
    });
}

/**
 * Wraps a detector so that a throw flags the value: a string that the
 * detector cannot judge is redacted, and the log call does not throw.
 */
export function failClosed(detector: SecretDetector): SecretDetector {
  if (detector === detectSecret) {
    return detector;
  }
  return (value, path) => {
    try {
      return detector(value, path);
    } catch {
      return true;
    }
  };
}

function redactValue(
  value: unknown,
  path: readonly string[],
  state: RedactState,
): unknown {
  if (typeof value === "string") {
    return state.detector?.(value, path) === true ? state.censor : value;
  }
  if (typeof value !== "object" || value === null) {
    return value;
  }
  if (state.ancestors.has(value)) {
    return "[Circular]";
  }
  if (path.length >= state.maxDepth) {
    return "[MaxDepth]";
  }
  state.ancestors.add(value);
  try {
    return redactObject(value, path, state);
  } catch {
    // A Proxy trap, a toJSON method or a custom detector threw inside this
    // object. The object becomes a marker so the log call does not throw.
    return THROWS_MARKER;
  } finally {
    state.ancestors.delete(value);
  }
}

function redactObject(
  value: object,
  path: readonly string[],
  state: RedactState,
): unknown {
  if (Array.isArray(value)) {
    return value.map((item: unknown, index) =>
      redactValue(item, [...path, String(index)], state),
    );
  }
  if (value instanceof Error) {
    return redactError(value, path, state);
  }
  if (value instanceof Map) {
    return redactEntries([...value.entries()], path, state);
  }
  if (value instanceof Set) {
    return [...value].map((item: unknown, index) =>
      redactValue(item, [...path, String(index)], state),
    );
  }
  if (ArrayBuffer.isView(value) || isArrayBuffer(value)) {
    // Bytes often hold request bodies or key material, and their JSON form
    // decodes back to the text, so only the size is kept.
    return `[Binary ${value.byteLength} bytes]`;
  }
  if (value instanceof Date) {
    return value;
  }
  if (
    value instanceof String ||
    value instanceof Number ||
    value instanceof Boolean ||
    value instanceof BigInt
  ) {
    // A boxed string would otherwise be copied one character per key,
    // which no detector can match.
    return redactValue(value.valueOf(), path, state);
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
    return redactValue(
      (value as { toJSON: () => unknown }).toJSON(),
      path,
      state,
    );
  }
  return redactEntries(readOwnEntries(value), path, state);
}

function isArrayBuffer(value: object): value is ArrayBufferLike {
  return (
    value instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer === "function" &&
      value instanceof SharedArrayBuffer)
  );
}

/**
 * Reads the own enumerable string-keyed properties one at a time, so a
 * getter that throws turns only its own value into {@link THROWS_MARKER}.
 */
function readOwnEntries(value: object): [string, unknown][] {
  return Object.keys(value).map((key) => {
    try {
      return [key, (value as Record<string, unknown>)[key]];
    } catch {
      return [key, THROWS_MARKER];
    }
  });
}

/**
 * Copies entries into a plain object. A key that the detector flags is
 * replaced with `[REDACTED KEY n]`, numbered from 1 within the object, so
 * two such keys stay distinct and their values are still redacted.
 */
function redactEntries(
  entries: readonly (readonly [unknown, unknown])[],
  path: readonly string[],
  state: RedactState,
): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  let redactedKeys = 0;
  for (const [rawKey, item] of entries) {
    let key = String(rawKey);
    if (state.detector?.(key, [...path, key]) === true) {
      redactedKeys += 1;
      key = `[REDACTED KEY ${redactedKeys}]`;
    }
    copy[key] = state.keys.has(normaliseKey(key))
      ? state.censor
      : redactValue(item, [...path, key], state);
  }
  return copy;
}

/**
 * Copies an error as a plain object with `type` (the error name),
 * `message`, `stack`, its own properties, `cause` and, for an
 * AggregateError, `errors`. Secrets inside the name, message and stack are
 * replaced and the rest of the text is kept.
 */
function redactError(
  error: Error,
  path: readonly string[],
  state: RedactState,
): Record<string, unknown> {
  const detector = state.detector ?? (() => false);
  const scrub = (text: unknown, key: string): string =>
    state.detector === undefined
      ? String(text)
      : scrubText(String(text), state.censor, detector, [...path, key]);
  const copy: Record<string, unknown> = {
    type: scrub(error.name, "type"),
    message: scrub(error.message, "message"),
  };
  if (error.stack !== undefined) {
    copy["stack"] = scrub(error.stack, "stack");
  }
  const own = redactEntries(readOwnEntries(error), path, state);
  Object.assign(copy, own);
  if (error.cause !== undefined) {
    copy["cause"] = redactValue(error.cause, [...path, "cause"], state);
  }
  const errors: unknown = (error as { errors?: unknown }).errors;
  if (Array.isArray(errors)) {
    copy["errors"] = redactValue(errors, [...path, "errors"], state);
  }
  return copy;
}
