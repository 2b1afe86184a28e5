import { ObservabilityError, ObservabilityErrorCode } from "../errors.js";

/** Policy of {@link toRouteTemplate} for a raw request path. */
export type RawPathPolicy = "normalise" | "reject";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;
const NUMBER = /^\d+$/u;
const HEX_ID = /^[0-9a-f]{8,}$/iu;
const MIXED_ID = /^(?=.*\d)[A-Za-z0-9_-]{16,}$/u;

/** Tells whether one path segment looks like an id rather than a name. */
export function isIdSegment(segment: string): boolean {
  return (
    NUMBER.test(segment) ||
    UUID.test(segment) ||
    HEX_ID.test(segment) ||
    MIXED_ID.test(segment)
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
 * replaces id-like segments (numbers, UUIDs, hex and long mixed tokens)
 * with `:id`. With `"reject"` it throws RAW_PATH_REJECTED instead.
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
