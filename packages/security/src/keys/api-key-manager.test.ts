import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { SecurityErrorCode } from "../errors.js";
import type { SecurityError } from "../errors.js";
import { sqlTestBackends } from "../storage/test-support.js";
import { ApiKeyManager } from "./api-key-manager.js";
import { formatApiKey, generateApiKey, parseApiKey } from "./format.js";
import { createMemoryApiKeyStore } from "./memory-store.js";
import type { ApiKeyManagerOptions } from "./options.js";
import { createSqlApiKeyStore } from "./sql-store.js";
import type { ApiKeyStore } from "./types.js";

const PEPPER = "test pepper of more than thirty-two bytes, not secret";
const OTHER_PEPPER = "another test pepper of more than thirty-two bytes";
const START = Date.UTC(2026, 0, 1, 12);
const MINUTE = 60_000;

/** A store under test, and how to open it again or remove it. */
interface OpenedStore {
  readonly store: ApiKeyStore;
  /** Opens a second store on the same database; absent for memory. */
  readonly reopen?: () => Promise<ApiKeyStore>;
  cleanup(): Promise<void>;
}

interface StoreBackend {
  readonly name: string;
  open(): Promise<OpenedStore>;
}

const backends: StoreBackend[] = [
  {
    name: "memory",
    open: () =>
      Promise.resolve({
        store: createMemoryApiKeyStore(),
        cleanup: () => Promise.resolve(),
      }),
  },
  ...sqlTestBackends().map((backend): StoreBackend => ({
    name: backend.name,
    async open() {
      const target = await backend.open();
      return {
        store: await createSqlApiKeyStore(target.options),
        reopen: () => createSqlApiKeyStore(target.options),
        cleanup: () => target.cleanup(),
      };
    },
  })),
];

