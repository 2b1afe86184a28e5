import { z } from "zod";
import * as zodMini from "zod/mini";
import { z as zod3 } from "zod/v3";
import { describe, expect, it } from "vitest";

import { isConfigError } from "./errors.js";
import { loadConfig } from "./config.js";
import { secret } from "./secrets.js";

async function loadError(schema: unknown): Promise<unknown> {
  return loadConfig({ schema: schema as z.ZodType, env: {} }).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("zod schema checks", () => {
  it("names zod 3 in the loader error", async () => {
    const error = await loadError(zod3.object({ port: zod3.number() }));
    expect(isConfigError(error)).toBe(true);
    expect(isConfigError(error) ? error.code : "").toBe("INVALID_OPTIONS");
    expect(error instanceof Error ? error.message : "").toContain(
      "received a zod 3 schema",
    );
  });

  it("names zod/mini in the loader error", async () => {
    const error = await loadError(zodMini.object({ port: zodMini.number() }));
    expect(error instanceof Error ? error.message : "").toContain("zod/mini");
  });

  it("rejects a zod 3 schema in secret()", () => {
    const mark = (): unknown => secret(zod3.string() as unknown as z.ZodString);
    expect(mark).toThrow(/received a zod 3 schema/u);
  });

  it("names a nested zod 3 field", async () => {
    const schemas = {
      port: z.object({ port: zod3.number() as never }),
      "servers.host": z.object({
        servers: z.object({ host: zod3.string() as never }),
      }),
      mode: z.object({
        mode: z.union([z.string(), zod3.number() as never]).optional(),
      }),
      tags: z.object({ tags: z.array(zod3.string() as never) }),
    };
    for (const [path, schema] of Object.entries(schemas)) {
      const error = await loadError(schema);
      expect(isConfigError(error) ? error.code : "", path).toBe(
        "INVALID_OPTIONS",
      );
      const message = error instanceof Error ? error.message : "";
      expect(message, path).toContain(`field \`${path}\``);
      expect(message, path).toContain("received a zod 3 schema");
    }
  });

  it("accepts a zod/mini field in a zod 4 schema", async () => {
    const config = await loadConfig({
      schema: z.object({ port: zodMini.number() as never }),
      env: { RF_PORT: "8080" },
    });
    expect(config.get("port")).toBe(8080);
    await config.close();
  });

  it("accepts a zod 4 schema", async () => {
    const config = await loadConfig({
      schema: z.object({ token: secret(z.string().default("t")) }),
      env: {},
    });
    expect(config.get("token")).toBe("t");
    await config.close();
  });
});
