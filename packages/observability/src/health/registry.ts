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
  HealthCheckOutcome,
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

function validateCheck(check: HealthCheck, names: ReadonlySet<string>): void {
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
  if (!["liveness", "readiness", "dependency"].includes(check.kind)) {
    issues.push({
      path: "kind",
      value: check.kind,
      message: 'must be "liveness", "readiness" or "dependency"',
    });
  }
  const timeout = check.timeoutMs;
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0)) {
    issues.push({
      path: "timeoutMs",
      value: timeout,
      message: "must be a positive number of milliseconds",
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

/** Creates an empty {@link HealthRegistry}. */
export function createHealthRegistry(
  options: HealthRegistryOptions = {},
): HealthRegistry {
  const logger = options.logger ?? noopLogger;
  const checks = new Map<string, HealthCheck>();
  const check = async (
    kinds: readonly HealthCheckKind[] = ["liveness", "readiness", "dependency"],
  ): Promise<HealthReport> => {
    const started = performance.now();
    const selected = [...checks.values()].filter((item) =>
      kinds.includes(item.kind),
    );
    const results = await Promise.all(
      selected.map((item) => runCheck(item, logger)),
    );
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
    const outcome = (await Promise.race([
      Promise.resolve().then(() => check.run(controller.signal)),
      timeout,
    ])) as HealthCheckOutcome | undefined;
    const result: HealthCheckResult = {
      ...base,
      status: outcome?.status ?? "up",
      durationMs: performance.now() - started,
    };
    return outcome?.detail === undefined
      ? result
      : { ...result, detail: outcome.detail };
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

/** Turns what a check threw into the `error` field of its result. */
function describeFailure(error: unknown): { code: string; message: string } {
  return {
    code: isObservabilityError(error) ? error.code : "CHECK_FAILED",
    message: error instanceof Error ? error.message : String(error),
  };
}
