import type { z } from "zod";

import type { ConfigIssue } from "./errors.js";
import type { PlainObject } from "./paths.js";
import { joinPath, writePath } from "./paths.js";
import { describeField } from "./schema-walk.js";
import type { FieldShape } from "./schema-walk.js";
import { REDACTED } from "./secrets.js";
import type { SecretMatcher } from "./secrets.js";
import type { ConfigWarning } from "./sources.js";

/** The values that environment variables set, with their variable names. */
export interface EnvLayer {
  readonly value: PlainObject;
  /** Path to the name of the variable that set it. */
  readonly names: Map<string, string>;
  readonly warnings: ConfigWarning[];
  readonly issues: ConfigIssue[];
}

/** Converts a schema key to its env segment: `maxConnections` → `MAX_CONNECTIONS`. */
export function toEnvSegment(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toUpperCase();
}

/**
 * Reads every variable that starts with the prefix into a config layer.
 * Segments after the prefix are separated by `__` and match schema keys
 * through {@link toEnvSegment}; values are coerced to the field's type.
 */
export function readEnvLayer(
  env: Readonly<Record<string, string | undefined>>,
  prefix: string,
  schema: z.ZodType,
  secrets: SecretMatcher,
): EnvLayer {
  const layer: EnvLayer = {
    value: {},
    names: new Map(),
    warnings: [],
    issues: [],
  };
  const names = Object.keys(env)
    .filter((name) => name.startsWith(prefix) && name.length > prefix.length)
    .sort();
  for (const name of names) {
    readVariable(layer, name, env[name] ?? "", prefix, schema, secrets);
  }
  return layer;
}

function readVariable(
  layer: EnvLayer,
  name: string,
  raw: string,
  prefix: string,
  schema: z.ZodType,
  secrets: SecretMatcher,
): void {
  if (raw === "") {
    layer.warnings.push({
      code: "EMPTY_ENV_VAR",
      name,
      message: `environment variable ${name} is empty and was ignored; unset it or give it a value`,
    });
    return;
  }
  const resolved = resolvePath(name.slice(prefix.length).split("__"), schema);
  if (resolved === undefined) {
    layer.warnings.push({
      code: "UNKNOWN_ENV_VAR",
      name,
      message: `environment variable ${name} matches no field of the schema and was ignored; check its spelling, with __ between nested keys`,
    });
    return;
  }
  const coerced = coerceEnvValue(raw, resolved.field);
  if (!coerced.ok) {
    // Text that failed to parse as JSON may still contain secret fields,
    // and they cannot be found without parsing, so it is hidden as a whole.
    const hidden =
      secrets.isSecret(resolved.path) ||
      JSON_TYPES.some((type) => resolved.field.types.has(type));
    layer.issues.push({
      path: resolved.path,
      value: hidden ? REDACTED : raw,
      message: coerced.message,
      source: `env ${name}`,
    });
    return;
  }
  writePath(layer.value, resolved.path, coerced.value);
  layer.names.set(resolved.path, name);
}

function resolvePath(
  segments: readonly string[],
  schema: z.ZodType,
): { path: string; field: FieldShape } | undefined {
  let field = describeField(schema);
  let path = "";
  for (const segment of segments) {
    if (segment === "") {
      return undefined;
    }
    const key = matchKey(segment, field);
    if (key === undefined) {
      return undefined;
    }
    path = joinPath(path, key.name);
    field = describeField(key.schema);
  }
  return { path, field };
}

function matchKey(
  segment: string,
  field: FieldShape,
): { name: string; schema: z.ZodType } | undefined {
  const expected = segment.toUpperCase();
  for (const [name, child] of Object.entries(field.shape ?? {})) {
    if (toEnvSegment(name) === expected || name.toUpperCase() === expected) {
      return { name, schema: child };
    }
  }
  if (field.recordValue !== undefined) {
    return { name: segment.toLowerCase(), schema: field.recordValue };
  }
  return undefined;
}

type Coerced =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly message: string };

const TRUE_WORDS = new Set(["true", "1", "yes", "on"]);
const FALSE_WORDS = new Set(["false", "0", "no", "off"]);
const JSON_TYPES = ["object", "array", "record", "tuple"];

/** Converts an env string to the type the schema expects at that field. */
export function coerceEnvValue(raw: string, field: FieldShape): Coerced {
  const { types } = field;
  if (raw === "null" && field.nullable) {
    return { ok: true, value: null };
  }
  if (types.has("string")) {
    return { ok: true, value: raw };
  }
  if (JSON_TYPES.some((type) => types.has(type))) {
    return parseJson(raw);
  }
  if (types.has("number")) {
    const number = Number(raw.trim());
    return raw.trim() !== "" && Number.isFinite(number)
      ? { ok: true, value: number }
      : { ok: false, message: "expected a number, such as 8080 or 0.5" };
  }
  if (types.has("boolean")) {
    const word = raw.trim().toLowerCase();
    if (TRUE_WORDS.has(word) || FALSE_WORDS.has(word)) {
      return { ok: true, value: TRUE_WORDS.has(word) };
    }
    return { ok: false, message: "expected a boolean: true, false, 1 or 0" };
  }
  return { ok: true, value: raw };
}

function parseJson(raw: string): Coerced {
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    // The parser's message quotes the input, which may be a secret.
    return {
      ok: false,
      message: 'expected JSON, such as ["a","b"] or {"key":1}',
    };
  }
}
