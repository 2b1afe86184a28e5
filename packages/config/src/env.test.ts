import { describe, expect, it } from "vitest";
import { z } from "zod";

import { loadConfig } from "./config.js";
import { isConfigError } from "./errors.js";
import type { ConfigError } from "./errors.js";

async function rejection(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isConfigError(error)) {
    throw new Error("expected a ConfigError");
  }
  return error;
}

describe("environment variable coercion", () => {
  it("reads a union by the first accepted reading", async () => {
    const schema = z.object({
      flag: z.union([z.number(), z.boolean()]),
      limit: z.union([z.number(), z.literal("auto")]),
      name: z.union([z.number(), z.string()]),
    });
    const config = await loadConfig({
      schema,
      env: { RF_FLAG: "true", RF_LIMIT: "5", RF_NAME: "5" },
    });

    expect(config.value.flag).toBe(true);
    expect(config.value.limit).toBe(5);
    expect(config.value.name).toBe("5");
  });

  it("reaches fields of every union option", async () => {
    const schema = z.object({
      store: z.discriminatedUnion("kind", [
        z.object({ kind: z.literal("disk"), path: z.string() }),
        z.object({ kind: z.literal("s3"), bucket: z.string() }),
      ]),
    });
    const config = await loadConfig({
      schema,
      env: { RF_STORE__KIND: "disk", RF_STORE__PATH: "/data" },
    });

    expect(config.value.store).toEqual({ kind: "disk", path: "/data" });
    expect(config.warnings).toEqual([]);
  });

  it("reports one issue per unconvertible variable", async () => {
    const schema = z.object({ port: z.number(), debug: z.boolean() });
    const error = await rejection(
      loadConfig({ schema, env: { RF_PORT: "Infinity", RF_DEBUG: "y" } }),
    );

    expect(error.issues.map((issue) => issue.path)).toEqual(["debug", "port"]);
    expect(error.issues[1]?.value).toBe("Infinity");
    expect(error.issues[1]?.message).toMatch(/expected a number/);
  });

  it("rejects integers that lose precision", async () => {
    const schema = z.object({ id: z.number() });
    const error = await rejection(
      loadConfig({ schema, env: { RF_ID: "9007199254740993" } }),
    );

    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.message).toContain("9007199254740991");
  });

  it("explains null on a field without null", async () => {
    const schema = z.object({ port: z.number().optional() });
    const error = await rejection(
      loadConfig({ schema, env: { RF_PORT: "null" } }),
    );

    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.message).toContain("does not accept null");
  });

  it("prefers the key spelled exactly", async () => {
    const schema = z.object({
      port: z.number().default(1),
      PORT: z.string().default("x"),
    });
    const config = await loadConfig({ schema, env: { RF_PORT: "80" } });

    expect(config.value).toEqual({ port: 1, PORT: "80" });
  });

  it("rejects a variable that fits two keys", async () => {
    const schema = z.object({
      maxConn: z.number().default(1),
      max_conn: z.number().default(2),
    });
    const error = await rejection(
      loadConfig({ schema, env: { RF_MAX_CONN: "3" } }),
    );

    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.message).toContain("maxConn and max_conn");
    expect(error.issues[0]?.source).toBe("env RF_MAX_CONN");
  });

  it("reads unprefixed names with an empty prefix", async () => {
    const schema = z.object({ port: z.number(), home: z.string().optional() });
    const config = await loadConfig({
      schema,
      envPrefix: "",
      env: { PORT: "8080", PATH: "/usr/bin", HOME: "", LANG: "C" },
    });

    expect(config.value.port).toBe(8080);
    expect(config.warnings.map((warning) => warning.name)).toEqual(["HOME"]);
  });
});
