import { describe, expect, it } from "vitest";

import { childForRequest, createLogger } from "./logger.js";
import { createMemoryDestination } from "./test-support.js";

describe("createLogger", () => {
  it("writes fields, a message and the level as JSON", () => {
    const destination = createMemoryDestination();
    const logger = createLogger({ destination, name: "api" });
    logger.info({ route: "/v1/compress" }, "request done");
    const [record] = destination.records();
    expect(record?.["msg"]).toBe("request done");
    expect(record?.["route"]).toBe("/v1/compress");
    expect(record?.["level"]).toBe(30);
    expect(record?.["name"]).toBe("api");
  });

  it("redacts secrets at any depth in the fields", () => {
    const destination = createMemoryDestination();
    const logger = createLogger({ destination });
    logger.info(
      { req: { headers: { authorization: "Bearer abc" } }, user: "a@b.io" },
      "request received",
    );
    const [record] = destination.records();
    expect(record?.["req"]).toEqual({
      headers: { authorization: "[REDACTED]" },
    });
    expect(record?.["user"]).toBe("[REDACTED]");
  });

  it("never throws when a field getter throws", () => {
    const destination = createMemoryDestination();
    const logger = createLogger({ destination });
    const fields = {
      get boom(): never {
        throw new Error("getter failed");
      },
    };
    expect(() => logger.info(fields, "with getter")).not.toThrow();
    const [record] = destination.records();
    expect(record?.["boom"]).toBe("[Throws]");
    expect(record?.["msg"]).toBe("with getter");
  });

  it("writes errors under err with secrets scrubbed", () => {
    const destination = createMemoryDestination();
    const logger = createLogger({ destination });
    const error = new Error("upstream rejected key rfcc_live_abcdefgh1234_x");
    logger.error({ err: error }, "compression failed");
    const err = destination.records()[0]?.["err"] as Record<string, unknown>;
    expect(err["message"]).toBe("upstream rejected key [REDACTED]");
    expect(err["type"]).toBe("Error");
    expect(typeof err["stack"]).toBe("string");
  });

  it("scrubs secrets in the message text", () => {
    const destination = createMemoryDestination();
    const logger = createLogger({ destination });
    logger.warn({}, "mail sent to carol@example.com");
    expect(destination.records()[0]?.["msg"]).toBe("mail sent to [REDACTED]");
  });

  it("uses the configured keys and detector", () => {
    const destination = createMemoryDestination();
    const logger = createLogger({
      destination,
      redact: { keys: ["pin"], detector: (value) => value === "1234" },
    });
    logger.info({ pin: 1, password: "x", code: "1234" }, "checked");
    const [record] = destination.records();
    expect(record?.["pin"]).toBe("[REDACTED]");
    expect(record?.["password"]).toBe("x");
    expect(record?.["code"]).toBe("[REDACTED]");
  });

  it("writes nothing below the level", () => {
    const destination = createMemoryDestination();
    const logger = createLogger({ destination, level: "warn" });
    logger.info({}, "ignored");
    expect(destination.records()).toEqual([]);
  });
});

describe("childForRequest", () => {
  it("adds the request id to every line", () => {
    const destination = createMemoryDestination();
    const logger = childForRequest(createLogger({ destination }), "req-7", {
      tenant: "acme",
    });
    logger.info({}, "first");
    logger.info({}, "second");
    const records = destination.records();
    expect(records.map((record) => record["reqId"])).toEqual([
      "req-7",
      "req-7",
    ]);
    expect(records[0]?.["tenant"]).toBe("acme");
  });

  it("redacts secrets in child bindings", () => {
    const destination = createMemoryDestination();
    const logger = childForRequest(createLogger({ destination }), "req-8", {
      token: "t",
    });
    logger.info({}, "bound");
    expect(destination.records()[0]?.["token"]).toBe("[REDACTED]");
  });
});

describe("createLogger under hostile input", () => {
  it("redacts objects interpolated into the message", () => {
    const destination = createMemoryDestination();
    const logger = createLogger({ destination });
    logger.info("request %j", { password: "hunter2", user: "ann" });
    logger.info("request %o", { apiKey: "k-123" });
    const messages = destination.records().map((record) => record["msg"]);
    expect(messages[0]).toBe('request {"password":"[REDACTED]","user":"ann"}');
    expect(messages[1]).toContain("[REDACTED]");
    expect(JSON.stringify(messages)).not.toContain("hunter2");
    expect(JSON.stringify(messages)).not.toContain("k-123");
  });

  it("scrubs the message of an error logged alone", () => {
    const destination = createMemoryDestination();
    const logger = createLogger({ destination });
    logger.error(new Error("key rfcc_live_k3y9x8w7v6u5_z rejected"));
    const [record] = destination.records();
    expect(record?.["msg"]).toBe("key [REDACTED] rejected");
    expect(JSON.stringify(record)).not.toContain("k3y9x8w7v6u5");
  });

  it("never throws when the detector throws", () => {
    const destination = createMemoryDestination();
    const logger = createLogger({
      destination,
      redact: {
        detector: (value) => {
          if (value.includes("boom")) throw new Error("detector failed");
          return false;
        },
      },
    });
    expect(() => {
      logger.info({ kept: "fine", judged: "boom value" }, "fields");
    }).not.toThrow();
    expect(() => {
      logger.info("message with boom");
    }).not.toThrow();
    expect(() => {
      logger.info("argument %s", "boom");
    }).not.toThrow();
    const records = destination.records();
    expect(records[0]?.["kept"]).toBe("fine");
    expect(records[0]?.["judged"]).toBe("[REDACTED]");
    expect(records[1]?.["msg"]).toBe("message with [REDACTED]");
    expect(records[2]?.["msg"]).toBe("argument [REDACTED]");
  });
});
