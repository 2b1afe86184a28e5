import { describe, expect, it } from "vitest";

import { createCircuitBreaker } from "./circuit-breaker.js";
import type { ResilienceLogger } from "./events.js";
import { countEvents, logEvents } from "./observe.js";
import { createRetryPolicy } from "./retry.js";
import { FakeFailure, rejectionOf } from "./test-support/errors.js";

describe("logEvents", () => {
  it("logs retries at warn with the error under err", async () => {
    const lines: {
      level: string;
      fields: Record<string, unknown>;
      message: string;
    }[] = [];
    const logger: ResilienceLogger = {
      info: (fields, message) => lines.push({ level: "info", fields, message }),
      warn: (fields, message) => lines.push({ level: "warn", fields, message }),
    };
    const policy = createRetryPolicy({
      name: "llm",
      maxRetries: 1,
      initialDelayMs: 0,
      budget: false,
    });
    const subscription = logEvents(policy, logger);
    const failure = new FakeFailure("busy", { status: 503 });
    await rejectionOf(
      policy.execute(() => {
        throw failure;
      }),
    );
    expect(lines.map((line) => [line.level, line.message])).toEqual([
      ["warn", "retrying after transient failure"],
      ["warn", "retries stopped"],
    ]);
    expect(lines[0]?.fields).toEqual({
      event: "retry",
      policy: "llm",
      attempt: 1,
      delayMs: 0,
      err: failure,
    });
    subscription.dispose();
    await rejectionOf(
      policy.execute(() => {
        throw failure;
      }),
    );
    expect(lines).toHaveLength(2);
  });
});

describe("countEvents", () => {
  it("counts each event with its name and policy", async () => {
    const counts: Record<string, string>[] = [];
    const breaker = createCircuitBreaker({
      name: "store",
      consecutiveFailures: 1,
    });
    countEvents(breaker, {
      add: (value, attributes) => {
        expect(value).toBe(1);
        counts.push(attributes ?? {});
      },
    });
    await rejectionOf(
      breaker.execute(() => {
        throw new FakeFailure("down", { code: "ECONNREFUSED" });
      }),
    );
    expect(counts).toEqual([{ event: "break", policy: "store" }]);
  });
});
