import { describe, expect, it } from "vitest";

import { SecurityErrorCode } from "../errors.js";
import type { SecurityError } from "../errors.js";
import { ApiKeyManager } from "./api-key-manager.js";
import { createMemoryApiKeyStore } from "./memory-store.js";
import type { ApiKeyManagerOptions } from "./options.js";
import { MAX_DATE_MS } from "./validation.js";

const PEPPER = "test pepper of more than thirty-two bytes, not secret";
const NOW = Date.UTC(2026, 0, 1);

function caught(action: () => unknown): SecurityError {
  try {
    action();
  } catch (error) {
    return error as SecurityError;
  }
  throw new Error("Expected the action to throw.");
}

async function rejected(promise: Promise<unknown>): Promise<SecurityError> {
  try {
    await promise;
  } catch (error) {
    return error as SecurityError;
  }
  throw new Error("Expected the promise to reject.");
}

function paths(error: SecurityError): string[] {
  return error.issues.map((issue) => issue.path);
}

function manager(): ApiKeyManager {
  return new ApiKeyManager({
    store: createMemoryApiKeyStore(),
    pepper: PEPPER,
    clock: () => NOW,
  });
}

describe("ApiKeyManager options", () => {
  it("lists every invalid option", () => {
    const options = {
      store: {},
      pepper: "short",
      previousPeppers: ["also short", 12],
      env: "Live_1",
      lastUsedIntervalMs: -1,
      clock: "now",
      logger: {},
    } as unknown as ApiKeyManagerOptions;
    const error = caught(() => new ApiKeyManager(options));

    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(paths(error).sort()).toEqual(
      [
        "logger",
        "store",
        "pepper",
        "previousPeppers[0]",
        "previousPeppers[1]",
        "env",
        "lastUsedIntervalMs",
        "clock",
      ].sort(),
    );
    expect(error.message).toMatch(/^8 invalid options: /u);
    const env = error.issues.find((issue) => issue.path === "env");
    expect(env?.value).toBe("Live_1");
    expect(env?.message).toContain('"live"');
  });

  it("rejects a short pepper without showing it", () => {
    const pepper = "a pepper of 31 bytes, too short";
    expect(Buffer.byteLength(pepper)).toBe(31);
    const error = caught(
      () => new ApiKeyManager({ store: createMemoryApiKeyStore(), pepper }),
    );

    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.message).toContain("31 bytes");
    expect(error.message).toContain("at least 32");
    expect(error.message).not.toContain(pepper);
    expect(JSON.stringify(error.issues)).not.toContain(pepper);
  });

  it("counts pepper bytes, not characters", () => {
    const pepper = "é".repeat(16);
    expect(pepper.length).toBe(16);
    expect(
      () => new ApiKeyManager({ store: createMemoryApiKeyStore(), pepper }),
    ).not.toThrow();
    expect(
      () =>
        new ApiKeyManager({
          store: createMemoryApiKeyStore(),
          pepper: new Uint8Array(31),
        }),
    ).toThrow(/31 bytes/u);
  });

  it("hides the value of an unknown option", () => {
    const error = caught(
      () =>
        new ApiKeyManager({
          store: createMemoryApiKeyStore(),
          pepper: PEPPER,
          peper: "secret value",
        } as unknown as ApiKeyManagerOptions),
    );
    expect(paths(error)).toEqual(["peper"]);
    expect(JSON.stringify(error.issues)).not.toContain("secret value");
  });

  it("rejects options that are not an object", () => {
    const error = caught(
      () => new ApiKeyManager(null as unknown as ApiKeyManagerOptions),
    );
    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
  });
});

