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

  it("accepts a zod 4 schema", async () => {
    const config = await loadConfig({
      schema: z.object({ token: secret(z.string().default("t")) }),
      env: {},
    });
    expect(config.get("token")).toBe("t");
    await config.close();
  });
});
