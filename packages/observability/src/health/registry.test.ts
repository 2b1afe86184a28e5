import { afterEach, describe, expect, it, vi } from "vitest";

import { isObservabilityError } from "../errors.js";
import { createRecordingLogger } from "../telemetry/test-support.js";
import { combineStatus, createHealthRegistry } from "./registry.js";
import type { HealthCheck, HealthCheckResult } from "./types.js";

afterEach(() => {
  vi.useRealTimers();
});

const hang = (): Promise<never> => new Promise<never>(() => undefined);

describe("createHealthRegistry", () => {
  it("reports up with per-check detail and durations", async () => {
    const registry = createHealthRegistry();
    registry.register({
      name: "loop",
      kind: "liveness",
      run: () => Promise.resolve(),
    });
    registry.register({
      name: "postgres",
      kind: "dependency",
      run: () => Promise.resolve({ detail: { pool: 4 } }),
    });
    const report = await registry.check();
    expect(report.status).toBe("up");
    expect(report.checks.map((item) => item.name)).toEqual([
      "loop",
      "postgres",
    ]);
    expect(report.checks[1]?.detail).toEqual({ pool: 4 });
    expect(report.checks.every((item) => item.durationMs >= 0)).toBe(true);
    expect(Number.isNaN(Date.parse(report.timestamp))).toBe(false);
  });

  it("splits liveness from readiness and dependencies", async () => {
    const registry = createHealthRegistry();
    registry.register({
      name: "loop",
      kind: "liveness",
      run: () => Promise.resolve(),
    });
    registry.register({
      name: "model",
      kind: "readiness",
      run: () => Promise.resolve(),
    });
    registry.register({
      name: "redis",
      kind: "dependency",
      run: () => Promise.resolve(),
    });
    expect((await registry.liveness()).checks.map((item) => item.name)).toEqual(
      ["loop"],
    );
    expect(
      (await registry.readiness()).checks.map((item) => item.name),
    ).toEqual(["model", "redis"]);
  });

  it("reports down when a critical check throws", async () => {
    const logger = createRecordingLogger();
    const registry = createHealthRegistry({ logger });
    registry.register({
      name: "postgres",
      kind: "dependency",
      run: () => Promise.reject(new Error("connection refused")),
    });
    const report = await registry.readiness();
    expect(report.status).toBe("down");
    expect(report.checks[0]?.error).toEqual({
      code: "CHECK_FAILED",
      message: "connection refused",
    });
    expect(logger.records[0]?.message).toBe("health check failed");
  });

  it("reports degraded when a non-critical check fails", async () => {
    const registry = createHealthRegistry();
    registry.register({
      name: "cache",
      kind: "dependency",
      critical: false,
      run: () => Promise.reject(new Error("down")),
    });
    registry.register({
      name: "db",
      kind: "dependency",
      run: () => Promise.resolve(),
    });
    expect((await registry.readiness()).status).toBe("degraded");
  });

  it("catches a check that throws synchronously", async () => {
    const registry = createHealthRegistry();
    registry.register({
      name: "sync",
      kind: "liveness",
      run: () => {
        throw new Error("boom");
      },
    });
    expect((await registry.liveness()).checks[0]?.error?.message).toBe("boom");
  });

  it("reports a hanging check as timed out at its timeout", async () => {
    vi.useFakeTimers();
    const registry = createHealthRegistry();
    let aborted = false;
    registry.register({
      name: "slow",
      kind: "dependency",
      timeoutMs: 100,
      run: (signal) => {
        signal.addEventListener("abort", () => {
          aborted = true;
        });
        return hang();
      },
    });
    registry.register({
      name: "fast",
      kind: "dependency",
      run: () => Promise.resolve(),
    });
    let settled = false;
    const pending = registry.readiness().then((report) => {
      settled = true;
      return report;
    });
    await vi.advanceTimersByTimeAsync(99);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const report = await pending;
    expect(report.status).toBe("down");
    expect(report.checks[0]?.error?.code).toBe("HEALTH_CHECK_TIMEOUT");
    expect(report.checks[1]?.status).toBe("up");
    expect(aborted).toBe(true);
  });

  it("rejects a duplicate name and a bad timeout", () => {
    const registry = createHealthRegistry();
    registry.register({
      name: "db",
      kind: "dependency",
      run: () => Promise.resolve(),
    });
    let caught: unknown;
    try {
      registry.register({
        name: "db",
        kind: "dependency",
        timeoutMs: -1,
        run: () => Promise.resolve(),
      });
    } catch (error) {
      caught = error;
    }
    const paths = isObservabilityError(caught)
      ? caught.issues.map((issue) => issue.path)
      : [];
    expect(paths).toEqual(["name", "timeoutMs"]);
  });

  it("reports up with no checks", async () => {
    expect((await createHealthRegistry().check()).status).toBe("up");
  });
});

