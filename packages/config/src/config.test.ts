import { writeFile } from "node:fs/promises";
import { join } from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";

import { loadConfig } from "./config.js";
import { isConfigError } from "./errors.js";
import type { ConfigError } from "./errors.js";
import type { ConfigWarning } from "./sources.js";
import { makeTempFolder } from "./test-support.js";

const schema = z.object({
  server: z.object({
    host: z.string(),
    port: z.number().int().min(1).max(65_535),
    maxConnections: z.number().int().default(100),
  }),
  features: z.array(z.string()).default([]),
  limits: z.record(z.string(), z.number()).default({}),
  debug: z.boolean().default(false),
  proxy: z.string().nullable().default("http://proxy.local"),
  labels: z.object({ team: z.string(), tier: z.string() }).optional(),
});

let folder = "";
let remove: () => Promise<void> = () => Promise.resolve();

beforeEach(async () => {
  ({ folder, remove } = await makeTempFolder());
});

afterEach(async () => {
  await remove();
});

async function rejection(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (error) {
    if (isConfigError(error)) {
      return error;
    }
    throw error;
  }
  throw new Error("expected a ConfigError, but the promise resolved");
}

describe("loadConfig layering", () => {
  it("applies sources from defaults up to overrides", async () => {
    const file = join(folder, "config.yaml");
    await writeFile(
      file,
      "server:\n  host: file.local\n  port: 1000\nlabels:\n  team: search\n  tier: b\n",
    );
    await writeFile(
      join(folder, "config.production.yaml"),
      "server:\n  port: 2000\nlabels:\n  tier: a\n",
    );
    const config = await loadConfig({
      schema,
      defaults: { server: { host: "default.local", port: 1 } },
      file,
      environment: "production",
      env: { RF_SERVER__PORT: "8080", RF_DEBUG: "true", OTHER: "x" },
      overrides: { features: ["fast-path"] },
    });

    expect(config.value.server).toEqual({
      host: "file.local",
      port: 8080,
      maxConnections: 100,
    });
    expect(config.value.labels).toEqual({ team: "search", tier: "a" });
    expect(config.value.debug).toBe(true);
    expect(config.value.features).toEqual(["fast-path"]);
    expect(config.sourceOf("server.port")).toEqual({
      kind: "env",
      name: "RF_SERVER__PORT",
    });
    expect(config.sourceOf("server.host")).toEqual({
      kind: "file",
      name: file,
    });
    expect(config.sourceOf("labels.tier")).toEqual({
      kind: "environment-file",
      name: join(folder, "config.production.yaml"),
    });
    expect(config.sourceOf("features")).toEqual({ kind: "override" });
    expect(config.sourceOf("features.0")).toEqual({ kind: "override" });
    expect(config.sourceOf("server.maxConnections")).toEqual({
      kind: "schema",
    });
    expect(config.sourceOf("missing.path")).toBeUndefined();
    expect(config.files).toEqual([
      file,
      join(folder, "config.production.yaml"),
    ]);
  });

  it("reads JSON files and NODE_ENV environment files", async () => {
    const file = join(folder, "config.json");
    await writeFile(file, JSON.stringify({ server: { host: "a", port: 5 } }));
    await writeFile(
      join(folder, "config.staging.json"),
      JSON.stringify({ server: { port: 6 } }),
    );
    const config = await loadConfig({
      schema,
      file,
      env: { NODE_ENV: "staging" },
    });

    expect(config.value.server.port).toBe(6);
    expect(config.sourceOf("server.port")?.kind).toBe("environment-file");
  });

  it("skips a missing environment file", async () => {
    const file = join(folder, "config.yaml");
    await writeFile(file, "server: { host: a, port: 5 }\n");
    const config = await loadConfig({
      schema,
      file,
      environment: "qa-eu",
      env: {},
    });

    expect(config.value.server.port).toBe(5);
  });

  it("keeps the defaults object of the caller unchanged", async () => {
    const defaults = { server: { host: "h", port: 1 } };
    const config = await loadConfig({ schema, defaults, env: {} });
    config.set("server.port", 2);

    expect(defaults.server.port).toBe(1);
    expect(Object.isFrozen(config.value.server)).toBe(true);
  });
});

