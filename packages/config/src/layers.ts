import type { z } from "zod";

import { ConfigError, formatIssues } from "./errors.js";
import type { ConfigIssue } from "./errors.js";
import type { PlainObject } from "./paths.js";
import {
  defineValue,
  getAtPath,
  isPlainObject,
  isUnsafeKey,
  joinPath,
} from "./paths.js";
import type { SecretMatcher } from "./secrets.js";
import type { ConfigSource, ConfigWarning } from "./sources.js";
import { describeSource } from "./sources.js";

/** One source's values, and the source of each value it sets. */
export interface Layer {
  readonly value: PlainObject;
  readonly sourceAt: (path: string) => ConfigSource;
}

/** The merged values, the source of each leaf path and dropped keys. */
export interface MergedLayers {
  readonly value: PlainObject;
  readonly sources: Map<string, ConfigSource>;
  /** One `UNSAFE_KEY` warning per dropped `__proto__`-like key. */
  readonly warnings: ConfigWarning[];
}

/**
 * Merges layers from lowest to highest precedence. Plain objects merge key
 * by key, and every other value (arrays included) replaces what was below.
 * Keys named `__proto__`, `constructor` or `prototype` are dropped at any
 * depth, inside arrays too, with a warning, so no layer can change a
 * prototype.
 */
export function mergeLayers(layers: readonly Layer[]): MergedLayers {
  const merged: MergedLayers = { value: {}, sources: new Map(), warnings: [] };
  for (const layer of layers) {
    mergeInto(merged, merged.value, layer.value, "", layer);
  }
  return merged;
}

function mergeInto(
  merged: MergedLayers,
  target: PlainObject,
  incoming: PlainObject,
  prefix: string,
  layer: Layer,
): void {
  for (const [key, value] of Object.entries(incoming)) {
    const path = joinPath(prefix, key);
    if (isUnsafeKey(key)) {
      dropUnsafeKey(merged, path, layer);
      continue;
    }
    if (isPlainObject(value)) {
      if (!isPlainObject(target[key])) {
        defineValue(target, key, {});
        merged.sources.delete(path);
      }
      mergeInto(merged, target[key] as PlainObject, value, path, layer);
      continue;
    }
    // Only a replaced object can have sources below it. Scanning every
    // source for each leaf would make a merge quadratic in the leaf count.
    if (isPlainObject(target[key])) {
      for (const known of [...merged.sources.keys()]) {
        if (known.startsWith(`${path}.`)) {
          merged.sources.delete(known);
        }
      }
    }
    defineValue(target, key, copyWithoutUnsafeKeys(merged, value, path, layer));
    merged.sources.set(path, layer.sourceAt(path));
  }
}

// Copies a value that replaces what was below, such as an array of
// objects, and drops unsafe keys inside it.
function copyWithoutUnsafeKeys(
  merged: MergedLayers,
  value: unknown,
  path: string,
  layer: Layer,
): unknown {
  if (Array.isArray(value)) {
    return value.map((item: unknown, index) =>
      copyWithoutUnsafeKeys(merged, item, joinPath(path, String(index)), layer),
    );
  }
  if (!isPlainObject(value)) {
    return structuredClone(value);
  }
  const copy: PlainObject = {};
  for (const [key, child] of Object.entries(value)) {
    const childPath = joinPath(path, key);
    if (isUnsafeKey(key)) {
      dropUnsafeKey(merged, childPath, layer);
      continue;
    }
    defineValue(
      copy,
      key,
      copyWithoutUnsafeKeys(merged, child, childPath, layer),
    );
  }
  return copy;
}

function dropUnsafeKey(merged: MergedLayers, path: string, layer: Layer) {
  const source = describeSource(layer.sourceAt(path));
  merged.warnings.push({
    code: "UNSAFE_KEY",
    name: source,
    path,
    message: `key ${path} from ${source} was ignored because __proto__, constructor and prototype are not allowed as config keys; rename or remove it`,
  });
}

/** Finds the source of a path, or of the nearest parent that a source set. */
export function findSource(
  sources: ReadonlyMap<string, ConfigSource>,
  path: string,
): ConfigSource | undefined {
  const segments = path.split(".");
  for (let length = segments.length; length > 0; length -= 1) {
    const source = sources.get(segments.slice(0, length).join("."));
    if (source !== undefined) {
      return source;
    }
  }
  return undefined;
}

/**
 * Validates merged values against the schema.
 *
 * @throws ConfigError `INVALID_CONFIG` listing every issue, with secret
 *   values redacted.
 */
export function validateMerged<S extends z.ZodType>(
  schema: S,
  merged: MergedLayers,
  secrets: SecretMatcher,
  earlierIssues: readonly ConfigIssue[] = [],
): z.output<S> {
  const result = schema.safeParse(merged.value);
  const issues = [...earlierIssues];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.map(String).join(".");
      // An env value that could not be converted was left out, so the
      // schema's complaint about that path repeats an issue already listed.
      if (earlierIssues.some((earlier) => isAtOrBelow(path, earlier.path))) {
        continue;
      }
      const source = findSource(merged.sources, path);
      issues.push({
        path,
        // The value at a parent path may contain secret leaves, so it is
        // redacted as a whole and not only when the path itself is secret.
        value: secrets.redact(getAtPath(merged.value, path), path),
        message: issue.message,
        ...(source === undefined ? {} : { source: describeSource(source) }),
      });
    }
  }
  if (issues.length > 0 || !result.success) {
    throw new ConfigError(
      "INVALID_CONFIG",
      formatIssues(
        `configuration is invalid (${issues.length} issue${issues.length === 1 ? "" : "s"}); fix the values below`,
        issues,
      ),
      { issues },
    );
  }
  return result.data;
}

function isAtOrBelow(path: string, parent: string): boolean {
  return path === parent || path.startsWith(`${parent}.`);
}
