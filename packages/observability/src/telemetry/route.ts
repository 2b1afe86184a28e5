import { ObservabilityError, ObservabilityErrorCode } from "../errors.js";
import { detectSecret } from "../logging/detectors.js";

/** Policy of {@link toRouteTemplate} for a raw request path. */
export type RawPathPolicy = "normalise" | "reject";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;
const NUMBER = /^\d+$/u;
const HEX_ID = /^[0-9a-f]{8,}$/iu;
const MIXED_ID = /^(?=.*\d)[A-Za-z0-9_-]{16,}$/u;
/**
 * Characters that a fixed route segment never contains: `@` (emails), `;`
 * and `=` (matrix parameters such as `;jsessionid=`) and `%` (encoded
 * text, which may hide a `/` or any other value).
 */
const VALUE_CHARACTER = /[@;=%]/u;
/** A calendar date such as `2024-01-15`, `2024_01_15` or `15.01.2024`. */
const DATE = /\d{4}[-_.]\d{1,2}[-_.]\d{1,2}|\d{1,2}[-_.]\d{1,2}[-_.]\d{4}/u;

/**
 * Tells whether one path segment looks like an id or another request value
 * rather than a name: a number, UUID, hex or long mixed token, a date, a
 * segment with `@`, `;`, `=` or `%`, or one that {@link detectSecret} flags.
 */
export function isIdSegment(segment: string): boolean {
  return (
    NUMBER.test(segment) ||
    UUID.test(segment) ||
    HEX_ID.test(segment) ||
    MIXED_ID.test(segment) ||
    VALUE_CHARACTER.test(segment) ||
    DATE.test(segment) ||
    detectSecret(segment, [])
  );
}

/**
 * Tells whether a string is a route template such as `/v1/docs/:id`: it
 * has no query string, no fragment and no segment that looks like an id.
 */
export function isRouteTemplate(route: string): boolean {
  if (!route.startsWith("/") || /[?#]/u.test(route)) {
    return false;
  }
  return !route.split("/").some(isIdSegment);
}

/**
 * Turns a request path into a route template for the `http.route`
 * attribute. With `"normalise"` it drops the query string and fragment and
 * replaces each segment that {@link isIdSegment} flags with `:id`. With
 * `"reject"` it throws RAW_PATH_REJECTED instead.
 *
 * NOTE: a name-like dynamic segment such as a user name looks the same as
 * a fixed segment, so it is kept. Pass the router's template whenever
 * there is one.
 */
export function toRouteTemplate(
  path: string,
  policy: RawPathPolicy = "normalise",
): string {
  if (isRouteTemplate(path)) {
    return path;
  }
  if (policy === "reject") {
    throw new ObservabilityError(
      ObservabilityErrorCode.RAW_PATH_REJECTED,
      `Route ${JSON.stringify(path.slice(0, 80))} is a raw request path; pass the route template such as "/v1/docs/:id" instead.`,
    );
  }
  const withoutQuery = path.split(/[?#]/u, 1)[0] ?? "";
  const absolute = withoutQuery.startsWith("/")
    ? withoutQuery
    : `/${withoutQuery}`;
  return absolute
    .split("/")
    .map((segment) => (isIdSegment(segment) ? ":id" : segment))
    .join("/");
}
