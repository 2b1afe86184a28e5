import { z } from "zod";

import { ConfigError } from "./errors.js";
import { defineValue, isPlainObject, joinPath } from "./paths.js";
import { childSchemas } from "./schema-walk.js";
import { explainSchemaMismatch } from "./zod-schema.js";

/** The text that replaces a secret value in errors, events and output. */
export const REDACTED = "[redacted]";

const secretRegistry = z.registry<{ secret: true }>();

/**
 * Marks a schema field as secret, so its value never appears in errors,
 * events, `toJSON()` or `inspect` output. Returns a marked copy and leaves
 * the given schema unchanged.
 */
export function secret<T extends z.ZodType>(schema: T): T {
  const problem = explainSchemaMismatch(schema);
  if (problem !== undefined) {
    throw new ConfigError("INVALID_OPTIONS", `secret() ${problem}.`, {
      issues: [{ path: "", value: "[schema]", message: problem }],
    });
  }
  const marked = schema.clone();
  secretRegistry.add(marked, { secret: true });
  return marked;
}

/** Tells whether a schema was marked with {@link secret}. */
export function isSecretSchema(schema: z.ZodType): boolean {
  return secretRegistry.has(schema);
}

// Words that mark a key as secret wherever it sits, such as `password`,
// `apiKey`, `client_secret` or `auth-token`.
const SECRET_WORDS = new Set([
  "password",
  "passwd",
  "pwd",
  "passphrase",
  "secret",
  "secrets",
  "token",
  "tokens",
  "key",
  "apikey",
  "credential",
  "credentials",
]);

/**
 * Tells whether a single key is named like a secret. The key is split into
 * words at case changes (`DBPassword`), digits (`password2`) and
 * separators, and a plural (`apiKeys`) counts as its singular.
 */
export function isSecretKeyName(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/([a-zA-Z])([0-9])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z]+/);
  return words.some(
    (word) =>
      SECRET_WORDS.has(word) ||
      (word.endsWith("s") && SECRET_WORDS.has(word.slice(0, -1))),
  );
}

/**
 * Decides which paths are secret: paths marked in the schema, paths listed
 * by the caller (`*` matches one segment), and keys named like secrets.
 * A secret path hides everything below it.
 */
export class SecretMatcher {
  private readonly patterns: readonly (readonly string[])[];

  constructor(schema: z.ZodType | undefined, extraPaths: readonly string[]) {
    const marked = schema === undefined ? [] : collectSecretPaths(schema);
    this.patterns = [...marked, ...extraPaths].map((path) => path.split("."));
  }

  /** Tells whether the value at a path, or one of its parents, is secret. */
  isSecret(path: string): boolean {
    if (path === "") {
      return false;
    }
    const segments = path.split(".");
    if (segments.some(isSecretKeyName)) {
      return true;
    }
    return this.patterns.some((pattern) => matchesPrefix(pattern, segments));
  }

  /** Returns a copy of a value with every secret leaf replaced. */
  redact(value: unknown, prefix = ""): unknown {
    if (this.isSecret(prefix)) {
      return REDACTED;
    }
    if (Array.isArray(value)) {
      return value.map((item, index) =>
        this.redact(item, joinPath(prefix, String(index))),
      );
    }
    if (!isPlainObject(value)) {
      return value;
    }
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      defineValue(copy, key, this.redact(child, joinPath(prefix, key)));
    }
    return copy;
  }
}

function matchesPrefix(
  pattern: readonly string[],
  segments: readonly string[],
): boolean {
  if (pattern.length > segments.length) {
    return false;
  }
  return pattern.every(
    (part, index) => part === "*" || part === segments[index],
  );
}

function collectSecretPaths(schema: z.ZodType, prefix = ""): string[] {
  const found: string[] = [];
  const visit = (node: z.ZodType, path: string, depth: number): void => {
    if (depth > 32) {
      return;
    }
    if (isSecretSchema(node)) {
      found.push(path);
      return;
    }
    for (const child of childSchemas(node)) {
      visit(
        child.schema,
        child.key === undefined ? path : joinPath(path, child.key),
        depth + 1,
      );
    }
  };
  visit(schema, prefix, 0);
  return found;
}
