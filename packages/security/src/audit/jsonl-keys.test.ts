import {
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { openJsonlAuditStore } from "./jsonl-store.js";
import { openAuditLog, type AuditLog } from "./log.js";

describe("JSON Lines subject key file", () => {
  let folder: string;
  let file: string;
  const logs: AuditLog[] = [];

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), "rf-security-audit-keys-"));
    file = join(folder, "audit.jsonl");
  });

  afterEach(async () => {
    for (const log of logs.splice(0)) {
      await log.close();
    }
    await rm(folder, { recursive: true, force: true });
  });

  async function openLog(path = file, keyFile?: string): Promise<AuditLog> {
    const log = await openAuditLog({
      store: { jsonl: path, fsync: false, ...(keyFile ? { keyFile } : {}) },
    });
    logs.push(log);
    return log;
  }

  async function filesContaining(text: string): Promise<string[]> {
    const names = await readdir(folder);
    const found: string[] = [];
    for (const name of names) {
      if ((await readFile(join(folder, name), "utf8")).includes(text)) {
        found.push(name);
      }
    }
    return found;
  }

  it("deletes leftover temporary key files on open", async () => {
    const planted = [
      "audit.keys.json.0123456789ab.tmp",
      "audit.keys.json.backup",
      "audit.keys.json.0123456789ab.tmp.old",
      "other.keys.json.0123456789ab.tmp",
    ];
    for (const name of planted) {
      await writeFile(join(folder, name), '{"version":1}');
    }

    const reader = await openJsonlAuditStore(
      { jsonl: file },
      { readOnly: true },
    );
    await reader.close();
    expect((await readdir(folder)).sort()).toEqual([...planted].sort());

    await openLog();
    expect((await readdir(folder)).sort()).toEqual(
      planted.filter((name) => name !== planted[0]).sort(),
    );
  });

  it("deletes leftover temporary key files on erasure", async () => {
    const log = await openLog();
    await log.append({
      actor: "support",
      action: "profile.viewed",
      outcome: "success",
      subject: "subject-ana",
      personal: { email: "ana@example.com" },
    });
    const key = (await log.store.subjectKeys.getKey("subject-ana"))?.key ?? "";
    const keyFileText = await readFile(join(folder, "audit.keys.json"), "utf8");
    await writeFile(
      join(folder, "audit.keys.json.00ff00ff00ff.tmp"),
      keyFileText,
    );
    expect(await filesContaining(key)).toHaveLength(2);

    await log.eraseSubject("subject-ana", { reason: "erasure request 7" });

    expect(key).not.toBe("");
    expect(await filesContaining(key)).toEqual([]);
  });

  it("shares one key cache between stores of one key file", async () => {
    const keyFile = join(folder, "shared.keys.json");
    const first = await openLog(join(folder, "first.jsonl"), keyFile);
    const second = await openLog(join(folder, "second.jsonl"), keyFile);
    for (const [log, subject] of [
      [first, "subject-a"],
      [second, "subject-b"],
      [first, "subject-c"],
    ] as const) {
      await log.append({
        actor: "u",
        action: "x",
        outcome: "success",
        subject,
        personal: { name: subject },
      });
    }

    const stored = JSON.parse(await readFile(keyFile, "utf8")) as {
      keys: Record<string, unknown>;
    };
    expect(Object.keys(stored.keys).sort()).toEqual([
      "subject-a",
      "subject-b",
      "subject-c",
    ]);
  });

  it("shows an erasure to a reader opened through a symlink", async () => {
    const writer = await openLog();
    await writer.append({
      actor: "u",
      action: "x",
      outcome: "success",
      subject: "subject-bo",
      personal: { email: "bo@example.com" },
    });
    await symlink(folder, `${folder}-link`);
    try {
      const reader = await openJsonlAuditStore(
        { jsonl: join(`${folder}-link`, "audit.jsonl") },
        { readOnly: true },
      );
      expect(await reader.subjectKeys.getKey("subject-bo")).toBeDefined();

      await writer.eraseSubject("subject-bo", { reason: "request" });

      expect(await reader.subjectKeys.getKey("subject-bo")).toBeUndefined();
      expect(await reader.subjectKeys.isErased("subject-bo")).toBe(true);
      await reader.close();
    } finally {
      await rm(`${folder}-link`);
    }
  });
});