describe("createHealthRegistry under failure", () => {
  it("reports results that are not outcomes as down", async () => {
    const registry = createHealthRegistry();
    const results: Record<string, unknown> = {
      "returns-false": false,
      "returns-true": true,
      "returns-string": "ok",
      "returns-bad-status": { status: "fine" },
      "returns-bad-detail": { detail: 5 },
    };
    for (const [name, value] of Object.entries(results)) {
      registry.register({
        name,
        kind: "liveness",
        run: () => Promise.resolve(value as undefined),
      });
    }
    const report = await registry.liveness();
    const byName = new Map(report.checks.map((item) => [item.name, item]));
    expect(report.status).toBe("down");
    expect(byName.get("returns-false")?.status).toBe("down");
    expect(byName.get("returns-false")?.error?.code).toBe("CHECK_FAILED");
    expect(byName.get("returns-true")?.status).toBe("up");
    expect(byName.get("returns-string")?.error?.code).toBe("INVALID_RESULT");
    expect(byName.get("returns-string")?.error?.message).toContain('"ok"');
    expect(byName.get("returns-bad-status")?.error?.message).toContain(
      '"fine"',
    );
    expect(byName.get("returns-bad-detail")?.status).toBe("down");
    expect(byName.get("returns-bad-detail")?.detail).toBeUndefined();
  });

  it("describes rejections that are not errors", async () => {
    const registry = createHealthRegistry();
    const reasons: Record<string, unknown> = {
      "null-prototype": Object.create(null) as object,
      undefined: undefined,
      "plain-object": { message: "pool exhausted" },
      symbol: Symbol("reason"),
    };
    for (const [name, reason] of Object.entries(reasons)) {
      registry.register({
        name,
        kind: "liveness",
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        run: () => Promise.reject(reason),
      });
    }
    const report = await registry.liveness();
    const messages = Object.fromEntries(
      report.checks.map((item) => [item.name, item.error?.message]),
    );
    expect(report.status).toBe("down");
    expect(messages["null-prototype"]).toBe("the check threw [object Object]");
    expect(messages["undefined"]).toBe("the check threw undefined");
    expect(messages["plain-object"]).toBe("pool exhausted");
    expect(messages["symbol"]).toBe("the check threw Symbol(reason)");
  });

  it("runs a slow check once for overlapping reports", async () => {
    vi.useFakeTimers();
    const registry = createHealthRegistry();
    let runs = 0;
    registry.register({
      name: "slow",
      kind: "dependency",
      run: () => {
        runs += 1;
        return new Promise<void>((resolve) => setTimeout(resolve, 500));
      },
    });
    const reports = Promise.all([
      registry.readiness(),
      registry.readiness(),
      registry.check(),
    ]);
    await vi.advanceTimersByTimeAsync(500);
    const statuses = (await reports).map((report) => report.status);
    expect(statuses).toEqual(["up", "up", "up"]);
    expect(runs).toBe(1);

    const later = registry.readiness();
    await vi.advanceTimersByTimeAsync(500);
    expect((await later).status).toBe("up");
    expect(runs).toBe(2);
  });

  it("keeps a late hung result out of later reports", async () => {
    vi.useFakeTimers();
    const registry = createHealthRegistry();
    let runs = 0;
    registry.register({
      name: "flaky",
      kind: "dependency",
      timeoutMs: 100,
      run: () => {
        runs += 1;
        // The first run settles as down long after its timeout; the second
        // run passes at once.
        return runs === 1
          ? new Promise<never>((_, reject) =>
              setTimeout(() => {
                reject(new Error("late failure"));
              }, 1_000),
            )
          : Promise.resolve();
      },
    });
    const first = registry.readiness();
    await vi.advanceTimersByTimeAsync(100);
    expect((await first).checks[0]?.error?.code).toBe("HEALTH_CHECK_TIMEOUT");
    const second = registry.readiness();
    await vi.advanceTimersByTimeAsync(1_000);
    const report = await second;
    expect(report.status).toBe("up");
    expect(report.checks[0]?.error).toBeUndefined();
    expect(runs).toBe(2);
  });

  it("keeps a timeout above the timer limit out", () => {
    const registry = createHealthRegistry();
    const register = (): void => {
      registry.register({
        name: "db",
        kind: "dependency",
        timeoutMs: 3_000_000_000,
        run: () => Promise.resolve(),
      });
    };
    expect(register).toThrow(/timeoutMs: .*at most 2147483647/u);
  });

  it("rejects a missing check and a non-boolean critical", () => {
    const registry = createHealthRegistry();
    const registerMissing = (): void => {
      registry.register(undefined as unknown as HealthCheck);
    };
    expect(registerMissing).toThrow(/must be an object with name, kind/u);
    let caught: unknown;
    try {
      registry.register({
        name: "db",
        kind: "dependency",
        critical: "no" as unknown as boolean,
        run: () => Promise.resolve(),
      });
    } catch (error) {
      caught = error;
    }
    const paths = isObservabilityError(caught)
      ? caught.issues.map((issue) => issue.path)
      : [];
    expect(paths).toEqual(["critical"]);
  });

  it("rejects unknown kinds but accepts none", async () => {
    const registry = createHealthRegistry();
    registry.register({
      name: "loop",
      kind: "liveness",
      run: () => Promise.resolve(),
    });
    await expect(
      registry.check(["livenes" as HealthCheck["kind"]]),
    ).rejects.toThrow(/kinds\[0\]: must be "liveness"/u);
    const empty = await registry.check([]);
    expect(empty.status).toBe("up");
    expect(empty.checks).toEqual([]);
  });

  it("runs a check again after it is re-registered", async () => {
    const registry = createHealthRegistry();
    registry.register({
      name: "db",
      kind: "dependency",
      run: () => Promise.reject(new Error("old")),
    });
    expect(registry.unregister("db")).toBe(true);
    expect(registry.unregister("db")).toBe(false);
    expect((await registry.readiness()).checks).toEqual([]);
    registry.register({
      name: "db",
      kind: "dependency",
      run: () => Promise.resolve(),
    });
    expect((await registry.readiness()).status).toBe("up");
  });

  it("reports degraded from a non-critical timeout", async () => {
    vi.useFakeTimers();
    const registry = createHealthRegistry();
    registry.register({
      name: "cache",
      kind: "dependency",
      critical: false,
      timeoutMs: 50,
      run: hang,
    });
    registry.register({
      name: "db",
      kind: "dependency",
      run: () => Promise.resolve({ status: "degraded" }),
    });
    const pending = registry.readiness();
    await vi.advanceTimersByTimeAsync(50);
    const report = await pending;
    expect(report.status).toBe("degraded");
    expect(report.checks.map((item) => item.status)).toEqual([
      "down",
      "degraded",
    ]);
  });
});

describe("combineStatus", () => {
  const result = (
    status: HealthCheckResult["status"],
    critical: boolean,
  ): HealthCheckResult => ({
    name: "x",
    kind: "dependency",
    status,
    critical,
    durationMs: 0,
  });

  it("reports a degraded check as degraded", () => {
    expect(combineStatus([result("degraded", true), result("up", true)])).toBe(
      "degraded",
    );
  });

  it("reports a critical down check as down", () => {
    expect(
      combineStatus([result("degraded", false), result("down", true)]),
    ).toBe("down");
  });
});
