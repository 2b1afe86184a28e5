import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { openAuditLog } from "./log.js";

describe("SQLite subject keys", () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), "rf-security-audit-sql-keys-"));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function filesContaining(text: string): Promise<string[]> {
    const found: string[] = [];
    for (const name of await readdir(folder)) {
      if ((await readFile(join(folder, name), "latin1")).includes(text)) {
        found.push(name);
      }
    }
    return found;
  }

  it("empties the write-ahead log after a blocking reader ends", async () => {
    const path = join(folder, "audit.db");
    const database = new Database(path);
    database.pragma("journal_mode = WAL");
    // A short busy timeout, so the erasure's blocked checkpoint gives up fast.
    database.pragma("busy_timeout = 50");
    const log = await openAuditLog({ store: { sqlite: database } });
    const reader = new Database(path);
    try {
      reader.prepare("BEGIN").run();
      reader.prepare("SELECT count(*) FROM rf_audit_entries").get();
      await log.append({
        actor: "support",
        action: "profile.viewed",
        outcome: "success",
        subject: "subject-ana",
        personal: { email: "ana@example.com" },
      });
      const stored = await log.store.subjectKeys.getKey("subject-ana");
      const key = stored?.key ?? "";

      await log.eraseSubject("subject-ana", { reason: "erasure request 9" });
      expect(key).not.toBe("");
      expect(await filesContaining(key)).toEqual(["audit.db-wal"]);

      reader.prepare("COMMIT").run();
      await log.append({ actor: "u", action: "later", outcome: "success" });
      expect(await filesContaining(key)).toEqual([]);
      expect(database.pragma("busy_timeout", { simple: true })).toBe(50);
      expect((await log.verify()).ok).toBe(true);
    } finally {
      await log.close();
      reader.close();
      database.close();
    }
  });
});
