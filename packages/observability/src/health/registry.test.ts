import { afterEach, describe, expect, it, vi } from "vitest";

import { isObservabilityError } from "../errors.js";
import { createRecordingLogger } from "../telemetry/test-support.js";
import { combineStatus, createHealthRegistry } from "./registry.js";
import type { HealthCheckResult } from "./types.js";

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
