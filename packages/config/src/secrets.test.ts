import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { inspect } from "node:util";

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";

import type { ConfigChange } from "./change.js";
import { loadConfig } from "./config.js";
import type { ConfigError } from "./errors.js";
import { isSecretKeyName, secret, SecretMatcher } from "./secrets.js";
import type { ConfigWarning } from "./sources.js";
import { makeTempFolder, waitFor } from "./test-support.js";

const MARKED = "marked-hunter2";
const NAMED = "named-s3cr3t";
const LISTED = "listed-opaque";

const schema = z.object({
  database: z.object({
    url: secret(z.string().min(30)),
    password: z.string().min(30),
  }),
  upstream: z.object({ auth: z.string(), name: z.string() }),
  port: z.number(),
});

let folder = "";
let remove: () => Promise<void> = () => Promise.resolve();

beforeEach(async () => {
  ({ folder, remove } = await makeTempFolder());
});

afterEach(async () => {
  await remove();
});

function expectNoSecret(text: string): void {
  expect(text).not.toContain(MARKED);
  expect(text).not.toContain(NAMED);
  expect(text).not.toContain(LISTED);
}

describe("isSecretKeyName", () => {
  it("matches keys named like secrets", () => {
    for (const key of [
      "password",
      "apiKey",
      "api_key",
      "clientSecret",
      "AUTH_TOKEN",
      "private-key",
      "credentials",
    ]) {
      expect(isSecretKeyName(key), key).toBe(true);
    }
  });

  it("leaves ordinary keys alone", () => {
    for (const key of ["monkey", "keyspace", "host", "tokenizer", "port"]) {
      expect(isSecretKeyName(key), key).toBe(false);
    }
  });
});

describe("SecretMatcher", () => {
  it("redacts marked, listed and named paths", () => {
    const matcher = new SecretMatcher(schema, ["upstream.auth"]);
    const redacted = matcher.redact({
      database: { url: MARKED, password: NAMED },
      upstream: { auth: LISTED, name: "svc" },
      port: 1,
    });

    expect(redacted).toEqual({
      database: { url: "[redacted]", password: "[redacted]" },
      upstream: { auth: "[redacted]", name: "svc" },
      port: 1,
    });
  });

  it("finds fields marked inside optional wrappers and records", () => {
    const nested = z.object({
      tenants: z.record(
        z.string(),
        z.object({ dsn: secret(z.string()).optional() }),
      ),
    });
    const matcher = new SecretMatcher(nested, []);

    expect(matcher.isSecret("tenants.acme.dsn")).toBe(true);
    expect(matcher.isSecret("tenants.acme")).toBe(false);
  });
});

describe("Config secrets", () => {
  it("keeps secrets out of validation errors", async () => {
    const file = join(folder, "config.yaml");
    await writeFile(
      file,
      `database:\n  url: ${MARKED}\n  password: ${NAMED}\nupstream:\n  auth: ${LISTED}\n  name: 5\nport: x\n`,
    );
    let error: ConfigError | undefined;
    try {
      await loadConfig({
        schema,
        file,
        env: {},
        secretPaths: ["upstream.auth"],
      });
    } catch (caught) {
      error = caught as ConfigError;
    }

    expect(error?.code).toBe("INVALID_CONFIG");
    expect(error?.issues.length).toBe(4);
    expectNoSecret(String(error?.message));
    expectNoSecret(JSON.stringify(error?.issues));
    expectNoSecret(inspect(error, { depth: 10 }));
  });

  it("keeps env secrets out of coercion errors", async () => {
    const numeric = z.object({ pinToken: z.number() });
    const promise = loadConfig({
      schema: numeric,
      env: { RF_PIN_TOKEN: NAMED },
    });

    await expect(promise).rejects.toSatisfy((error: ConfigError) => {
      expectNoSecret(inspect(error, { depth: 10 }));
      return error.issues[0]?.value === "[redacted]";
    });
  });

  it("keeps secrets out of toJSON, inspect and change events", async () => {
    const valid = {
      database: {
        url: `${MARKED}-and-more-characters-here`,
        password: `${NAMED}-and-more-characters-here`,
      },
      upstream: { auth: LISTED, name: "svc" },
      port: 1,
    };
    const warnings: ConfigWarning[] = [];
    const changes: ConfigChange<unknown>[] = [];
    const config = await loadConfig({
      schema,
      defaults: valid,
      env: { RF_DATABASE__PASSWORD: "" },
      secretPaths: ["upstream.auth"],
      onWarning: (warning) => warnings.push(warning),
    });
    config.subscribe((change) => changes.push(change));
    config.set("database.password", `${NAMED}-rotated-to-a-new-long-value`);

    expect(config.value.database.url).toContain(MARKED);
    expectNoSecret(JSON.stringify(config));
    expectNoSecret(inspect(config, { depth: 10 }));
    expectNoSecret(JSON.stringify(warnings));
    expect(changes).toHaveLength(1);
    expect(changes[0]?.changedPaths).toEqual(["database.password"]);
    expectNoSecret(JSON.stringify(changes[0]));
    expectNoSecret(inspect(changes[0], { depth: 10 }));
  });

  it("keeps secrets out of file parse errors", async () => {
    const file = join(folder, "config.yaml");
    await writeFile(file, `database:\n  password: "${NAMED}\n  url: [\n`);
    const errors: ConfigError[] = [];
    const promise = loadConfig({ schema, file, env: {} });

    await expect(promise).rejects.toSatisfy((error: ConfigError) => {
      errors.push(error);
      return error.code === "CONFIG_FILE_UNREADABLE";
    });
    expectNoSecret(inspect(errors[0], { depth: 10 }));

    const json = join(folder, "config.json");
    await writeFile(json, `{"database": {"password": "${NAMED}" `);
    await expect(loadConfig({ schema, file: json, env: {} })).rejects.toSatisfy(
      (error: ConfigError) => {
        expectNoSecret(inspect(error, { depth: 10 }));
        return error.code === "CONFIG_FILE_UNREADABLE";
      },
    );
  });

  it("keeps secrets out of reload error events", async () => {
    const file = join(folder, "config.yaml");
    const longUrl = `${MARKED}-and-more-characters-here`;
    const longPassword = `${NAMED}-and-more-characters-here`;
    await writeFile(
      file,
      `database:\n  url: ${longUrl}\n  password: ${longPassword}\nupstream: { auth: a, name: b }\nport: 1\n`,
    );
    const config = await loadConfig({
      schema,
      file,
      env: {},
      watch: true,
      debounceMs: 20,
    });
    const errors: ConfigError[] = [];
    config.on("error", (error) => errors.push(error));
    try {
      await writeFile(
        file,
        `database:\n  url: ${MARKED}\n  password: ${NAMED}\nupstream: { auth: a, name: b }\nport: 1\n`,
      );
      await waitFor("a reload error", () => errors.length > 0);

      expect(errors[0]?.code).toBe("INVALID_CONFIG");
      expectNoSecret(inspect(errors[0], { depth: 10 }));
      expect(config.value.database.url).toBe(longUrl);
    } finally {
      await config.close();
    }
  });
});

