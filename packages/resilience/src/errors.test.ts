import { describe, expect, it } from "vitest";

import {
  isResilienceError,
  RESILIENCE_ERROR_STATUS,
  ResilienceError,
  ResilienceErrorCode,
} from "./errors.js";

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
