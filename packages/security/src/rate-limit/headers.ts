import type { RateLimitResult } from "./types.js";

/**
 * Rate-limit response headers, named as in the IETF draft
 * draft-ietf-httpapi-ratelimit-headers-06, plus `Retry-After`.
 */
export interface RateLimitHeaders {
  /** Points of the deciding limit per window. */
  readonly "RateLimit-Limit": string;
  /** Points of the deciding limit left after this request. */
  readonly "RateLimit-Remaining": string;
  /** Seconds until the oldest counted entry leaves the window, rounded up. */
  readonly "RateLimit-Reset": string;
  /** Every limit as `<limit>;w=<window in seconds>`, comma-separated. */
  readonly "RateLimit-Policy": string;
  /**
   * Seconds until the request fits, rounded up. It is sent only on a
   * rejection that waiting can lift, so not when the cost is above the
   * limit.
   */
  readonly "Retry-After"?: string;
}

function secondsUntil(ms: number): string {
  return String(Math.max(0, Math.ceil(ms / 1000)));
}

/**
 * Converts a rate-limit result into response header values. The limit,
 * remaining points and reset describe the deciding limit of the result
 * (see {@link RateLimitResult}), and `RateLimit-Policy` lists every
 * limit. Times are relative to the result's `checkedAt`, so they do not
 * drift while the response is built.
 */
export function rateLimitHeaders(result: RateLimitResult): RateLimitHeaders {
  const policy = result.outcomes
    .map(
      (outcome) => `${outcome.limit};w=${Math.ceil(outcome.windowMs / 1000)}`,
    )
    .join(", ");
  const headers = {
    "RateLimit-Limit": String(result.limit),
    "RateLimit-Remaining": String(result.remaining),
    "RateLimit-Reset": secondsUntil(result.resetAt - result.checkedAt),
    "RateLimit-Policy": policy,
  };
  if (result.allowed || !Number.isFinite(result.retryAfterMs)) {
    return headers;
  }
  return { ...headers, "Retry-After": secondsUntil(result.retryAfterMs) };
}
