import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { SecurityErrorCode, type SecurityError } from "../errors.js";
import { openAuditLog, type AuditLog } from "./log.js";
import type { AuditLogOptions } from "./options.js";
import type { AuditEntryInput } from "./types.js";
import { verifyAuditLog } from "./verify.js";

const ed25519 = generateKeyPairSync("ed25519");
const otherEd25519 = generateKeyPairSync("ed25519");
const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });

async function openError(options: unknown): Promise<SecurityError> {
  return openAuditLog(options as AuditLogOptions).then(
    () => {
      throw new Error("openAuditLog accepted invalid options.");
    },
    (error: unknown) => error as SecurityError,
  );
}

describe("openAuditLog options", () => {
  it("lists every invalid option in one error", async () => {
    const error = await openError({
      store: { jsonl: "", fsync: "yes" },
      signingKey: rsa.privateKey,
      publicKey: "not a key",
      checkpointEvery: -1,
      masterKey: new Uint8Array(16),
      now: "today",
    });

    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.issues.map((issue) => issue.path)).toEqual([
      "store.jsonl",
      "store.fsync",
      "signingKey",
      "publicKey",
      "checkpointEvery",
      "masterKey",
      "now",
    ]);
    expect(error.message).toContain("not an Ed25519 key");
    expect(error.message).toContain("got 16 bytes");
  });

  it("rejects unknown options and names the valid ones", async () => {
    const error = await openError({
      store: { jsonl: "audit.jsonl", fsnyc: false },
      signingkey: "a private key",
    });

    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.message).toMatch(/^2 invalid options: /u);
    expect(error.issues.map((issue) => issue.path)).toEqual([
      "signingkey",
      "store.fsnyc",
    ]);
    expect(error.issues[0]?.message).toBe(
      'Unknown option "signingkey". Valid options are store, signingKey, publicKey, checkpointEvery, masterKey, now, onCheckpointError.',
    );
    expect(error.issues[0]?.value).toBeUndefined();
    expect(error.issues[1]?.message).toBe(
      'Unknown option "fsnyc" in store. Valid options are jsonl, checkpointFile, keyFile, fsync.',
    );
  });

  it("checks the database of SQL store options", async () => {
    const sqlite = await openError({ store: { sqlite: "", fsync: true } });
    const postgres = await openError({ store: { postgres: 5432 } });
    const both = await openError({
      store: { sqlite: "a.db", postgres: "postgres://h/db" },
    });

    expect(sqlite.issues.map((issue) => issue.path)).toEqual([
      "store.fsync",
      "store.sqlite",
    ]);
    expect(sqlite.message).toContain("Valid options are sqlite.");
    expect(postgres.message).toContain(
      "store.postgres must be a PostgreSQL connection string or a pg Pool (received 5432).",
    );
    expect(both.message).toContain("names 2 backends (sqlite, postgres)");
  });

  it("rejects a missing store and a store without backend", async () => {
    expect((await openError(undefined)).code).toBe(
      SecurityErrorCode.INVALID_OPTIONS,
    );
    expect((await openError({})).issues[0]?.path).toBe("store");
    expect((await openError({ store: { mysql: "x" } })).message).toContain(
      "names no backend",
    );
  });

  it("rejects a public key that does not match the signing key", async () => {
    const error = await openError({
      store: { jsonl: "audit.jsonl" },
      signingKey: ed25519.privateKey,
      publicKey: otherEd25519.publicKey,
    });
    expect(error.issues).toEqual([
      expect.objectContaining({
        path: "publicKey",
        value: "a public KeyObject",
      }),
    ]);
  });

  it("rejects checkpoints without a signing key", async () => {
    const error = await openError({
      store: { jsonl: "audit.jsonl" },
      checkpointEvery: 10,
    });
    expect(error.issues[0]?.message).toContain(
      "checkpointEvery needs signingKey",
    );
  });

  it("keeps private key text out of issues", async () => {
    const pem = ed25519.privateKey
      .export({ type: "pkcs8", format: "pem" })
      .toString()
      .replace("PRIVATE KEY-----\n", "PRIVATE KEY-----\nAAAA");
    const error = await openError({
      store: { jsonl: "a.jsonl" },
      signingKey: pem,
    });
    expect(error.issues[0]?.path).toBe("signingKey");
    expect(JSON.stringify(error.issues)).not.toContain("AAAA");
  });
});

