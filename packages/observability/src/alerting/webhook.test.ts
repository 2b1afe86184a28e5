import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

import { afterEach, describe, expect, it } from "vitest";

import { isObservabilityError } from "../errors.js";
import { createRecordingLogger } from "../telemetry/test-support.js";
import { createAlertManager } from "./manager.js";
import { createTestClock } from "./test-support.js";
import type { AlertNotification } from "./types.js";
import { createLogNotifier, createWebhookNotifier } from "./webhook.js";

/** A loopback receiver that fails the first `failures` requests with 503. */
interface Receiver {
  readonly url: string;
  /** Requests received, failed ones included. */
  requests: number;
  /** Accepted deliveries per idempotency key. */
  readonly deliveries: Map<string, number>;
  readonly bodies: AlertNotification[];
}

let server: Server | undefined;

afterEach(async () => {
  const running = server;
  server = undefined;
  if (running !== undefined) {
    running.closeAllConnections();
    await new Promise((resolve) => running.close(resolve));
  }
});

async function startReceiver(
  failures: number,
  failStatus = 503,
): Promise<Receiver> {
  const receiver: Omit<Receiver, "url"> & { url: string } = {
    url: "",
    requests: 0,
    deliveries: new Map(),
    bodies: [],
  };
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      receiver.requests += 1;
      if (receiver.requests <= failures) {
        response.writeHead(failStatus).end();
        return;
      }
      const key = String(request.headers["idempotency-key"]);
      receiver.deliveries.set(key, (receiver.deliveries.get(key) ?? 0) + 1);
      receiver.bodies.push(
        JSON.parse(Buffer.concat(chunks).toString("utf8")) as AlertNotification,
      );
      response.writeHead(204).end();
    });
  });
  const running = server;
  await new Promise<void>((resolve) => running.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(running.address() as AddressInfo).port}/alerts`;
  return receiver;
}

const notification: AlertNotification = {
  idempotencyKey: "k1",
  groupKey: "{}",
  groupLabels: {},
  status: "firing",
  alerts: [],
};

describe("createWebhookNotifier", () => {
  it("retries 503 and delivers with the idempotency key", async () => {
    const receiver = await startReceiver(2);
    const logger = createRecordingLogger();
    const webhook = createWebhookNotifier({
      url: receiver.url,
      initialBackoffMs: 1,
      logger,
    });
    await webhook.notify(notification);
    expect(receiver.requests).toBe(3);
    expect(receiver.deliveries.get("k1")).toBe(1);
    expect(logger.records.map((record) => record.fields["attempt"])).toEqual([
      1, 2,
    ]);
  });

  it("fails with WEBHOOK_FAILED after the last attempt", async () => {
    const receiver = await startReceiver(10);
    const webhook = createWebhookNotifier({
      url: receiver.url,
      maxAttempts: 3,
      initialBackoffMs: 1,
    });
    const error: unknown = await webhook
      .notify(notification)
      .catch((caught: unknown) => caught);
    expect(isObservabilityError(error) ? error.code : "").toBe(
      "WEBHOOK_FAILED",
    );
    expect(receiver.requests).toBe(3);
  });

  it("does not retry a 400 response", async () => {
    const receiver = await startReceiver(10, 400);
    const webhook = createWebhookNotifier({
      url: receiver.url,
      initialBackoffMs: 1,
    });
    await expect(webhook.notify(notification)).rejects.toThrow(
      /failed for notification k1/u,
    );
    expect(receiver.requests).toBe(1);
  });

  it("rejects invalid options together", () => {
    let caught: unknown;
    try {
      createWebhookNotifier({ url: "mailto:ops@example.com", maxAttempts: 0 });
    } catch (error) {
      caught = error;
    }
    const paths = isObservabilityError(caught)
      ? caught.issues.map((issue) => issue.path)
      : [];
    expect(paths).toEqual(["url", "maxAttempts"]);
  });
});

describe("alert manager with a webhook", () => {
  it("notifies each group exactly once after an outage", async () => {
    // 2 attempts per flush and 5 failures: the first two evaluations fail
    // and the third delivers both groups.
    const receiver = await startReceiver(5);
    const clock = createTestClock();
    const logger = createRecordingLogger();
    const manager = createAlertManager({
      rules: [
        {
          name: "HighErrorRate",
          metric: "errors",
          condition: { kind: "threshold", operator: ">", value: 1 },
          severity: "critical",
        },
      ],
      groupBy: ["cluster"],
      clock,
      logger,
      handlers: [
        createWebhookNotifier({
          url: receiver.url,
          maxAttempts: 2,
          initialBackoffMs: 1,
        }),
      ],
    });
    manager.observe({ metric: "errors", labels: { cluster: "eu" }, value: 5 });
    manager.observe({ metric: "errors", labels: { cluster: "us" }, value: 5 });

    const summaries = [];
    for (let i = 0; i < 5; i += 1) {
      summaries.push(await manager.evaluate());
      clock.advance(15_000);
    }

    expect(summaries.map((summary) => summary.queued)).toEqual([2, 2, 0, 0, 0]);
    expect(receiver.deliveries.size).toBe(2);
    expect([...receiver.deliveries.values()]).toEqual([1, 1]);
    expect(
      receiver.bodies.map((body) => body.groupLabels["cluster"]).sort(),
    ).toEqual(["eu", "us"]);
    expect(
      logger.records.filter(
        (record) =>
          record.message ===
          "alert notification failed, kept for the next flush",
      ),
    ).toHaveLength(2);
  });
});

describe("createLogNotifier", () => {
  it("logs firing groups at warn", async () => {
    const logger = createRecordingLogger();
    await createLogNotifier(logger).notify(notification);
    expect(logger.records[0]?.level).toBe("warn");
    expect(logger.records[0]?.message).toBe("alert group firing");
    expect(logger.records[0]?.fields["idempotencyKey"]).toBe("k1");
  });
});
