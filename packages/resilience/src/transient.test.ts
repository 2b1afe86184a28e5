import { describe, expect, it } from "vitest";

import { ResilienceError } from "./errors.js";
import { isTransientError, matchStatus, statusOf } from "./transient.js";

describe("isTransientError", () => {
  const cases: [string, unknown, boolean][] = [
    ["transient: true", { transient: true }, true],
    [
      "transient: false with status 503",
      { transient: false, status: 503 },
      false,
    ],
    [
      "ECONNRESET",
      Object.assign(new Error("reset"), { code: "ECONNRESET" }),
      true,
    ],
    ["ETIMEDOUT", { code: "ETIMEDOUT" }, true],
    ["ECONNREFUSED", { code: "ECONNREFUSED" }, true],
    ["EAI_AGAIN", { code: "EAI_AGAIN" }, true],
    ["EPIPE", { code: "EPIPE" }, true],
    ["ENOTFOUND", { code: "ENOTFOUND" }, false],
    ["status 408", { status: 408 }, true],
    ["status 425", { status: 425 }, true],
    ["status 429", { status: 429 }, true],
    ["status 500", { status: 500 }, true],
    ["status 502", { status: 502 }, true],
    ["status 503", { statusCode: 503 }, true],
    ["status 504", { statusCode: 504 }, true],
    ["status 400", { status: 400 }, false],
    ["status 401", { status: 401 }, false],
    ["status 501", { status: 501 }, false],
    ["plain error", new Error("boom"), false],
    ["string", "ECONNRESET", false],
    ["null", null, false],
    ["undefined", undefined, false],
    [
      "fetch failure caused by ECONNREFUSED",
      new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } }),
      true,
    ],
    [
      "status 400 caused by ECONNRESET",
      Object.assign(new Error("bad"), {
        status: 400,
        cause: { code: "ECONNRESET" },
      }),
      false,
    ],
    ["TIMEOUT error", new ResilienceError("TIMEOUT", "slow"), true],
    ["CIRCUIT_OPEN error", new ResilienceError("CIRCUIT_OPEN", "open"), false],
  ];

  it.each(cases)("classifies %s", (_label, error, expected) => {
    expect(isTransientError(error)).toBe(expected);
  });

  it("ends on a cyclic cause chain", () => {
    const first: { cause?: unknown } = {};
    const second = { cause: first };
    first.cause = second;
    expect(isTransientError(first)).toBe(false);
  });
});

describe("matchStatus", () => {
  it("matches the listed statuses only", () => {
    const matches = matchStatus(429, 401);
    expect(matches({ status: 429 })).toBe(true);
    expect(matches({ statusCode: 401 })).toBe(true);
    expect(matches({ status: 400 })).toBe(false);
    expect(matches(new Error("no status"))).toBe(false);
  });
});

describe("statusOf", () => {
  it("prefers status over statusCode", () => {
    expect(statusOf({ status: 404, statusCode: 500 })).toBe(404);
    expect(statusOf({ status: "404" })).toBeUndefined();
  });

  it("reads the status of an attached response", () => {
    expect(statusOf({ response: { status: 429 } })).toBe(429);
    expect(statusOf({ response: { statusCode: 401 } })).toBe(401);
    expect(statusOf({ status: 400, response: { status: 503 } })).toBe(400);
    expect(statusOf({ response: null })).toBeUndefined();
    expect(isTransientError({ response: { status: 503 } })).toBe(true);
  });
});
