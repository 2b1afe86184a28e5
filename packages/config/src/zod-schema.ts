import { z } from "zod";

/**
 * Explains why `value` is not a schema of the zod copy that this package
 * uses, or returns undefined when it is one. zod is a peer dependency, so
 * an application and this package normally share one copy. A schema from
 * zod 3, `zod/mini` or a second copy of zod 4 fails `instanceof`, and the
 * loader cannot walk it for secrets and environment variables.
 */
export function explainSchemaMismatch(value: unknown): string | undefined {
  if (value instanceof z.ZodType) {
    return undefined;
  }
  if (typeof value === "object" && value !== null) {
    if ("_zod" in value) {
      return 'expected a schema built with `import { z } from "zod"`, but received a zod 4 schema from `zod/mini` or from a second copy of zod; install zod once (it is a peer dependency) and build the schema with it';
    }
    if ("_def" in value && "safeParse" in value) {
      return 'expected a zod 4 schema, but received a zod 3 schema; install zod@^4.6 and build the schema with `import { z } from "zod"`';
    }
  }
  return "expected a zod schema, such as z.object({ ... })";
}
