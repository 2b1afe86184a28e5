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
 * With an empty prefix every variable is a candidate, so variables that
 * match no field are skipped without an `UNKNOWN_ENV_VAR` warning.
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
  const resolved = resolvePath(name.slice(prefix.length).split("__"), schema);
  if (raw === "" && (prefix !== "" || resolved !== undefined)) {
    layer.warnings.push({
      code: "EMPTY_ENV_VAR",
      name,
      message: `environment variable ${name} is empty and was ignored; unset it or give it a value`,
    });
    return;
  }
  if (resolved === undefined) {
    if (prefix !== "") {
      layer.warnings.push({
        code: "UNKNOWN_ENV_VAR",
        name,
        message: `environment variable ${name} matches no field of the schema and was ignored; check its spelling, with __ between nested keys`,
      });
    }
    return;
  }
  if ("ambiguous" in resolved) {
    layer.issues.push({
      path: resolved.path,
      value: REDACTED,
      message: `environment variable ${name} matches the keys ${resolved.ambiguous.join(" and ")}, which differ only in case or separators; rename one of them, or write the variable with the exact key`,
      source: `env ${name}`,
    });
    return;
  }
  const field = describeField(resolved.schemas);
  const coerced = coerceEnvValue(raw, field, resolved.schemas);
  if (!coerced.ok) {
    // Text that failed to parse as JSON may still contain secret fields,
    // and they cannot be found without parsing, so it is hidden as a whole.
    const hidden =
      secrets.isSecret(resolved.path) ||
      JSON_TYPES.some((type) => field.types.has(type));
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

type ResolvedPath =
  | { readonly path: string; readonly schemas: readonly z.ZodType[] }
  | { readonly path: string; readonly ambiguous: readonly string[] };

function resolvePath(
  segments: readonly string[],
  schema: z.ZodType,
): ResolvedPath | undefined {
  let schemas: readonly z.ZodType[] = [schema];
  let path = "";
  for (const segment of segments) {
    if (segment === "") {
      return undefined;
    }
    const key = matchKey(segment, describeField(schemas));
    if (key === undefined) {
      return undefined;
    }
    if ("ambiguous" in key) {
      return { path: joinPath(path, key.ambiguous[0] ?? ""), ...key };
    }
    path = joinPath(path, key.name);
    schemas = key.schemas;
  }
  return { path, schemas };
}

// Finds the schema key that an env segment names. A key spelled exactly
// like the segment wins. Otherwise keys are compared in upper snake case,
// and a segment that fits several keys (`port` and `PORT`, or `maxConn`
// and `max_conn`) is ambiguous.
function matchKey(
  segment: string,
  field: FieldShape,
):
  | { name: string; schemas: readonly z.ZodType[] }
  | { ambiguous: string[] }
  | undefined {
  const shape = field.shape ?? {};
  const exact = shape[segment];
  if (exact !== undefined) {
    return { name: segment, schemas: exact };
  }
  const expected = segment.toUpperCase();
  const matches = Object.keys(shape).filter(
    (name) =>
      toEnvSegment(name) === expected || name.toUpperCase() === expected,
  );
  const [first, ...others] = matches;
  if (first !== undefined && others.length > 0) {
    return { ambiguous: matches };
  }
  if (first !== undefined) {
    return { name: first, schemas: shape[first] ?? [] };
  }
  if (field.recordValues.length > 0) {
    return { name: segment.toLowerCase(), schemas: field.recordValues };
  }
  return undefined;
}

type Coerced =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly message: string };

const TRUE_WORDS = new Set(["true", "1", "yes", "on"]);
const FALSE_WORDS = new Set(["false", "0", "no", "off"]);
const JSON_TYPES = ["object", "array", "record", "tuple"];

/**
 * Converts an env string to the type the schema expects at that field.
 * A field of several types (a union) tries, in order: `null` where the
 * field accepts it, the text itself, JSON, a number and a boolean, and
 * takes the first reading that the field's schemas accept.
 */
export function coerceEnvValue(
  raw: string,
  field: FieldShape,
  schemas: readonly z.ZodType[] = [],
): Coerced {
  const readings = readingsOf(raw, field);
  const accepted = readings.filter((reading) => reading.ok);
  const first = accepted[0];
  if (first === undefined) {
    const expected = readings
      .map((reading) => (reading.ok ? "" : reading.message))
      .join(", or ");
    const nullNote =
      raw.trim() === "null"
        ? "; this field does not accept null, so unset the variable to leave it out"
        : "";
    return { ok: false, message: `expected ${expected}${nullNote}` };
  }
  if (accepted.length === 1 || schemas.length === 0) {
    return first;
  }
  const valid = accepted.find((reading) =>
    schemas.some((schema) => acceptsValue(schema, reading.value)),
  );
  return valid ?? first;
}

function readingsOf(raw: string, field: FieldShape): Coerced[] {
  const { types } = field;
  const readings: Coerced[] = [];
  if (raw === "null" && field.nullable) {
    readings.push({ ok: true, value: null });
  }
  if (types.has("string")) {
    readings.push({ ok: true, value: raw });
  }
  if (JSON_TYPES.some((type) => types.has(type))) {
    readings.push(parseJson(raw));
  }
  if (types.has("number")) {
    readings.push(parseNumber(raw));
  }
  if (types.has("boolean")) {
    readings.push(parseBoolean(raw));
  }
  if (readings.length === 0) {
    readings.push({ ok: true, value: raw });
  }
  return readings;
}

function parseNumber(raw: string): Coerced {
  const text = raw.trim();
  const number = Number(text);
  if (text === "" || !Number.isFinite(number)) {
    return { ok: false, message: "a number, such as 8080 or 0.5" };
  }
  if (/^[+-]?\d+$/.test(text) && !Number.isSafeInteger(number)) {
    return {
      ok: false,
      message:
        "an integer from -9007199254740991 to 9007199254740991, because larger ones lose precision",
    };
  }
  return { ok: true, value: number };
}

function parseBoolean(raw: string): Coerced {
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(word) || FALSE_WORDS.has(word)) {
    return { ok: true, value: TRUE_WORDS.has(word) };
  }
  return {
    ok: false,
    message: "a boolean: true, false, 1, 0, yes, no, on or off",
  };
}

function parseJson(raw: string): Coerced {
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    // The parser's message quotes the input, which may be a secret.
    return {
      ok: false,
      message: 'JSON, such as ["a","b"] or {"key":1}',
    };
  }
}

function acceptsValue(schema: z.ZodType, value: unknown): boolean {
  try {
    return schema.safeParse(value).success;
  } catch {
    // A schema with async refinements cannot be checked synchronously.
    return false;
  }
}
