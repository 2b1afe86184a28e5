import type { z } from "zod";

import { ConfigError, formatIssues } from "./errors.js";
import type { ConfigIssue } from "./errors.js";
import type { PlainObject } from "./paths.js";
import { getAtPath, isPlainObject, joinPath } from "./paths.js";
import { REDACTED } from "./secrets.js";
import type { SecretMatcher } from "./secrets.js";
import type { ConfigSource } from "./sources.js";
import { describeSource } from "./sources.js";

/** One source's values, and the source of each value it sets. */
export interface Layer {
  readonly value: PlainObject;
  readonly sourceAt: (path: string) => ConfigSource;
}

/** The merged values and the source of each leaf path. */
export interface MergedLayers {
  readonly value: PlainObject;
  readonly sources: Map<string, ConfigSource>;
}

/**
 * Merges layers from lowest to highest precedence. Plain objects merge key
 * by key, and every other value (arrays included) replaces what was below.
 */
export function mergeLayers(layers: readonly Layer[]): MergedLayers {
  const merged: MergedLayers = { value: {}, sources: new Map() };
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
    if (isPlainObject(value)) {
      if (!isPlainObject(target[key])) {
        target[key] = {};
        merged.sources.delete(path);
      }
      mergeInto(merged, target[key] as PlainObject, value, path, layer);
      continue;
    }
    target[key] = structuredClone(value);
    for (const known of [...merged.sources.keys()]) {
      if (known.startsWith(`${path}.`)) {
        merged.sources.delete(known);
      }
    }
    merged.sources.set(path, layer.sourceAt(path));
  }
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
      const source = findSource(merged.sources, path);
      issues.push({
        path,
        value: secrets.isSecret(path)
          ? REDACTED
          : getAtPath(merged.value, path),
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
