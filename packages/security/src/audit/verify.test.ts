import { existsSync } from "node:fs";
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { SecurityErrorCode, type SecurityError } from "../errors.js";
import { openAuditLog, type AuditLog } from "./log.js";
import { auditTestBackends, type AuditTestTarget } from "./test-support.js";
import { verifyAuditLog } from "./verify.js";

const { privateKey, publicKey } = generateKeyPairSync("ed25519");

async function verifyError(
  ...args: Parameters<typeof verifyAuditLog>
): Promise<SecurityError> {
  return verifyAuditLog(...args).then(
    () => {
      throw new Error("verifyAuditLog accepted invalid arguments.");
    },
    (error: unknown) => error as SecurityError,
  );
}

describe.each(auditTestBackends())(
  "verifyAuditLog with store options on $name",
  (backend) => {
    let target: AuditTestTarget | undefined;
    let log: AuditLog | undefined;

    afterEach(async () => {
      await log?.close();
      log = undefined;
      await target?.cleanup();
      target = undefined;
    });

    it("verifies a log given its store options", async () => {
      target = await backend.open();
      log = await openAuditLog({
        store: target.options,
        signingKey: privateKey,
        checkpointEvery: 2,
      });
      for (const action of ["a", "b", "c"]) {
        await log.append({ actor: "u", action, outcome: "success" });
      }

      const first = await verifyAuditLog(target.options, { publicKey });
      await log.append({ actor: "u", action: "d", outcome: "success" });
      const second = await verifyAuditLog(target.options, { publicKey });

      expect(first).toEqual({
        ok: true,
        entries: 3,
        checkpoints: 1,
        problems: [],
      });
      expect(second.ok).toBe(true);
      expect(second.entries).toBe(4);
      expect(second.checkpoints).toBe(2);
    });

    it("finds tampering through the store options", async () => {
      target = await backend.open();
      log = await openAuditLog({
        store: target.options,
        signingKey: privateKey,
        checkpointEvery: 2,
      });
      for (const action of ["a", "b", "c"]) {
        await log.append({ actor: "u", action, outcome: "success" });
      }
      await target.tamper.editEntry(1, (entry) => {
        entry.actor = "mallory";
      });

      const result = await verifyAuditLog(target.options, { publicKey });

      expect(result.ok).toBe(false);
      expect(result.problems[0]).toMatchObject({ index: 1 });
    });
  },
);

describe("verifyAuditLog arguments", () => {
  let folder: string | undefined;

  afterEach(async () => {
    if (folder !== undefined) {
      await rm(folder, { recursive: true, force: true });
    }
    folder = undefined;
  });

  it("rejects a store that is neither a store nor store options", async () => {
    const cases: [unknown, string][] = [
      ["audit.jsonl", '(received "audit.jsonl")'],
      [undefined, "store is missing"],
      [{ file: "audit.jsonl" }, "names no backend"],
      [{ jsonl: "a.jsonl", sqlite: "a.db" }, "names 2 backends"],
      [{ sqlite: 5 }, "store.sqlite must be the path of a SQLite file"],
      [{ sqlite: "a.db", fsync: false }, 'Unknown option "fsync" in store'],
    ];

    for (const [store, message] of cases) {
      const error = await verifyError(store as never, { publicKey });

      expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
      expect(error.message).toMatch(/^1 invalid option: /u);
      expect(error.message).toContain(message);
    }
  });

  it("rejects unknown verification options", async () => {
    const error = await verifyError({ jsonl: "a.jsonl" }, {
      publicKey,
      anchor: [],
    } as never);

    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.issues.map((issue) => issue.path)).toEqual(["anchor"]);
    expect(error.message).toContain(
      'Unknown option "anchor". Valid options are publicKey, anchors.',
    );
  });

  it("leaves a missing SQLite file uncreated", async () => {
    folder = await mkdtemp(join(tmpdir(), "rf-security-verify-"));
    const file = join(folder, "missing.db");

    const error = await verifyError({ sqlite: file }, { publicKey });

    expect(error.code).toBe(SecurityErrorCode.STORE_FAILED);
    expect(error.message).toContain("open the audit store to verify it");
    expect(existsSync(file)).toBe(false);
  });

  it("names a single checkpoint in the singular", async () => {
    folder = await mkdtemp(join(tmpdir(), "rf-security-verify-"));
    const store = { jsonl: join(folder, "audit.jsonl") };
    const log = await openAuditLog({ store, signingKey: privateKey });
    await log.append({ actor: "u", action: "a", outcome: "success" });
    await log.checkpoint();
    await log.close();

    const error = await verifyError(store);

    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.message).toMatch(
      /^The log has 1 checkpoint, so publicKey is required\. /u,
    );
  });
});