describe("Config secrets below an issue path", () => {
  async function loadError(
    schemaWithIssue: z.ZodType,
    content: unknown,
  ): Promise<ConfigError> {
    const file = join(folder, "config.json");
    await writeFile(file, JSON.stringify(content));
    try {
      await loadConfig({ schema: schemaWithIssue, file, env: {} });
    } catch (caught) {
      return caught as ConfigError;
    }
    throw new Error("expected loadConfig to reject the config");
  }

  function expectRedactedError(error: ConfigError): void {
    expect(error.code).toBe("INVALID_CONFIG");
    expect(error.issues).toHaveLength(1);
    expectNoSecret(error.message);
    expectNoSecret(JSON.stringify(error.issues));
    expectNoSecret(JSON.stringify(error));
    expectNoSecret(inspect(error, { depth: 10 }));
  }

  it("redacts a parent refine issue", async () => {
    const refined = z.object({
      db: z
        .object({ url: secret(z.string()), port: z.number() })
        .refine((db) => db.port > 1000, "port must be above 1000"),
    });
    const error = await loadError(refined, { db: { url: MARKED, port: 5 } });

    expectRedactedError(error);
    expect(error.issues[0]?.path).toBe("db");
    expect(error.issues[0]?.value).toEqual({ url: "[redacted]", port: 5 });
  });

  it("redacts a strict object issue", async () => {
    const strict = z.object({
      db: z.strictObject({ url: secret(z.string()) }),
    });
    const error = await loadError(strict, { db: { url: MARKED, extra: 1 } });

    expectRedactedError(error);
    expect(error.issues[0]?.value).toEqual({ url: "[redacted]", extra: 1 });
  });

  it("redacts a root refine issue", async () => {
    const refined = z
      .object({
        db: z.object({ url: secret(z.string()), password: z.string() }),
        n: z.number(),
      })
      .refine((value) => value.n > 1, "n must be above 1");
    const error = await loadError(refined, {
      db: { url: MARKED, password: NAMED },
      n: 0,
    });

    expectRedactedError(error);
    expect(error.issues[0]?.path).toBe("");
    expect(error.issues[0]?.value).toEqual({
      db: { url: "[redacted]", password: "[redacted]" },
      n: 0,
    });
  });

  it("hides env text that is not valid JSON", async () => {
    const nested = z.object({
      db: z.object({ password: z.string(), port: z.number() }),
    });
    const promise = loadConfig({
      schema: nested,
      env: { RF_DB: `{"password":"${NAMED}",` },
    });

    await expect(promise).rejects.toSatisfy((error: ConfigError) => {
      expectNoSecret(error.message);
      expectNoSecret(JSON.stringify(error.issues));
      return error.issues[0]?.value === "[redacted]";
    });
  });
});

describe("isSecretKeyName word splitting", () => {
  it("matches plurals, digits and acronyms", () => {
    for (const key of [
      "apiKeys",
      "APIKeys",
      "passwords",
      "password2",
      "DBPassword",
      "OAuth2Token",
      "signing_keys",
    ]) {
      expect(isSecretKeyName(key), key).toBe(true);
    }
  });

  it("keeps ordinary words apart", () => {
    for (const key of ["keyspace", "monkeys", "tokenizer", "x509Cert"]) {
      expect(isSecretKeyName(key), key).toBe(false);
    }
  });
});