describe("loadConfig environment variables", () => {
  const defaults = { server: { host: "h", port: 1 } };

  it("coerces values to the schema's types", async () => {
    const config = await loadConfig({
      schema,
      defaults,
      env: {
        RF_SERVER__MAX_CONNECTIONS: "250",
        RF_FEATURES: '["a","b"]',
        RF_LIMITS: '{"tokens":5}',
        RF_LIMITS__REQUESTS: "7",
        RF_DEBUG: "0",
      },
    });

    expect(config.value.server.maxConnections).toBe(250);
    expect(config.value.features).toEqual(["a", "b"]);
    expect(config.value.limits).toEqual({ tokens: 5, requests: 7 });
    expect(config.value.debug).toBe(false);
    expect(config.sourceOf("limits.tokens")).toEqual({
      kind: "env",
      name: "RF_LIMITS",
    });
    expect(config.sourceOf("limits.requests")).toEqual({
      kind: "env",
      name: "RF_LIMITS__REQUESTS",
    });
  });

  it("uses a custom prefix", async () => {
    const config = await loadConfig({
      schema,
      defaults,
      envPrefix: "APP_",
      env: { APP_SERVER__PORT: "9", RF_SERVER__PORT: "10" },
    });

    expect(config.value.server.port).toBe(9);
  });

  it("ignores an empty variable with a warning", async () => {
    const warnings: ConfigWarning[] = [];
    const config = await loadConfig({
      schema,
      defaults,
      env: { RF_SERVER__PORT: "" },
      onWarning: (warning) => warnings.push(warning),
    });

    expect(config.value.server.port).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.code).toBe("EMPTY_ENV_VAR");
    expect(warnings[0]?.name).toBe("RF_SERVER__PORT");
    expect(warnings[0]?.message).toContain("RF_SERVER__PORT");
    expect(config.warnings).toEqual(warnings);
  });

  it("warns about a variable that matches no field", async () => {
    const config = await loadConfig({
      schema,
      defaults,
      env: { RF_SERVER__PROT: "1" },
    });

    expect(config.warnings.map((warning) => warning.code)).toEqual([
      "UNKNOWN_ENV_VAR",
    ]);
  });

  it("reports a warning once across overrides", async () => {
    const warnings: string[] = [];
    const config = await loadConfig({
      schema,
      defaults,
      env: { RF_SERVER__PROT: "1" },
      onWarning: (warning) => warnings.push(warning.name),
    });
    config.set("server.port", 9000);
    config.unset("server.port");

    expect(warnings).toEqual(["RF_SERVER__PROT"]);
    expect(config.warnings).toHaveLength(1);
  });

  it("reports a warning again after a fix", async () => {
    const env: Record<string, string> = { RF_SERVER__PORT: "" };
    const warnings: string[] = [];
    const config = await loadConfig({
      schema,
      defaults,
      env,
      onWarning: (warning) => warnings.push(warning.name),
    });
    await config.reload();
    env.RF_SERVER__PORT = "9000";
    await config.reload();
    expect(config.warnings).toEqual([]);
    env.RF_SERVER__PORT = "";
    await config.reload();

    expect(warnings).toEqual(["RF_SERVER__PORT", "RF_SERVER__PORT"]);
    await config.close();
  });

  it("unsets a nullable value with the literal null", async () => {
    const config = await loadConfig({
      schema,
      defaults,
      env: { RF_PROXY: "null" },
    });

    expect(config.value.proxy).toBeNull();
    expect(config.sourceOf("proxy")).toEqual({ kind: "env", name: "RF_PROXY" });
  });

  it("keeps null as text where the schema takes no null", async () => {
    const config = await loadConfig({
      schema,
      defaults,
      env: { RF_SERVER__HOST: "null" },
    });

    expect(config.value.server.host).toBe("null");
  });
});