describe("audit log input checks", () => {
  let folder: string;
  let log: AuditLog;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), "rf-security-audit-options-"));
    log = await openAuditLog({ store: { jsonl: join(folder, "audit.jsonl") } });
  });

  afterEach(async () => {
    await log.close();
    await rm(folder, { recursive: true, force: true });
  });

  it("lists every invalid entry field", async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const error = (await log
      .append({
        actor: "",
        action: 7,
        outcome: "success",
        tenant: 3,
        details: cyclic,
        personal: { email: "a@example.com" },
      } as unknown as AuditEntryInput)
      .catch((caught: unknown) => caught)) as SecurityError;

    expect(error.code).toBe(SecurityErrorCode.INVALID_INPUT);
    expect(error.issues.map((issue) => issue.path)).toEqual([
      "actor",
      "action",
      "tenant",
      "details",
      "subject",
    ]);
    expect(JSON.stringify(error.issues)).not.toContain("a@example.com");
  });

  it("rejects personal data that is not an object", async () => {
    await expect(
      log.append({
        actor: "a",
        action: "b",
        outcome: "success",
        subject: "s",
        personal: "ana@example.com" as unknown as Record<string, string>,
      }),
    ).rejects.toMatchObject({ code: SecurityErrorCode.INVALID_INPUT });
  });

  it("rejects an erasure without a reason", async () => {
    await expect(log.eraseSubject("s", { reason: " " })).rejects.toMatchObject({
      code: SecurityErrorCode.INVALID_INPUT,
    });
  });

  it("rejects checkpoints without a signing key", async () => {
    await expect(log.checkpoint()).rejects.toMatchObject({
      code: SecurityErrorCode.INVALID_OPTIONS,
    });
  });

  it("rejects a checkpoint of an empty log", async () => {
    const signed = await openAuditLog({
      store: { jsonl: join(folder, "signed.jsonl") },
      signingKey: ed25519.privateKey,
    });
    await expect(signed.checkpoint()).rejects.toMatchObject({
      code: SecurityErrorCode.NOT_FOUND,
    });
    await signed.append({ actor: "a", action: "b", outcome: "success" });
    await signed.checkpoint();

    await expect(verifyAuditLog(signed.store)).rejects.toMatchObject({
      code: SecurityErrorCode.INVALID_OPTIONS,
    });
    const pem = ed25519.publicKey.export({ type: "spki", format: "pem" });
    expect(
      (await verifyAuditLog(signed.store, { publicKey: pem.toString() })).ok,
    ).toBe(true);
    await signed.close();
  });

  it("rejects invalid anchors with INVALID_OPTIONS", async () => {
    const signed = await openAuditLog({
      store: { jsonl: join(folder, "anchored.jsonl") },
      signingKey: ed25519.privateKey,
    });
    await signed.append({ actor: "a", action: "b", outcome: "success" });
    const anchor = await signed.checkpoint();
    const publicKey = ed25519.publicKey;
    const cases: [unknown, string[]][] = [
      [[null], ["anchors[0]"]],
      [[{}], ["anchors[0]"]],
      ["x", ["anchors"]],
      [
        [anchor, { index: 0 }, 7],
        ["anchors[1]", "anchors[2]"],
      ],
    ];

    for (const [anchors, paths] of cases) {
      const options = { publicKey, anchors } as unknown as Parameters<
        typeof verifyAuditLog
      >[1];
      const error = await verifyAuditLog(signed.store, options).catch(
        (caught: unknown) => caught as SecurityError,
      );
      expect(error).toMatchObject({ code: SecurityErrorCode.INVALID_OPTIONS });
      expect(
        (error as SecurityError).issues.map((issue) => issue.path),
      ).toEqual(paths);
    }
    const anchored = await verifyAuditLog(signed.store, {
      publicKey,
      anchors: [anchor],
    });
    expect(anchored.ok).toBe(true);
    await signed.close();
  });

  it("rejects appends after close", async () => {
    await log.close();
    await expect(
      log.append({ actor: "a", action: "b", outcome: "success" }),
    ).rejects.toMatchObject({ code: SecurityErrorCode.STORE_FAILED });
  });

  it("rejects an invalid read query", async () => {
    await expect(log.read({ from: -1, limit: 1.5 })).rejects.toMatchObject({
      code: SecurityErrorCode.INVALID_INPUT,
      issues: [
        expect.objectContaining({ path: "from" }),
        expect.objectContaining({ path: "limit" }),
      ],
    });
  });
});
