import { generateKeyPairSync, randomBytes } from "node:crypto";

import { afterEach, describe, expect, it } from "vitest";

import { SecurityErrorCode } from "../errors.js";
import { GENESIS_HASH, hashEntry } from "./canonical.js";
import { openAuditLog, type AuditLog } from "./log.js";
import type { AuditLogOptions } from "./options.js";
import { auditTestBackends, type AuditTestTarget } from "./test-support.js";

const { privateKey } = generateKeyPairSync("ed25519");

describe.each(auditTestBackends())("audit log on $name", (backend) => {
  let target: AuditTestTarget | undefined;
  const logs: AuditLog[] = [];

  afterEach(async () => {
    for (const log of logs.splice(0)) {
      await log.close();
    }
    await target?.cleanup();
    target = undefined;
  });

  async function open(
    options: Partial<AuditLogOptions> = {},
  ): Promise<AuditLog> {
    target ??= await backend.open();
    const log = await openAuditLog({
      store: target.options,
      signingKey: privateKey,
      checkpointEvery: 5,
      ...options,
    });
    logs.push(log);
    return log;
  }

  it("appends a chain that verifies", async () => {
    const log = await open();
    const first = await log.append({
      actor: "user-1",
      action: "key.created",
      outcome: "success",
      target: "key-9",
      keyId: "key-1",
      tenant: "acme",
      requestId: "req-1",
      details: { scopes: ["read", "write"], expires: null },
    });
    for (let i = 1; i < 12; i += 1) {
      await log.append({ actor: "user-1", action: "read", outcome: "denied" });
    }

    expect(first.index).toBe(0);
    expect(first.prevHash).toBe(GENESIS_HASH);
    expect(first.hash).toBe(hashEntry(first));
    expect(first.details).toEqual({ scopes: ["read", "write"], expires: null });
    const records = await log.read();
    expect(records.map(({ entry }) => entry.index)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    ]);
    expect(records[0]?.entry).toEqual(first);
    expect(records[5]?.entry.prevHash).toBe(records[4]?.entry.hash);

    const result = await log.verify();
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.entries).toBe(12);
    expect(result.checkpoints).toBe(2);
  });

  it("signs a checkpoint on demand once per head", async () => {
    const log = await open({ checkpointEvery: 0 });
    await log.append({ actor: "a", action: "x", outcome: "success" });
    const last = await log.append({
      actor: "a",
      action: "y",
      outcome: "success",
    });

    const checkpoint = await log.checkpoint();
    expect(checkpoint).toMatchObject({ index: 1, count: 2, hash: last.hash });
    expect(await log.checkpoint()).toEqual(checkpoint);
    expect((await log.verify()).checkpoints).toBe(1);
  });

  it("chains 50 concurrent appends without duplicates", async () => {
    const log = await open();
    const entries = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        log.append({ actor: `user-${i}`, action: "login", outcome: "success" }),
      ),
    );

    const indexes = entries.map((entry) => entry.index).sort((a, b) => a - b);
    expect(indexes).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const result = await log.verify();
    expect(result.ok).toBe(true);
    expect(result.entries).toBe(50);
    expect(result.checkpoints).toBe(10);
  });

  // A SQLite connection waiting for another one's lock blocks the event
  // loop that the other needs to commit, so two writers in one process
  // stall. A JSON Lines file takes one writer. So this runs on PostgreSQL
  // only, and is not registered for the other backends.
  if (backend.name === "postgres") {
    it("keeps two writers on one chain", async () => {
      const first = await open();
      const second = await open();
      const appends = Array.from({ length: 50 }, (_, i) =>
        (i % 2 === 0 ? first : second).append({
          actor: `replica-${i % 2}`,
          action: "login",
          outcome: "success",
        }),
      );
      const entries = await Promise.all(appends);

      const indexes = new Set(entries.map((entry) => entry.index));
      expect(indexes.size).toBe(50);
      expect(Math.max(...indexes)).toBe(49);
      const result = await first.verify();
      expect(result.problems).toEqual([]);
      expect(result.entries).toBe(50);
      expect(result.checkpoints).toBe(10);
    });
  }

  it("continues the chain after a restart", async () => {
    const first = await open();
    await first.append({ actor: "a", action: "x", outcome: "success" });
    const last = await first.append({
      actor: "a",
      action: "y",
      outcome: "success",
    });
    await first.close();

    const second = await open();
    const next = await second.append({
      actor: "b",
      action: "z",
      outcome: "failure",
    });
    expect(next.index).toBe(2);
    expect(next.prevHash).toBe(last.hash);
    expect((await second.verify()).ok).toBe(true);
  });

  it("makes an erased subject's payload unreadable", async () => {
    const log = await open();
    const ana = await log.append({
      actor: "support",
      action: "profile.viewed",
      outcome: "success",
      subject: "subject-ana",
      personal: { email: "ana@example.com", name: "Ana Perez" },
    });
    await log.append({
      actor: "support",
      action: "profile.viewed",
      outcome: "success",
      subject: "subject-bo",
      personal: { email: "bo@example.com" },
    });
    expect(JSON.stringify(ana)).not.toContain("ana@example.com");
    expect(await log.decrypt(ana)).toEqual({
      email: "ana@example.com",
      name: "Ana Perez",
    });
    const stored = await log.store.subjectKeys.getKey("subject-ana");
    const rawKey = Buffer.from(stored?.key ?? "", "base64").toString("latin1");
    const storageBefore = await target?.tamper.keyStorageText();
    expect(storageBefore).toContain(stored?.key);
    await log.checkpoint();

    const tombstone = await log.eraseSubject("subject-ana", {
      reason: "erasure request 118",
    });

    expect(tombstone).toMatchObject({
      action: "subject.erased",
      actor: "system",
      subject: "subject-ana",
      details: { reason: "erasure request 118", keyDestroyed: true },
    });
    expect(tombstone.personal).toBeUndefined();
    await expect(log.decrypt(ana)).rejects.toMatchObject({
      code: SecurityErrorCode.SUBJECT_ERASED,
    });
    const records = await log.read();
    expect(records.map((record) => record.personalState)).toEqual([
      "erased",
      "decrypted",
      "none",
    ]);
    expect(records[1]?.personal).toEqual({ email: "bo@example.com" });

    const storageAfter = await target?.tamper.keyStorageText();
    expect(storageAfter).not.toContain(stored?.key);
    expect(storageAfter).not.toContain(rawKey);
    expect(await log.store.subjectKeys.getKey("subject-ana")).toBeUndefined();

    const result = await log.verify();
    expect(result.problems).toEqual([]);
    expect(result.checkpoints).toBe(1);
  });

  it("rejects new personal data about an erased subject", async () => {
    const log = await open();
    await log.eraseSubject("subject-cy", { reason: "request", actor: "dpo" });

    await expect(
      log.append({
        actor: "support",
        action: "note",
        outcome: "success",
        subject: "subject-cy",
        personal: { name: "Cy" },
      }),
    ).rejects.toMatchObject({ code: SecurityErrorCode.SUBJECT_ERASED });
    const plain = await log.append({
      actor: "support",
      action: "note",
      outcome: "success",
      subject: "subject-cy",
    });
    expect(plain.index).toBe(1);
  });

  it("wraps subject keys with the master key", async () => {
    const masterKey = randomBytes(32);
    const log = await open({ masterKey });
    const entry = await log.append({
      actor: "a",
      action: "x",
      outcome: "success",
      subject: "subject-di",
      personal: { phone: "+33 6 12 34 56 78" },
    });
    const stored = await log.store.subjectKeys.getKey("subject-di");
    expect(stored?.wrapped).toBe(true);
    expect(await log.decrypt(entry)).toEqual({ phone: "+33 6 12 34 56 78" });
    await log.close();

    const wrongKey = await open({ masterKey: randomBytes(32) });
    await expect(wrongKey.decrypt(entry)).rejects.toMatchObject({
      code: SecurityErrorCode.INVALID_OPTIONS,
    });
  });

  it("reads entries by subject, start and limit", async () => {
    const log = await open();
    for (let i = 0; i < 6; i += 1) {
      await log.append({
        actor: "a",
        action: "x",
        outcome: "success",
        subject: i % 2 === 0 ? "even" : "odd",
      });
    }

    const even = await log.read({ subject: "even" });
    expect(even.map(({ entry }) => entry.index)).toEqual([0, 2, 4]);
    const page = await log.read({ from: 2, limit: 3 });
    expect(page.map(({ entry }) => entry.index)).toEqual([2, 3, 4]);
  });
});
