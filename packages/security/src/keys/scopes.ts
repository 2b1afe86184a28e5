/**
 * Scopes are permission names made of lowercase segments joined by `:`,
 * such as `compress`, `route` or `compress:stream`. A granted scope may
 * also be a wildcard:
 * - `*` matches every scope;
 * - `<prefix>:*` matches `<prefix>` itself and every scope that starts
 *   with `<prefix>:`, so `compress:*` matches `compress` and
 *   `compress:stream` but not `compressx`.
 * Every other granted scope matches only the same string. A key with no
 * scopes matches nothing.
 */
const SEGMENT = "[a-z][a-z0-9_-]*";
const REQUIRED_SCOPE = new RegExp(`^${SEGMENT}(?::${SEGMENT})*$`, "u");
const GRANTED_SCOPE = new RegExp(
  `^(?:\\*|${SEGMENT}(?::${SEGMENT})*(?::\\*)?)$`,
  "u",
);

/** Maximum length of one scope, in characters. */
export const MAX_SCOPE_LENGTH = 128;

/** Tells whether a string may be granted to a key (wildcards allowed). */
export function isValidGrantedScope(scope: unknown): scope is string {
  return (
    typeof scope === "string" &&
    scope.length <= MAX_SCOPE_LENGTH &&
    GRANTED_SCOPE.test(scope)
  );
}

/** Tells whether a string may be required by an action (no wildcards). */
export function isValidRequiredScope(scope: unknown): scope is string {
  return (
    typeof scope === "string" &&
    scope.length <= MAX_SCOPE_LENGTH &&
    REQUIRED_SCOPE.test(scope)
  );
}

/** Tells whether one granted scope covers the required scope. */
export function scopeMatches(granted: string, required: string): boolean {
  if (granted === "*") {
    return true;
  }
  if (granted.endsWith(":*")) {
    const prefix = granted.slice(0, -2);
    return required === prefix || required.startsWith(`${prefix}:`);
  }
  return granted === required;
}

/**
 * Tells whether any of the granted scopes covers the required scope.
 * Denies by default: an empty list covers nothing, and neither does any
 * list when `required` is not a valid scope (a wildcard, for instance).
 */
export function hasScope(
  granted: readonly string[],
  required: string,
): boolean {
  if (!isValidRequiredScope(required)) {
    return false;
  }
  return granted.some((scope) => scopeMatches(scope, required));
}
