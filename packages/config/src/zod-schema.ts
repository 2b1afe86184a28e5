import { z } from "zod";

/**
 * Explains why `value` is not a schema of the zod copy that this package
 * uses, or returns undefined when it is one. zod is a peer dependency, so
 * an application and this package normally share one copy. A schema from
 * zod 3 or `zod/mini` fails `instanceof`, and the loader cannot walk it
 * for secrets and environment variables. zod 4 recognizes its classes
 * across copies, so a schema from a second copy of zod 4 passes.
 * Schemas nested inside `value` are checked too, and the message names
 * the path of the first one that fails.
 */
export function explainSchemaMismatch(value: unknown): string | undefined {
  const problem = explainOne(value);
  if (problem !== undefined) {
    return problem;
  }
  const nested = findNestedMismatch(value as z.ZodType);
  if (nested === undefined) {
    return undefined;
  }
  const location =
    nested.path === "" ? "an inner schema" : `field \`${nested.path}\``;
  return `${location}: ${nested.problem}`;
}

function explainOne(value: unknown): string | undefined {
  if (value instanceof z.ZodType) {
    return undefined;
  }
  if (typeof value === "object" && value !== null) {
    if ("_zod" in value) {
      return 'expected a schema built with `import { z } from "zod"`, but received a zod 4 schema from `zod/mini` or `zod/v4/core`; install zod once (it is a peer dependency) and build the schema with it';
    }
    if ("_def" in value && "safeParse" in value) {
      return 'expected a zod 4 schema, but received a zod 3 schema; install zod@^4.6 and build the schema with `import { z } from "zod"`';
    }
  }
  return "expected a zod schema, such as z.object({ ... })";
}

/** Definition fields of zod 4 schemas that hold one schema. */
const SINGLE_CHILD_KEYS = [
  "innerType",
  "in",
  "out",
  "element",
  "keyType",
  "valueType",
  "rest",
  "catchall",
  "left",
  "right",
] as const;

/** Definition fields of zod 4 schemas that hold a list of schemas. */
const LIST_CHILD_KEYS = ["options", "items"] as const;

interface NestedMismatch {
  readonly path: string;
  readonly problem: string;
}

/**
 * Finds the first schema inside `root` that is neither a zod 4 nor a
 * `zod/mini` schema, such as a zod 3 field, which would otherwise fail
 * later with a TypeError. Mini schemas inside a zod 4 schema work, so
 * they pass.
 */
function findNestedMismatch(root: z.ZodType): NestedMismatch | undefined {
  const visited = new Set<unknown>();
  const visit = (node: unknown, path: string): NestedMismatch | undefined => {
    if (visited.has(node)) {
      return undefined;
    }
    visited.add(node);
    const def = (node as { _zod?: { def?: Record<string, unknown> } })._zod
      ?.def;
    if (def === undefined) {
      return { path, problem: explainOne(node) ?? "" };
    }
    const children: [string, unknown][] = [];
    if (def["type"] === "object" && typeof def["shape"] === "object") {
      for (const [key, child] of Object.entries(def["shape"] ?? {})) {
        children.push([path === "" ? key : `${path}.${key}`, child]);
      }
    }
    for (const key of SINGLE_CHILD_KEYS) {
      if (def[key] !== undefined) children.push([path, def[key]]);
    }
    for (const key of LIST_CHILD_KEYS) {
      const list = def[key];
      if (Array.isArray(list)) {
        for (const child of list) children.push([path, child]);
      }
    }
    if (def["type"] === "lazy" && typeof def["getter"] === "function") {
      children.push([path, (def["getter"] as () => unknown)()]);
    }
    for (const [childPath, child] of children) {
      const found = visit(child, childPath);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return visit(root, "");
}
