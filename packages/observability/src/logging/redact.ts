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
 * Arrays, Maps, Sets and Errors are copied too; a cycle becomes
 * `"[Circular]"`. The input is never changed.
 */
export function createRedactor(options: RedactOptions = {}): Redactor {
  validateRedactOptions(options);
  const names = [
    ...(options.keys ?? DEFAULT_REDACT_KEYS),
    ...(options.extraKeys ?? []),
  ];
  const keys = new Set(names.map(normaliseKey));
  const detector =
    options.detector === false ? undefined : (options.detector ?? detectSecret);
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
  if (value instanceof Date || ArrayBuffer.isView(value)) {
    return value;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
    return redactValue(
      (value as { toJSON: () => unknown }).toJSON(),
      path,
      state,
    );
  }
  return redactEntries(Object.entries(value), path, state);
}

function redactEntries(
  entries: readonly (readonly [unknown, unknown])[],
  path: readonly string[],
  state: RedactState,
): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [rawKey, item] of entries) {
    const key = String(rawKey);
    copy[key] = state.keys.has(normaliseKey(key))
      ? state.censor
      : redactValue(item, [...path, key], state);
  }
  return copy;
}

/**
 * Copies an error as a plain object with `type`, `message`, `stack`, its
 * own properties and `cause`. Secrets inside the message and stack are
 * replaced and the rest of the text is kept.
 */
function redactError(
  error: Error,
  path: readonly string[],
  state: RedactState,
): Record<string, unknown> {
  const detector = state.detector ?? (() => false);
  const scrub = (text: string, key: string): string =>
    state.detector === undefined
      ? text
      : scrubText(text, state.censor, detector, [...path, key]);
  const copy: Record<string, unknown> = {
    type: error.name,
    message: scrub(error.message, "message"),
  };
  if (error.stack !== undefined) {
    copy["stack"] = scrub(error.stack, "stack");
  }
  const own = redactEntries(Object.entries(error), path, state);
  Object.assign(copy, own);
  if (error.cause !== undefined) {
    copy["cause"] = redactValue(error.cause, [...path, "cause"], state);
  }
  return copy;
}