describe("ApiKeyManager.create input", () => {
  it("lists every invalid value", async () => {
    const error = await rejected(
      manager().create({
        tenant: "",
        scopes: ["compress", "Admin", "comp*"],
        name: 5,
        expiresAt: NOW,
        env: "prod-1",
      } as never),
    );
    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(paths(error)).toEqual([
      "tenant",
      "scopes[1]",
      "scopes[2]",
      "name",
      "expiresAt",
      "env",
    ]);
    const scope = error.issues.find((issue) => issue.path === "scopes[2]");
    expect(scope?.value).toBe("comp*");
    const expiry = error.issues.find((issue) => issue.path === "expiresAt");
    expect(expiry?.message).toContain("in the future");
  });

  it("requires a list of scopes", async () => {
    const error = await rejected(manager().create({ tenant: "acme" } as never));
    expect(paths(error)).toEqual(["scopes"]);
    expect(error.issues[0]?.message).toContain("pass [] for none");
  });

  it("rejects an invalid expiry date", async () => {
    const error = await rejected(
      manager().create({
        tenant: "acme",
        scopes: [],
        expiresAt: new Date("not a date"),
      }),
    );
    expect(paths(error)).toEqual(["expiresAt"]);
    expect(error.message).toContain("expiresAt is an invalid Date");
    expect(error.message).not.toContain("null");
  });

  it("rejects an expiry beyond the Date range", async () => {
    const keys = manager();
    const created = await keys.create({ tenant: "acme", scopes: [] });
    const beyond = MAX_DATE_MS + 1;

    const onCreate = await rejected(
      keys.create({ tenant: "acme", scopes: [], expiresAt: beyond }),
    );
    const onRotate = await rejected(
      keys.rotate(created.record.id, { expiresAt: beyond }),
    );

    for (const error of [onCreate, onRotate]) {
      expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
      expect(paths(error)).toEqual(["expiresAt"]);
      expect(error.message).toContain(`at most ${MAX_DATE_MS}`);
    }
  });

  it("expires a key at the end of the Date range", async () => {
    const keys = manager();
    const created = await keys.create({
      tenant: "acme",
      scopes: [],
      expiresAt: MAX_DATE_MS,
    });

    const error = await rejected(
      keys.authenticate(created.key, { now: MAX_DATE_MS }),
    );

    expect(error.code).toBe(SecurityErrorCode.API_KEY_INVALID);
    expect(error.message).toContain("+275760-09-13");
  });

  it("removes duplicate scopes", async () => {
    const created = await manager().create({
      tenant: "acme",
      scopes: ["route", "route", "compress"],
      env: "test",
    });
    expect(created.record.scopes).toEqual(["route", "compress"]);
    expect(created.key.startsWith("rfcc_test_")).toBe(true);
  });
});

describe("ApiKeyManager.rotate options", () => {
  it("lists every invalid value", async () => {
    const keys = manager();
    const created = await keys.create({ tenant: "acme", scopes: [] });
    const error = await rejected(
      keys.rotate(created.record.id, {
        graceMs: 1.5,
        expiresAt: "tomorrow",
      } as never),
    );
    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(paths(error)).toEqual(["graceMs", "expiresAt"]);
  });

  it("keeps or replaces the expiry", async () => {
    const keys = manager();
    const created = await keys.create({
      tenant: "acme",
      scopes: [],
      expiresAt: NOW + 1000,
    });
    const kept = await keys.rotate(created.record.id);
    expect(kept.record.expiresAt).toBe(NOW + 1000);
    const cleared = await keys.rotate(kept.record.id, { expiresAt: null });
    expect(cleared.record.expiresAt).toBeNull();
  });

  it("rejects a grace period past the Date range", async () => {
    const keys = manager();
    const created = await keys.create({ tenant: "acme", scopes: [] });

    const error = await rejected(
      keys.rotate(created.record.id, { graceMs: MAX_DATE_MS - NOW + 1 }),
    );
    const rotated = await keys.rotate(created.record.id, {
      graceMs: MAX_DATE_MS - NOW,
    });

    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(paths(error)).toEqual(["graceMs"]);
    expect(rotated.previous.graceUntil).toBe(MAX_DATE_MS);
  });

  it("rejects an invalid authentication time", async () => {
    const keys = manager();
    const created = await keys.create({ tenant: "acme", scopes: [] });
    const error = await rejected(keys.authenticate(created.key, { now: -5 }));
    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(paths(error)).toEqual(["now"]);
  });
});
