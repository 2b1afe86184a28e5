import {
  BrokenCircuitError,
  BulkheadRejectedError,
  IsolatedCircuitError,
  TaskCancelledError,
} from "cockatiel";
import { describe, expect, it } from "vitest";

import { fromCockatielError } from "./cockatiel-errors.js";
import {
  isResilienceError,
  RESILIENCE_ERROR_STATUS,
  ResilienceError,
  ResilienceErrorCode,
} from "./errors.js";
import { codeOf } from "./test-support/errors.js";

describe("ResilienceError", () => {
  it("carries the status and transient flag of its code", () => {
    const timeout = new ResilienceError("TIMEOUT", "slow");
    const open = new ResilienceError("CIRCUIT_OPEN", "open");
    expect(timeout.status).toBe(504);
    expect(timeout.transient).toBe(true);
    expect(open.status).toBe(503);
    expect(open.transient).toBe(false);
    expect(open.name).toBe("ResilienceError");
  });

  it("maps every code to an HTTP status", () => {
    for (const code of Object.values(ResilienceErrorCode)) {
      expect(RESILIENCE_ERROR_STATUS[code]).toBeGreaterThanOrEqual(400);
    }
  });

  it("is recognised across copies by its brand", () => {
    const copy = Object.assign(new Error("copy"), {
      [Symbol.for("@retrieval-free/resilience/error")]: true,
    });
    expect(isResilienceError(copy)).toBe(true);
    expect(isResilienceError(new Error("plain"))).toBe(false);
    expect(isResilienceError(null)).toBe(false);
  });
});

describe("fromCockatielError", () => {
  it("wraps a broken circuit as CIRCUIT_OPEN with the cause", () => {
    const original = new BrokenCircuitError();
    const wrapped = fromCockatielError(original, undefined);
    expect(codeOf(wrapped)).toBe("CIRCUIT_OPEN");
    expect((wrapped as Error).cause).toBe(original);
  });

  it("marks an isolated circuit", () => {
    const wrapped = fromCockatielError(new IsolatedCircuitError(), undefined);
    expect(codeOf(wrapped)).toBe("CIRCUIT_OPEN");
    expect((wrapped as ResilienceError).details.isolated).toBe(true);
  });

  it("wraps a bulkhead rejection as BULKHEAD_FULL", () => {
    const original = new BulkheadRejectedError(2, 1);
    const wrapped = fromCockatielError(original, undefined, {
      maxConcurrent: 2,
      maxQueue: 1,
    });
    expect(codeOf(wrapped)).toBe("BULKHEAD_FULL");
    expect((wrapped as Error).cause).toBe(original);
    expect((wrapped as Error).message).toContain("2 running, 1 queued");
  });

  it("wraps a cancelled task as ABORTED or TIMEOUT", () => {
    const controller = new AbortController();
    controller.abort();
    const original = new TaskCancelledError();
    expect(codeOf(fromCockatielError(original, controller.signal))).toBe(
      "ABORTED",
    );
    expect(codeOf(fromCockatielError(original, undefined))).toBe("TIMEOUT");
  });

  it("returns other values unchanged", () => {
    const other = new Error("boom");
    expect(fromCockatielError(other, undefined)).toBe(other);
    expect(fromCockatielError("text", undefined)).toBe("text");
  });
});
