import {
  isObservabilityError,
  ObservabilityError,
  ObservabilityErrorCode,
  throwIfIssues,
} from "../errors.js";
import type { ObservabilityIssue } from "../errors.js";
import { noopLogger } from "../logger-port.js";
import type { ObservabilityLogger } from "../logger-port.js";
import type {
  HealthCheck,
  HealthCheckKind,
  HealthCheckResult,
  HealthReport,
  HealthStatus,
} from "./types.js";

/** Options of {@link createHealthRegistry}. */
export interface HealthRegistryOptions {
  /**
   * Logger for failed and timed-out checks.
   * @default noopLogger
   */
  readonly logger?: ObservabilityLogger;
}

/** A registry of health checks; see {@link createHealthRegistry}. */
export interface HealthRegistry {
  /** Adds a check; throws INVALID_OPTIONS for a bad or duplicate one. */
  register(check: HealthCheck): void;
  /** Removes a check by name; returns false when no check has it. */
  unregister(name: string): boolean;
  /** Runs the liveness checks. */
  liveness(): Promise<HealthReport>;
  /** Runs the readiness and dependency checks. */
  readiness(): Promise<HealthReport>;
  /** Runs the checks of the given kinds, all kinds by default. */
  check(kinds?: readonly HealthCheckKind[]): Promise<HealthReport>;
}

const DEFAULT_TIMEOUT_MS = 2_000;

/** Largest delay that `setTimeout` accepts; a larger one fires after 1 ms. */
const MAX_TIMEOUT_MS = 2_147_483_647;

const KINDS: readonly HealthCheckKind[] = [
  "liveness",
  "readiness",
  "dependency",
];
const STATUSES: readonly HealthStatus[] = ["up", "degraded", "down"];

function validateCheck(check: HealthCheck, names: ReadonlySet<string>): void {
  if (typeof check !== "object" || (check as unknown) === null) {
    throwIfIssues("health check", [
      {
        path: "check",
        value: check,
        message: "must be an object with name, kind and run",
      },
    ]);
  }
  const issues: ObservabilityIssue[] = [];
  if (typeof check.name !== "string" || check.name === "") {
    issues.push({
      path: "name",
      value: check.name,
      message: "must be a non-empty string",
    });
  } else if (names.has(check.name)) {
    issues.push({
      path: "name",
      value: check.name,
      message:
        "is already registered; pick another name or unregister the old check",
    });
  }
  if (!KINDS.includes(check.kind)) {
    issues.push({
      path: "kind",
      value: check.kind,
      message: 'must be "liveness", "readiness" or "dependency"',
    });
  }
  const timeout = check.timeoutMs;
  if (
    timeout !== undefined &&
    !(Number.isFinite(timeout) && timeout > 0 && timeout <= MAX_TIMEOUT_MS)
  ) {
    issues.push({
      path: "timeoutMs",
      value: timeout,
      message: `must be a positive number of milliseconds, at most ${MAX_TIMEOUT_MS}`,
    });
  }
  if (check.critical !== undefined && typeof check.critical !== "boolean") {
    issues.push({
      path: "critical",
      value: check.critical,
      message: "must be true or false",
    });
  }
  if (typeof check.run !== "function") {
    issues.push({
      path: "run",
      value: typeof check.run,
      message: "must be a function that returns a promise",
    });
  }
  throwIfIssues(`health check ${JSON.stringify(check.name)}`, issues);
}

function validateKinds(kinds: readonly HealthCheckKind[]): void {
  if (!Array.isArray(kinds)) {
    throwIfIssues("health check kinds", [
      {
        path: "kinds",
        value: kinds,
        message: 'must be an array of kinds such as ["liveness"]',
      },
    ]);
  }
  const issues: ObservabilityIssue[] = [];
  kinds.forEach((kind, index) => {
    if (!KINDS.includes(kind)) {
      issues.push({
        path: `kinds[${index}]`,
        value: kind,
        message: 'must be "liveness", "readiness" or "dependency"',
      });
    }
  });
  throwIfIssues("health check kinds", issues);
}

/**
 * Creates an empty {@link HealthRegistry}. Reports that overlap share each
 * check's run in progress, so a slow check runs once however many probes
 * ask for it.
 */
export function createHealthRegistry(
  options: HealthRegistryOptions = {},
): HealthRegistry {
  const logger = options.logger ?? noopLogger;
  const checks = new Map<string, HealthCheck>();
  // Keyed by the check object, so a check registered again under the same
  // name never joins the run of the old one.
  const running = new Map<HealthCheck, Promise<HealthCheckResult>>();
  const runShared = (item: HealthCheck): Promise<HealthCheckResult> => {
    const current = running.get(item);
    if (current !== undefined) {
      return current;
    }
    // runCheck settles by the check's timeout at the latest and never
    // rejects, so the entry is removed even when the check itself hangs.
    const started = runCheck(item, logger).finally(() => {
      running.delete(item);
    });
    running.set(item, started);
    return started;
  };
  const check = async (
    kinds: readonly HealthCheckKind[] = KINDS,
  ): Promise<HealthReport> => {
    validateKinds(kinds);
    const started = performance.now();
    const selected = [...checks.values()].filter((item) =>
      kinds.includes(item.kind),
    );
    const results = await Promise.all(selected.map(runShared));
    return {
      status: combineStatus(results),
      checks: results,
      durationMs: performance.now() - started,
      timestamp: new Date().toISOString(),
    };
  };
  return {
    register(item) {
      validateCheck(item, new Set(checks.keys()));
      checks.set(item.name, item);
    },
    unregister: (name) => checks.delete(name),
    liveness: () => check(["liveness"]),
    readiness: () => check(["readiness", "dependency"]),
    check,
  };
}

