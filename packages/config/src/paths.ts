/** A JSON-like object whose prototype is `Object.prototype` or null. */
export type PlainObject = Record<string, unknown>;

/** Tells whether a value is a plain object (not an array, date or class). */
export function isPlainObject(value: unknown): value is PlainObject {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

// Keys that reach `Object.prototype` or a constructor when used in an
// assignment, so every layer drops them before merging.
const UNSAFE_KEYS: ReadonlySet<string> = new Set([
  "__proto__",
  "constructor",
  "prototype",
]);

/** Tells whether a key could change a prototype when assigned. */
export function isUnsafeKey(key: string): boolean {
  return UNSAFE_KEYS.has(key);
}

/**
 * Sets an own, enumerable property. Unlike `target[key] = value`, a
 * `__proto__` key stays a plain property and never replaces the prototype.
 */
export function defineValue(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

/** Joins a parent path and a key with a dot; the root path is empty. */
export function joinPath(parent: string, key: string): string {
  return parent === "" ? key : `${parent}.${key}`;
}

/**
 * Reads the value at a dot-separated path, or `undefined` when absent.
 * Only own properties count, so `constructor` or `__proto__` never reach
 * a prototype.
 */
export function getAtPath(root: unknown, path: string): unknown {
  if (path === "") {
    return root;
  }
  let current: unknown = root;
  for (const segment of path.split(".")) {
    if (
      typeof current !== "object" ||
      current === null ||
      !Object.hasOwn(current, segment)
    ) {
      return undefined;
    }
    current = (current as PlainObject)[segment];
  }
  return current;
}

/**
 * Lists every leaf of a value with its path. Arrays and everything that is
 * not a plain object count as leaves, and so does an empty object.
 */
export function flattenLeaves(
  value: unknown,
  prefix = "",
  out = new Map<string, unknown>(),
): Map<string, unknown> {
  if (!isPlainObject(value) || Object.keys(value).length === 0) {
    out.set(prefix, value);
    return out;
  }
  for (const [key, child] of Object.entries(value)) {
    flattenLeaves(child, joinPath(prefix, key), out);
  }
  return out;
}

/** Lists the leaf paths whose values differ between two values, sorted. */
export function diffPaths(previous: unknown, current: unknown): string[] {
  const before = flattenLeaves(previous);
  const after = flattenLeaves(current);
  const changed = new Set<string>();
  for (const [path, value] of after) {
    if (!before.has(path) || !sameJson(before.get(path), value)) {
      changed.add(path);
    }
  }
  for (const path of before.keys()) {
    if (!after.has(path)) {
      changed.add(path);
    }
  }
  return [...changed].sort();
}

function sameJson(left: unknown, right: unknown): boolean {
  if (Object.is(left, right)) {
    return true;
  }
  return JSON.stringify(left) === JSON.stringify(right);
}

/** Freezes a value and everything inside it, so callers cannot mutate it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) {
      deepFreeze(child);
    }
  }
  return value;
}

/**
 * Writes a copy of a value at a dot-separated path, creating objects. Keys
 * are written as own properties, so a `__proto__` segment stays data that
 * the merge later drops.
 */
export function writePath(
  root: PlainObject,
  path: string,
  value: unknown,
): void {
  const segments = path.split(".");
  let current = root;
  for (const segment of segments.slice(0, -1)) {
    const child = Object.hasOwn(current, segment)
      ? current[segment]
      : undefined;
    if (!isPlainObject(child)) {
      defineValue(current, segment, {});
    }
    current = current[segment] as PlainObject;
  }
  const last = segments[segments.length - 1] ?? "";
  defineValue(current, last, structuredClone(value));
}

/** Removes the key at a dot-separated path, if it exists. */
export function removePath(root: PlainObject, path: string): void {
  const segments = path.split(".");
  const parent = getAtPath(root, segments.slice(0, -1).join("."));
  if (isPlainObject(parent)) {
    Reflect.deleteProperty(parent, segments[segments.length - 1] ?? "");
  }
}
