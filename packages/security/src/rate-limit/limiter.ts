import {
  isSecurityError,
  SecurityError,
  SecurityErrorCode,
} from "../errors.js";
import { checkRequest, resolveLimiterOptions } from "./limiter-validation.js";
import type { ResolvedRule } from "./limiter-validation.js";
import { combineOutcomes } from "./result.js";
import type {
  RateLimitRequest,
  RateLimitResult,
  RateLimitRule,
  RateLimitStore,
  RateLimitWindow,
} from "./types.js";
import { asSentence } from "./validate.js";

/** Options of {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** Backend of the sliding-window logs. */
  readonly store: RateLimitStore;
  /** Limits that every request is checked against, at least one. */
  readonly limits: readonly RateLimitRule[];
}

/**
 * Returns the store key of a rule's window for a request. Ids are
 * URI-encoded, so they cannot forge a separator or a brace. The braces
 * are a Redis Cluster hash tag that puts all windows of one call in one
 * slot: the tenant when the request has one, else the key.
 */
function windowKeyOf(rule: ResolvedRule, request: RateLimitRequest): string {
  const tenant =
    request.tenant === undefined
      ? undefined
      : encodeURIComponent(request.tenant);
  if (rule.scope === "tenant") {
    return `tenant:{${tenant ?? ""}}:${rule.name}`;
  }
  const key = encodeURIComponent(request.key ?? "");
  return tenant === undefined
    ? `key:{${key}}:${rule.name}`
    : `key:{${tenant}}:${key}:${rule.name}`;
}

/**
 * Checks requests against several sliding-window limits at once, such as
 * requests per minute per API key, tokens per minute per key and tokens
 * per hour per tenant. A request is charged to every limit or, when any
 * limit rejects it, to none.
 *
 * Each window is a sliding log of (time, cost) entries rather than
 * weighted fixed-window counters, so counts are exact at every
 * millisecond: an entry made at `t` counts until `t + windowMs - 1` and
 * no longer at `t + windowMs`. The price is memory per entry: a window
 * keeps at most `limit` entries, one per admitted request with a cost of
 * at least 1, and fewer where requests share a millisecond in the memory
 * store.
 */
export class RateLimiter {
  /** Limits with their defaults filled in, in the order given. */
  readonly limits: readonly Required<RateLimitRule>[];
  private readonly store: RateLimitStore;

  /**
   * @throws SecurityError INVALID_OPTIONS listing every invalid or unknown
   * option.
   */
  constructor(options: RateLimiterOptions) {
    this.limits = resolveLimiterOptions(options);
    this.store = options.store;
  }

  /**
   * Checks the request against every limit and charges it when all admit
   * it. Invalid requests raise `INVALID_INPUT` and store failures raise
   * `STORE_FAILED`. A rejection is a result, not an error, unless the
   * caller passes it to {@link throwIfRateLimited}.
   */
  consume(request: RateLimitRequest): Promise<RateLimitResult> {
    return this.check(request, false);
  }

  /**
   * Checks the request like {@link consume} without charging it, so
   * `remaining` is the capacity left before the request.
   */
  peek(request: RateLimitRequest): Promise<RateLimitResult> {
    return this.check(request, true);
  }

  /** Deletes the windows of every limit for the request's key and tenant. */
  async reset(request: Omit<RateLimitRequest, "tokens">): Promise<void> {
    checkRequest(request, this.limits, false);
    const keys = this.limits.map((rule) => windowKeyOf(rule, request));
    await this.callStore(() => this.store.reset(keys));
  }

  private async check(
    request: RateLimitRequest,
    dryRun: boolean,
  ): Promise<RateLimitResult> {
    checkRequest(request, this.limits, true);
    const windows: RateLimitWindow[] = this.limits.map((rule) => ({
      key: windowKeyOf(rule, request),
      limit: rule.limit,
      windowMs: rule.windowMs,
      cost: rule.unit === "tokens" ? (request.tokens ?? 0) : 1,
    }));
    const stored = await this.callStore(() =>
      this.store.consume(windows, { dryRun }),
    );
    return combineOutcomes(this.limits, windows, stored);
  }

  /** Runs a store call and wraps anything but a SecurityError it throws. */
  private async callStore<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (isSecurityError(error)) {
        throw error;
      }
      const reason = error instanceof Error ? error.message : String(error);
      throw new SecurityError(
        SecurityErrorCode.STORE_FAILED,
        `The rate-limit store failed: ${asSentence(reason)}`,
        { cause: error },
      );
    }
  }
}