/** Combines check results: critical down is down, anything not up is degraded. */
export function combineStatus(
  results: readonly HealthCheckResult[],
): HealthStatus {
  if (results.some((result) => result.status === "down" && result.critical)) {
    return "down";
  }
  return results.every((result) => result.status === "up") ? "up" : "degraded";
}

/**
 * Runs one check against its timeout. The timeout rejects the race and
 * aborts the check's signal, so a check that never settles cannot hold the
 * report past `timeoutMs`.
 */
async function runCheck(
  check: HealthCheck,
  logger: ObservabilityLogger,
): Promise<HealthCheckResult> {
  const timeoutMs = check.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const critical = check.critical ?? true;
  const base = { name: check.name, kind: check.kind, critical };
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeoutError = new ObservabilityError(
    ObservabilityErrorCode.HEALTH_CHECK_TIMEOUT,
    `Health check ${check.name} timed out after ${timeoutMs} ms; raise timeoutMs or check the dependency.`,
  );
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(timeoutError);
      reject(timeoutError);
    }, timeoutMs);
  });
  const started = performance.now();
  try {
    const outcome: unknown = await Promise.race([
      Promise.resolve().then(() => check.run(controller.signal)),
      timeout,
    ]);
    const result: HealthCheckResult = {
      ...base,
      ...interpretOutcome(outcome),
      durationMs: performance.now() - started,
    };
    if (result.error !== undefined) {
      logger.warn(
        {
          check: check.name,
          kind: check.kind,
          code: result.error.code,
          durationMs: result.durationMs,
        },
        "health check failed",
      );
    }
    return result;
  } catch (error) {
    const durationMs = performance.now() - started;
    const failure = describeFailure(error);
    logger.warn(
      {
        check: check.name,
        kind: check.kind,
        code: failure.code,
        durationMs,
        err: error,
      },
      "health check failed",
    );
    return { ...base, status: "down", durationMs, error: failure };
  } finally {
    clearTimeout(timer);
  }
}

type Interpreted = Pick<HealthCheckResult, "status" | "detail" | "error">;

/**
 * Turns what a check resolved with into a status: nothing or `true` is up,
 * `false` is down, and an outcome object gives its own status and detail.
 * Anything else is down with code INVALID_RESULT.
 */
function interpretOutcome(outcome: unknown): Interpreted {
  if (outcome === undefined || outcome === true) {
    return { status: "up" };
  }
  if (outcome === false) {
    return {
      status: "down",
      error: { code: "CHECK_FAILED", message: "the check returned false" },
    };
  }
  const invalid = (message: string): Interpreted => ({
    status: "down",
    error: { code: "INVALID_RESULT", message },
  });
  if (typeof outcome !== "object" || outcome === null) {
    return invalid(
      `the check resolved with ${describeValue(outcome)}; resolve with nothing, a boolean or { status, detail }`,
    );
  }
  const { status, detail } = outcome as {
    readonly status?: unknown;
    readonly detail?: unknown;
  };
  if (status !== undefined && !STATUSES.includes(status as HealthStatus)) {
    return invalid(
      `the check returned status ${describeValue(status)}; use "up", "degraded" or "down"`,
    );
  }
  if (
    detail !== undefined &&
    (typeof detail !== "object" || detail === null || Array.isArray(detail))
  ) {
    return invalid(
      `the check returned detail ${describeValue(detail)}; detail must be an object such as { pool: 4 }`,
    );
  }
  return {
    status: (status as HealthStatus | undefined) ?? "up",
    ...(detail === undefined
      ? {}
      : { detail: detail as Readonly<Record<string, unknown>> }),
  };
}

/** Turns what a check threw into the `error` field of its result. */
function describeFailure(error: unknown): { code: string; message: string } {
  let message: string;
  if (error instanceof Error) {
    message = error.message;
  } else if (
    typeof error === "object" &&
    error !== null &&
    typeof (error as { message?: unknown }).message === "string"
  ) {
    message = (error as { message: string }).message;
  } else {
    message = `the check threw ${describeValue(error)}`;
  }
  return {
    code: isObservabilityError(error) ? error.code : "CHECK_FAILED",
    message,
  };
}

/** Formats any value for a message without calling its own methods. */
function describeValue(value: unknown): string {
  if (typeof value === "string") {
    return JSON.stringify(value.slice(0, 80));
  }
  if (typeof value === "object" && value !== null) {
    return Object.prototype.toString.call(value);
  }
  return typeof value === "symbol" ? value.toString() : String(value);
}
