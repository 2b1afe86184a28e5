/** Probe that a check belongs to. */
export type HealthCheckKind = "liveness" | "readiness" | "dependency";

/** The health of one check or of a whole report. */
export type HealthStatus = "up" | "degraded" | "down";

/** Optional result of a check. */
export interface HealthCheckOutcome {
  /**
   * Status of the check.
   * @default "up"
   */
  readonly status?: HealthStatus;
  /** Facts for operators, such as a pool size or a lag. */
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** One registered check. */
export interface HealthCheck {
  /** Unique name, such as `postgres`. */
  readonly name: string;
  /** Probe the check belongs to; dependency checks count for readiness. */
  readonly kind: HealthCheckKind;
  /**
   * Time after which the check is reported down with HEALTH_CHECK_TIMEOUT,
   * in milliseconds.
   * @default 2000
   */
  readonly timeoutMs?: number;
  /**
   * Whether a failure makes the report `down`; a failed non-critical check
   * makes it `degraded`.
   * @default true
   */
  readonly critical?: boolean;
  /**
   * Runs the check; it passes by settling and fails by throwing. It may
   * also return `false` (down), `true` (up) or a {@link HealthCheckOutcome}.
   * Any other result is reported down with code `INVALID_RESULT`. `signal`
   * aborts when the timeout expires.
   */
  run(
    signal: AbortSignal,
    // `void` lets a check be a plain `async () => { ... }` with no result.
    // eslint-disable-next-line @typescript-eslint/no-invalid-void-type
  ): Promise<HealthCheckOutcome | boolean | undefined | void>;
}

/** The result of one check in a report. */
export interface HealthCheckResult {
  readonly name: string;
  readonly kind: HealthCheckKind;
  readonly status: HealthStatus;
  readonly critical: boolean;
  readonly durationMs: number;
  readonly detail?: Readonly<Record<string, unknown>>;
  /**
   * Why the check failed: the code of an ObservabilityError (such as
   * `HEALTH_CHECK_TIMEOUT`), `INVALID_RESULT` for a result that is not a
   * {@link HealthCheckOutcome}, or `CHECK_FAILED`, and a message.
   */
  readonly error?: { readonly code: string; readonly message: string };
}

/** A combined health report. */
export interface HealthReport {
  /** `down` if a critical check is down; `degraded` if any check is not up. */
  readonly status: HealthStatus;
  readonly checks: readonly HealthCheckResult[];
  readonly durationMs: number;
  /** ISO 8601 time when the report was finished. */
  readonly timestamp: string;
}
