// Reads the structure of zod 4 schemas through their public `_zod.def`
// descriptor, so env values can be coerced and secret fields found.
import type { z } from "zod";

interface SchemaDef {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly out?: z.ZodType;
  readonly shape?: Record<string, z.ZodType>;
  readonly valueType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly getter?: () => z.ZodType;
  readonly values?: readonly unknown[];
  readonly entries?: Record<string, unknown>;
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

// Wrappers that change how a value is accepted but not its shape.
const WRAPPERS = new Set([
  "optional",
  "nullable",
  "default",
  "prefault",
  "catch",
  "readonly",
  "nonoptional",
]);

/** A schema inside another, with the key that leads to it, if any. */
export interface ChildSchema {
  /** Object field name, `*` for record and array entries, or none. */
  readonly key: string | undefined;
  readonly schema: z.ZodType;
}

/** Lists the schemas directly inside a schema, in declaration order. */
export function childSchemas(schema: z.ZodType): ChildSchema[] {
  const def = defOf(schema);
  if (WRAPPERS.has(def.type) && def.innerType !== undefined) {
    return [{ key: undefined, schema: def.innerType }];
  }
  switch (def.type) {
    case "pipe":
      return def.in === undefined ? [] : [{ key: undefined, schema: def.in }];
    case "lazy":
      return def.getter === undefined
        ? []
        : [{ key: undefined, schema: def.getter() }];
    case "object":
      return Object.entries(def.shape ?? {}).map(([key, child]) => ({
        key,
        schema: child,
      }));
    case "record":
      return def.valueType === undefined
        ? []
        : [{ key: "*", schema: def.valueType }];
    case "array":
      return def.element === undefined
        ? []
        : [{ key: "*", schema: def.element }];
    case "union":
      return (def.options ?? []).map((option) => ({
        key: undefined,
        schema: option,
      }));
    default:
      return [];
  }
}

/** The schema types a field can have once wrappers are removed. */
export interface FieldShape {
  /** Core types of the field, such as `number`, `object` or `string`. */
  readonly types: ReadonlySet<string>;
  /** Whether the field accepts `null`. */
  readonly nullable: boolean;
  /**
   * The object keys the field can have, each with its schemas. A union of
   * objects, such as a discriminated union, gives the keys of every option.
   */
  readonly shape: Record<string, z.ZodType[]> | undefined;
  /** The value schemas of a record, when the field can be a record. */
  readonly recordValues: z.ZodType[];
}

/**
 * Describes a field: its core types, and whether it accepts null. Several
 * schemas describe a key that more than one union option defines.
 */
export function describeField(
  schemas: z.ZodType | readonly z.ZodType[],
): FieldShape {
  const types = new Set<string>();
  let nullable = false;
  let shape: Record<string, z.ZodType[]> | undefined;
  const recordValues: z.ZodType[] = [];
  const visit = (node: z.ZodType, depth: number): void => {
    const def = defOf(node);
    if (depth > 16) {
      return;
    }
    if (def.type === "nullable" || def.type === "null") {
      nullable = true;
    }
    if (def.type === "literal" || def.type === "enum") {
      const values = def.values ?? Object.values(def.entries ?? {});
      for (const value of values) {
        types.add(value === null ? "null" : typeof value);
      }
      nullable ||= values.includes(null);
      return;
    }
    const inner = childSchemas(node).filter((c) => c.key === undefined);
    if (inner.length > 0) {
      inner.forEach((child) => visit(child.schema, depth + 1));
      return;
    }
    types.add(def.type);
    if (def.type === "object") {
      shape ??= Object.create(null) as Record<string, z.ZodType[]>;
      for (const [key, child] of Object.entries(def.shape ?? {})) {
        (shape[key] ??= []).push(child);
      }
    }
    if (def.type === "record" && def.valueType !== undefined) {
      recordValues.push(def.valueType);
    }
  };
  for (const schema of Array.isArray(schemas) ? schemas : [schemas]) {
    visit(schema as z.ZodType, 0);
  }
  return { types, nullable, shape, recordValues };
}