/** Wraps a store and counts the calls of each method. */
function countCalls(store: ApiKeyStore): {
  store: ApiKeyStore;
  calls: Map<string, number>;
} {
  const calls = new Map<string, number>();
  const counted = new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function" || typeof property !== "string") {
        return value;
      }
      return (...args: unknown[]) => {
        calls.set(property, (calls.get(property) ?? 0) + 1);
        return (value as (...inner: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: counted, calls };
}

function totalCalls(calls: Map<string, number>): number {
  return [...calls.values()].reduce((sum, count) => sum + count, 0);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("Expected the promise to reject.");
}

describe.each(backends)("ApiKeyManager on $name", (backend) => {
  let opened: OpenedStore;
  let stores: ApiKeyStore[];
  let now: number;
  let calls: Map<string, number>;
  let manager: ApiKeyManager;

  function createManager(
    store: ApiKeyStore,
    options: Partial<ApiKeyManagerOptions> = {},
  ): ApiKeyManager {
    return new ApiKeyManager({
      store,
      pepper: PEPPER,
      clock: () => now,
      ...options,
    });
  }

  beforeEach(async () => {
    now = START;
    opened = await backend.open();
    stores = [opened.store];
    const counted = countCalls(opened.store);
    calls = counted.calls;
    manager = createManager(counted.store);
  });

  afterEach(async () => {
    for (const store of stores) {
      await store.close();
    }
    await opened.cleanup();
  });

  it("creates, authenticates and authorizes a key", async () => {
    const created = await manager.create({
      tenant: "acme",
      scopes: ["compress", "route:*"],
      name: "CI pipeline",
    });
    expect(parseApiKey(created.key).id).toBe(created.record.id);
    expect(created.record).toMatchObject({
      tenant: "acme",
      name: "CI pipeline",
      env: "live",
      scopes: ["compress", "route:*"],
      createdAt: START,
      expiresAt: null,
      revokedAt: null,
      lastUsedAt: null,
    });
    expect(created.record).not.toHaveProperty("hash");

    const record = await manager.authenticate(created.key);
    expect(record.id).toBe(created.record.id);
    expect(record.lastUsedAt).toBe(START);
    expect(() => {
      manager.authorize(record, "compress");
    }).not.toThrow();
    expect(() => {
      manager.authorize(record, "route:stream");
    }).not.toThrow();
    expect(() => {
      manager.authorize(record, "admin");
    }).toThrow(/lacks the scope "admin"/u);
  });

  it("stores only a keyed hash of the key", async () => {
    const created = await manager.create({ tenant: "acme", scopes: [] });
    const stored = await opened.store.get(created.record.id);
    expect(stored?.hash).toMatch(/^[0-9a-f]{64}$/u);
    expect(JSON.stringify(stored)).not.toContain(created.key.split("_")[2]);
  });

  it("rejects a mistyped key without a store call", async () => {
    const created = await manager.create({ tenant: "acme", scopes: ["*"] });
    const callsBefore = totalCalls(calls);
    const last = created.key.at(-1) === "0" ? "1" : "0";
    const typo = created.key.slice(0, -1) + last;

    const error = await rejection(manager.authenticate(typo));
    expect(error).toMatchObject({ code: SecurityErrorCode.API_KEY_INVALID });
    expect(String(error)).toContain("checksum");
    expect(totalCalls(calls)).toBe(callsBefore);
  });

  it("gives unknown and wrong keys one message", async () => {
    const created = await manager.create({ tenant: "acme", scopes: ["*"] });
    const unknown = generateApiKey("live").key;
    const random = created.key.split("_")[2] ?? "";
    const otherSecret = generateApiKey("live").key.split("_")[2] ?? "";
    const wrongSecret = formatApiKey(
      "live",
      random.slice(0, 16) + otherSecret.slice(16),
    );
    const otherPepper = createManager(opened.store, { pepper: OTHER_PEPPER });

    const errors = [
      await rejection(manager.authenticate(unknown)),
      await rejection(manager.authenticate(wrongSecret)),
      await rejection(otherPepper.authenticate(created.key)),
    ];
    for (const error of errors) {
      expect(error).toMatchObject({ code: SecurityErrorCode.API_KEY_INVALID });
    }
    const messages = errors.map((error) => (error as Error).message);
    expect(new Set(messages).size).toBe(1);
    expect(messages[0]).not.toContain(created.record.id);
  });

  it("accepts keys under a previous pepper", async () => {
    const old = createManager(opened.store, { pepper: OTHER_PEPPER });
    const created = await old.create({ tenant: "acme", scopes: [] });
    const rotated = createManager(opened.store, {
      previousPeppers: [OTHER_PEPPER],
    });
    const record = await rotated.authenticate(created.key);
    expect(record.id).toBe(created.record.id);
  });

  it("rejects an expired key at expiresAt exactly", async () => {
    const expiresAt = START + 10 * MINUTE;
    const created = await manager.create({
      tenant: "acme",
      scopes: ["compress"],
      expiresAt: new Date(expiresAt),
    });
    expect(created.record.expiresAt).toBe(expiresAt);
    await manager.authenticate(created.key, { now: expiresAt - 1 });

    const error = await rejection(
      manager.authenticate(created.key, { now: expiresAt }),
    );
    expect(error).toMatchObject({ code: SecurityErrorCode.API_KEY_INVALID });
    expect(String(error)).toContain("expired");
  });

  it("rejects a revoked key", async () => {
    const created = await manager.create({ tenant: "acme", scopes: ["*"] });
    now += MINUTE;
    const revoked = await manager.revoke(created.record.id);
    expect(revoked.revokedAt).toBe(now);

    const error = await rejection(manager.authenticate(created.key));
    expect(error).toMatchObject({ code: SecurityErrorCode.API_KEY_INVALID });
    expect(String(error)).toContain("revoked");

    now += MINUTE;
    const again = await manager.revoke(created.record.id);
    expect(again.revokedAt).toBe(revoked.revokedAt);
  });

  it("rotates a key with a grace period", async () => {
    const created = await manager.create({
      tenant: "acme",
      scopes: ["compress"],
      name: "worker",
    });
    now += MINUTE;
    const rotated = await manager.rotate(created.record.id, {
      graceMs: 10 * MINUTE,
    });
    const graceUntil = now + 10 * MINUTE;
    expect(rotated.key).not.toBe(created.key);
    expect(rotated.record).toMatchObject({
      tenant: "acme",
      name: "worker",
      scopes: ["compress"],
      rotatedFrom: created.record.id,
      createdAt: now,
    });
    expect(rotated.previous).toMatchObject({
      replacedBy: rotated.record.id,
      graceUntil,
    });

    const before = await manager.authenticate(created.key, {
      now: graceUntil - 1,
    });
    expect(before.id).toBe(created.record.id);
    const error = await rejection(
      manager.authenticate(created.key, { now: graceUntil }),
    );
    expect(error).toMatchObject({ code: SecurityErrorCode.API_KEY_INVALID });
    expect(String(error)).toContain(rotated.record.id);
    const fresh = await manager.authenticate(rotated.key, { now: graceUntil });
    expect(fresh.id).toBe(rotated.record.id);
  });

  it("rejects a second rotation of one key", async () => {
    const created = await manager.create({ tenant: "acme", scopes: [] });
    const results = await Promise.allSettled([
      manager.rotate(created.record.id, { graceMs: MINUTE }),
      manager.rotate(created.record.id, { graceMs: MINUTE }),
    ]);
    const fulfilled = results.filter((result) => result.status === "fulfilled");
    expect(fulfilled).toHaveLength(1);
    const rejected = results.find((result) => result.status === "rejected");
    expect(rejected?.reason).toMatchObject({
      code: SecurityErrorCode.CONFLICT,
    });
    const keys = await manager.list({ tenant: "acme" });
    expect(keys).toHaveLength(2);
  });

  it("rejects rotation of revoked and unknown keys", async () => {
    const created = await manager.create({ tenant: "acme", scopes: [] });
    await manager.revoke(created.record.id);
    await expect(manager.rotate(created.record.id)).rejects.toMatchObject({
      code: SecurityErrorCode.CONFLICT,
    });
    await expect(manager.rotate("0000000000000000")).rejects.toMatchObject({
      code: SecurityErrorCode.NOT_FOUND,
    });
    await expect(manager.revoke("0000000000000000")).rejects.toMatchObject({
      code: SecurityErrorCode.NOT_FOUND,
    });
  });

  it("rejects text that SQL stores would change", async () => {
    const invalid = [
      { input: { tenant: "acme\uD800", scopes: [] }, path: "tenant" },
      { input: { tenant: "\uDBFFacme", scopes: [] }, path: "tenant" },
      { input: { tenant: "acme", scopes: [], name: "ci\uDC00" }, path: "name" },
      { input: { tenant: "acme", scopes: [], name: "ci\u0000" }, path: "name" },
    ];
    for (const { input, path } of invalid) {
      const error = await rejection(manager.create(input));
      expect(error).toMatchObject({ code: SecurityErrorCode.INVALID_OPTIONS });
      expect(
        (error as SecurityError).issues.map((issue) => issue.path),
      ).toEqual([path]);
    }
    const listed = await rejection(manager.list({ tenant: "acme\uD800" }));
    expect(listed).toMatchObject({ code: SecurityErrorCode.INVALID_OPTIONS });

    for (const id of ["0000000000000000\uD800", "0000000000000000\u0000"]) {
      for (const call of [
        () => manager.get(id),
        () => manager.revoke(id),
        () => manager.rotate(id),
      ]) {
        const error = await rejection(call());
        expect(error).toMatchObject({ code: SecurityErrorCode.INVALID_INPUT });
        expect((error as SecurityError).issues[0]?.path).toBe("id");
      }
    }
    expect(calls.get("insert")).toBeUndefined();
    expect(calls.get("get")).toBeUndefined();
  });

  it("stores tenants and names with surrogate pairs unchanged", async () => {
    const created = await manager.create({
      tenant: "acme\u{1F600}",
      scopes: [],
      name: "caf\u00E9 \u{1F680}",
    });

    const record = await manager.authenticate(created.key);

    expect(record.tenant).toBe("acme\u{1F600}");
    expect(record.name).toBe("caf\u00E9 \u{1F680}");
    const listed = await manager.list({ tenant: "acme\u{1F600}" });
    expect(listed.map((key) => key.id)).toEqual([created.record.id]);
  });

  it("denies by default", async () => {
    const none = await manager.create({ tenant: "acme", scopes: [] });
    const record = await manager.authenticate(none.key);
    for (const scope of ["compress", "route", "admin", "compress:stream"]) {
      const error = (() => {
        try {
          manager.authorize(record, scope);
          return undefined;
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toMatchObject({
        code: SecurityErrorCode.PERMISSION_DENIED,
      });
      expect(String(error)).toContain(`"${scope}"`);
    }
  });

  it("matches compress:* by segment", async () => {
    const created = await manager.create({
      tenant: "acme",
      scopes: ["compress:*"],
    });
    const record = await manager.authenticate(created.key);
    expect(() => {
      manager.authorize(record, "compress:stream");
    }).not.toThrow();
    expect(() => {
      manager.authorize(record, "compressx");
    }).toThrow(expect.objectContaining({ code: "PERMISSION_DENIED" }));
    expect(() => {
      manager.authorize(record, "compress:*");
    }).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }));
  });

  it("lists only the tenant's keys", async () => {
    const first = await manager.create({ tenant: "acme", scopes: [] });
    now += 1;
    const second = await manager.create({ tenant: "acme", scopes: [] });
    await manager.create({ tenant: "globex", scopes: ["*"] });

    const acme = await manager.list({ tenant: "acme" });
    expect(acme.map((record) => record.id)).toEqual([
      first.record.id,
      second.record.id,
    ]);
    const globex = await manager.list({ tenant: "globex" });
    expect(globex).toHaveLength(1);
    expect(globex[0]?.tenant).toBe("globex");
    expect(await manager.list({ tenant: "initech" })).toEqual([]);
  });

  it("writes lastUsedAt at most once a minute", async () => {
    const created = await manager.create({ tenant: "acme", scopes: [] });
    const id = created.record.id;
    await manager.authenticate(created.key);
    expect(calls.get("touch")).toBe(1);

    now += 30_000;
    const early = await manager.authenticate(created.key);
    expect(early.lastUsedAt).toBe(START);
    expect(calls.get("touch")).toBe(1);
    expect((await manager.get(id)).lastUsedAt).toBe(START);

    now = START + MINUTE;
    const due = await manager.authenticate(created.key);
    expect(due.lastUsedAt).toBe(START + MINUTE);
    expect(calls.get("touch")).toBe(2);
    expect((await manager.get(id)).lastUsedAt).toBe(START + MINUTE);
  });

  it("writes lastUsedAt once for concurrent touches", async () => {
    const created = await manager.create({ tenant: "acme", scopes: [] });
    const writes = await Promise.all(
      Array.from({ length: 10 }, () =>
        opened.store.touch(created.record.id, START, MINUTE),
      ),
    );
    expect(writes.filter(Boolean)).toHaveLength(1);
    const stored = await opened.store.get(created.record.id);
    expect(stored?.lastUsedAt).toBe(START);
  });

  it.runIf(backend.name !== "memory")(
    "keeps keys across a second store",
    async () => {
      if (opened.reopen === undefined) {
        throw new Error("A SQL backend must open a second store.");
      }
      const created = await manager.create({
        tenant: "acme",
        scopes: ["compress"],
        expiresAt: START + 24 * 60 * MINUTE,
      });
      await opened.store.close();
      const second = await opened.reopen();
      stores.push(second);

      const restarted = createManager(second);
      const record = await restarted.authenticate(created.key);
      expect(record).toEqual({ ...created.record, lastUsedAt: START });
      expect(await restarted.list({ tenant: "acme" })).toHaveLength(1);
    },
  );

  it.runIf(backend.name !== "memory")(
    "reports a closed store as STORE_FAILED",
    async () => {
      await opened.store.close();
      await expect(manager.list({ tenant: "acme" })).rejects.toMatchObject({
        code: SecurityErrorCode.STORE_FAILED,
      });
    },
  );
});
