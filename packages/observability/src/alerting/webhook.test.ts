import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { afterEach, describe, expect, it } from "vitest";

import { isObservabilityError } from "../errors.js";
import { createRecordingLogger } from "../telemetry/test-support.js";
import { createAlertManager } from "./manager.js";
import { createTestClock } from "./test-support.js";
import type { AlertNotification } from "./types.js";
import {
  createLogNotifier,
  createWebhookNotifier,
  parseRetryAfter,
} from "./webhook.js";

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
/** Extra servers that a test started; closed after it. */
const extraServers: Server[] = [];

afterEach(async () => {
  const running = [server, ...extraServers.splice(0)];
  server = undefined;
  for (const item of running) {
    if (item !== undefined) {
      item.closeAllConnections();
      await new Promise((resolve) => item.close(resolve));
    }
  }
});

type Handler = (
  request: IncomingMessage,
  response: ServerResponse,
  index: number,
) => void;

/**
 * Starts a loopback server that reads each request body and passes the
 * request with its 0-based index to `handle`. Returns its URL and the
 * idempotency keys of every request received.
 */
async function startScripted(
  handle: Handler,
): Promise<{ url: string; keys: string[] }> {
  const keys: string[] = [];
  const scripted = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      keys.push(String(request.headers["idempotency-key"]));
      handle(request, response, keys.length - 1);
    });
  });
  extraServers.push(scripted);
  await new Promise<void>((resolve) =>
    scripted.listen(0, "127.0.0.1", resolve),
  );
  const port = (scripted.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/alerts`, keys };
}

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

describe("createWebhookNotifier under failure", () => {
  it("does not follow a redirect", async () => {
    const target = await startScripted((_request, response) => {
      response.writeHead(204).end();
    });
    const redirector = await startScripted((_request, response) => {
      response.writeHead(302, { location: target.url }).end();
    });
    const webhook = createWebhookNotifier({
      url: redirector.url,
      initialBackoffMs: 1,
    });
    const error: unknown = await webhook
      .notify(notification)
      .catch((caught: unknown) => caught);
    expect(isObservabilityError(error) ? error.code : "").toBe(
      "WEBHOOK_FAILED",
    );
    const cause = error instanceof Error ? error.cause : undefined;
    expect(String(cause)).toContain("HTTP 302, a redirect to");
    expect(redirector.keys).toHaveLength(1);
    expect(target.keys).toHaveLength(0);
  });

  it("waits for Retry-After on 429 up to the cap", async () => {
    const receiver = await startScripted((_request, response, index) => {
      if (index === 0) {
        response.writeHead(429, { "retry-after": "120" }).end();
      } else {
        response.writeHead(204).end();
      }
    });
    const logger = createRecordingLogger();
    const webhook = createWebhookNotifier({
      url: receiver.url,
      initialBackoffMs: 1,
      maxBackoffMs: 50,
      logger,
    });
    await webhook.notify(notification);
    expect(receiver.keys).toEqual(["k1", "k1"]);
    // Without Retry-After the first retry would wait initialBackoffMs (1).
    expect(logger.records[0]?.fields["delayMs"]).toBe(50);
  });

  it("keeps one idempotency key across 500 and timeout", async () => {
    const receiver = await startScripted((_request, response, index) => {
      if (index === 0) response.writeHead(500).end();
      // The second request never gets a response, so it times out.
      if (index >= 2) response.writeHead(204).end();
    });
    const webhook = createWebhookNotifier({
      url: receiver.url,
      initialBackoffMs: 1,
      timeoutMs: 200,
    });
    await webhook.notify(notification);
    expect(receiver.keys).toEqual(["k1", "k1", "k1"]);
  });

  it("does not read a huge response body", async () => {
    const chunk = Buffer.alloc(1024 * 1024, 120);
    const receiver = await startScripted((_request, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      response.on("error", () => undefined);
      // 256 MiB unless the client stops reading; the server stops writing
      // when the client closes the stream.
      let left = 256;
      const write = (): void => {
        while (left > 0 && !response.destroyed) {
          left -= 1;
          if (!response.write(chunk)) {
            response.once("drain", write);
            return;
          }
        }
        response.end();
      };
      write();
    });
    const webhook = createWebhookNotifier({ url: receiver.url });
    await webhook.notify(notification);
    expect(receiver.keys).toEqual(["k1"]);
  });

  it("fails after every attempt on a closed port", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) =>
      closed.listen(0, "127.0.0.1", resolve),
    );
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const logger = createRecordingLogger();
    const webhook = createWebhookNotifier({
      url: `http://127.0.0.1:${port}/alerts`,
      maxAttempts: 3,
      initialBackoffMs: 1,
      logger,
    });
    const error: unknown = await webhook
      .notify(notification)
      .catch((caught: unknown) => caught);
    expect(isObservabilityError(error) ? error.code : "").toBe(
      "WEBHOOK_FAILED",
    );
    expect(error instanceof Error ? error.cause : undefined).toBeInstanceOf(
      TypeError,
    );
    expect(logger.records).toHaveLength(2);
  });

  it("cancels a pending retry on close", async () => {
    let firstRequest: () => void = () => undefined;
    const requested = new Promise<void>((resolve) => {
      firstRequest = resolve;
    });
    const receiver = await startScripted((_request, response) => {
      response.writeHead(503).end();
      firstRequest();
    });
    // A one-hour backoff: the test would time out if close left it running.
    const webhook = createWebhookNotifier({
      url: receiver.url,
      initialBackoffMs: 3_600_000,
      maxBackoffMs: 3_600_000,
    });
    const delivery = webhook.notify(notification).catch((caught: unknown) => {
      return caught;
    });
    await requested;
    await webhook.close();
    const error = await delivery;
    expect(isObservabilityError(error) ? error.code : "").toBe(
      "WEBHOOK_FAILED",
    );
    expect(String(error)).toContain("the notifier was closed");
    expect(receiver.keys).toHaveLength(1);
    await expect(webhook.notify(notification)).rejects.toThrow(
      /the notifier was closed/u,
    );
    expect(receiver.keys).toHaveLength(1);
  });

  it("rejects credentials in the URL and bad headers", () => {
    let caught: unknown;
    try {
      createWebhookNotifier({
        url: "http://ops:hunter2@127.0.0.1:9/alerts",
        headers: { "x-team": "ops\nx-injected: 1" },
      });
    } catch (error) {
      caught = error;
    }
    const issues = isObservabilityError(caught) ? caught.issues : [];
    expect(issues.map((issue) => issue.path)).toEqual(["url", "headers"]);
    expect(JSON.stringify(issues)).not.toContain("hunter2");
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");

  it("reads delay seconds", () => {
    expect(parseRetryAfter("3", now)).toBe(3_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
  });

  it("reads an HTTP date", () => {
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("Tue, 31 Dec 2024 23:59:00 GMT", now)).toBe(0);
  });

  it("ignores a missing or invalid header", () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
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

describe("alert manager with a webhook under failure", () => {
  const rule = {
    name: "HighErrorRate",
    metric: "errors",
    condition: { kind: "threshold", operator: ">", value: 1 },
    severity: "critical",
  } as const;

  it("delivers once when evaluations overlap", async () => {
    const receiver = await startScripted((_request, response, index) => {
      response.writeHead(index < 2 ? 503 : 204).end();
    });
    const manager = createAlertManager({
      rules: [rule],
      groupBy: ["cluster"],
      clock: createTestClock(),
      handlers: [
        createWebhookNotifier({
          url: receiver.url,
          maxAttempts: 3,
          initialBackoffMs: 20,
        }),
      ],
    });
    manager.observe({ metric: "errors", labels: { cluster: "eu" }, value: 5 });
    const first = manager.evaluate();
    manager.observe({ metric: "errors", labels: { cluster: "us" }, value: 5 });
    const second = manager.evaluate();
    await Promise.all([first, second]);
    const last = await manager.evaluate();

    expect(last.queued).toBe(0);
    const delivered = receiver.keys.slice(2);
    expect(delivered).toHaveLength(2);
    expect(new Set(delivered).size).toBe(2);
  });

  it("cancels retries on close and rejects later evaluations", async () => {
    let firstRequest: () => void = () => undefined;
    const requested = new Promise<void>((resolve) => {
      firstRequest = resolve;
    });
    const receiver = await startScripted((_request, response) => {
      response.writeHead(503).end();
      firstRequest();
    });
    const logger = createRecordingLogger();
    const manager = createAlertManager({
      rules: [rule],
      clock: createTestClock(),
      logger,
      handlers: [
        createWebhookNotifier({
          url: receiver.url,
          initialBackoffMs: 3_600_000,
          maxBackoffMs: 3_600_000,
        }),
      ],
    });
    manager.observe({ metric: "errors", value: 5 });
    const evaluation = manager.evaluate();
    await requested;
    await manager.close();
    const summary = await evaluation;
    expect(summary.delivered).toBe(0);
    expect(summary.queued).toBe(1);
    expect(receiver.keys).toHaveLength(1);
    expect(logger.records.map((record) => record.message)).toContain(
      "alert manager closed with undelivered notifications",
    );
    await expect(manager.evaluate()).rejects.toThrow(
      /alert manager is closed/u,
    );
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