describe("loadConfig validation", () => {
  it("reports every issue with path, value and source", async () => {
    const file = join(folder, "config.yaml");
    await writeFile(file, "server:\n  host: 42\n  port: 70000\n");
    const error = await rejection(
      loadConfig({
        schema,
        file,
        env: { RF_DEBUG: "maybe", RF_FEATURES: "[oops" },
      }),
    );

    expect(error.code).toBe("INVALID_CONFIG");
    const byPath = new Map(error.issues.map((issue) => [issue.path, issue]));
    expect([...byPath.keys()].sort()).toEqual([
      "debug",
      "features",
      "server.host",
      "server.port",
    ]);
    expect(byPath.get("server.port")?.value).toBe(70_000);
    expect(byPath.get("server.port")?.source).toBe(`file ${file}`);
    expect(byPath.get("server.host")?.message).toMatch(/expected string/);
    expect(byPath.get("debug")?.source).toBe("env RF_DEBUG");
    expect(byPath.get("debug")?.message).toMatch(/boolean/);
    expect(byPath.get("features")?.message).toMatch(/JSON/);
    expect(error.message).toContain("server.port (from file");
  });

  it("rejects a missing base file", async () => {
    const error = await rejection(
      loadConfig({ schema, file: join(folder, "absent.yaml"), env: {} }),
    );

    expect(error.code).toBe("CONFIG_FILE_UNREADABLE");
    expect(error.message).toContain("ENOENT");
  });

  it("reads an empty file as no values", async () => {
    const defaults = { server: { host: "h", port: 1 } };
    for (const [name, text] of [
      ["empty.yaml", ""],
      ["blank.yaml", "  \n\n"],
      ["comments.yaml", "# server:\n#   port: 80\n"],
      ["marker.yaml", "---\n"],
      ["empty.json", ""],
    ] as const) {
      const file = join(folder, name);
      await writeFile(file, text);
      const config = await loadConfig({ schema, file, defaults, env: {} });

      expect(config.value.server, name).toEqual({
        host: "h",
        port: 1,
        maxConnections: 100,
      });
    }
  });

  it("reports missing values of an empty file", async () => {
    const file = join(folder, "config.yaml");
    await writeFile(file, "# nothing set yet\n");
    const error = await rejection(loadConfig({ schema, file, env: {} }));

    expect(error.code).toBe("INVALID_CONFIG");
    expect(error.issues.map((issue) => issue.path)).toEqual(["server"]);
  });

  it("rejects invalid options with every problem", async () => {
    const error = await rejection(
      loadConfig({
        schema,
        envPrefix: 7 as unknown as string,
        debounceMs: -1,
        environment: "../prod",
      }),
    );

    expect(error.code).toBe("INVALID_OPTIONS");
    expect(error.issues.map((issue) => issue.path).sort()).toEqual([
      "debounceMs",
      "envPrefix",
      "environment",
    ]);
  });

  it("redacts option values that may hold secrets", async () => {
    const error = await rejection(
      loadConfig({
        schema,
        env: { RF_TOKEN: 42 as unknown as string },
        overrides: "password=hunter2" as never,
      }),
    );

    expect(error.code).toBe("INVALID_OPTIONS");
    expect(error.issues.map((issue) => issue.value)).toEqual([
      "[redacted]",
      "[redacted]",
    ]);
    expect(error.message).not.toContain("hunter2");
  });
});

describe("Config overrides", () => {
  const defaults = { server: { host: "h", port: 1 } };

  it("applies and removes an override", async () => {
    const config = await loadConfig({ schema, defaults, env: {} });
    const changes: string[][] = [];
    config.subscribe((change) => changes.push([...change.changedPaths]));

    const change = config.set("server.port", 3);
    expect(change.previous.server.port).toBe(1);
    expect(change.current.server.port).toBe(3);
    expect(config.sourceOf("server.port")).toEqual({ kind: "override" });

    config.unset("server.port");
    expect(config.value.server.port).toBe(1);
    expect(config.sourceOf("server.port")).toEqual({ kind: "default" });
    expect(changes).toEqual([["server.port"], ["server.port"]]);
  });

  it("rejects an invalid override and keeps the config", async () => {
    const config = await loadConfig({ schema, defaults, env: {} });

    expect(() => config.set("server.port", "high")).toThrow(
      expect.objectContaining({ code: "INVALID_CONFIG" }),
    );
    expect(config.value.server.port).toBe(1);
    config.set("server.host", "x");
    expect(config.value.server.port).toBe(1);
  });
});
