import { generateKeyPairSync } from "node:crypto";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { hashEntry } from "./canonical.js";
import { openAuditLog, type AuditLog } from "./log.js";
import { signCheckpoint } from "./signing.js";
import { auditTestBackends, type AuditTestTarget } from "./test-support.js";
import type { AuditEntry, AuditProblem } from "./types.js";

const { privateKey } = generateKeyPairSync("ed25519");
const other = generateKeyPairSync("ed25519");

/** Entries 0 to 11, with checkpoints at indexes 4 and 9. */
const ENTRY_COUNT = 12;

describe.each(auditTestBackends())("tampering on $name", (backend) => {
  let target: AuditTestTarget;
  let log: AuditLog;
  let entries: AuditEntry[];

  beforeEach(async () => {
    target = await backend.open();
    log = await openAuditLog({
      store: target.options,
      signingKey: privateKey,
      checkpointEvery: 5,
    });
    entries = [];
    for (let i = 0; i < ENTRY_COUNT; i += 1) {
      entries.push(
        await log.append({
          actor: `user-${i}`,
          action: "document.read",
          outcome: "success",
          details: { document: i },
        }),
      );
    }
    expect((await log.verify()).ok).toBe(true);
  });

  afterEach(async () => {
    await log.close();
    await target.cleanup();
  });

  async function firstProblem(): Promise<AuditProblem | undefined> {
    const result = await log.verify();
    expect(result.ok).toBe(false);
    return result.problems[0];
  }

  it("reports an edited entry as modified", async () => {
    await target.tamper.editEntry(6, (entry) => {
      entry.actor = "mallory";
    });

    expect(await firstProblem()).toMatchObject({ index: 6, kind: "modified" });
  });

  it("reports edited details as modified", async () => {
    await target.tamper.editEntry(2, (entry) => {
      entry.details = { document: 99 };
    });

    expect(await firstProblem()).toMatchObject({ index: 2, kind: "modified" });
  });

  it("reports a rewritten and rehashed entry as modified", async () => {
    await target.tamper.editEntry(6, (entry) => {
      entry.outcome = "denied";
      entry.hash = hashEntry(entry as unknown as AuditEntry);
    });

    expect(await firstProblem()).toMatchObject({ index: 6, kind: "modified" });
  });

  it("reports a deleted entry as deleted", async () => {
    await target.tamper.deleteEntry(6);

    expect(await firstProblem()).toMatchObject({ index: 6, kind: "deleted" });
  });

  it("reports a deleted first entry as deleted", async () => {
    await target.tamper.deleteEntry(0);

    expect(await firstProblem()).toMatchObject({ index: 0, kind: "deleted" });
  });

  it("reports two swapped entries as reordered", async () => {
    await target.tamper.swapEntries(6, 7);

    expect(await firstProblem()).toMatchObject({ index: 6, kind: "reordered" });
  });

  it("reports distant swapped entries as reordered", async () => {
    await target.tamper.swapEntries(1, 7);

    expect(await firstProblem()).toMatchObject({ index: 1, kind: "reordered" });
  });

  it("reports a tail cut after a checkpoint as truncated", async () => {
    await target.tamper.truncateFrom(7);

    const result = await log.verify();
    expect(result.ok).toBe(false);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ index: 7, kind: "truncated" });
    expect(result.problems[0]?.message).toContain("index 9");
  });

  it("reports a cut and regrown log as truncated", async () => {
    await target.tamper.truncateFrom(7);
    await log.close();
    log = await openAuditLog({ store: target.options, signingKey: privateKey });
    for (let i = 7; i < ENTRY_COUNT; i += 1) {
      await log.append({ actor: "mallory", action: "x", outcome: "success" });
    }

    expect(await firstProblem()).toMatchObject({ index: 9, kind: "truncated" });
  });

  it("reports a later edit after an earlier edit", async () => {
    await target.tamper.editEntry(2, (entry) => {
      entry.actor = "mallory";
    });
    await target.tamper.editEntry(8, (entry) => {
      entry.outcome = "denied";
    });

    const result = await log.verify();
    expect(result.ok).toBe(false);
    expect(result.problems).toHaveLength(2);
    expect(result.problems[0]).toMatchObject({ index: 2, kind: "modified" });
    expect(result.problems[1]).toMatchObject({ index: 8, kind: "modified" });
  });

  it("reports a later edit after a deletion", async () => {
    await target.tamper.deleteEntry(3);
    await target.tamper.editEntry(10, (entry) => {
      entry.actor = "mallory";
    });

    const result = await log.verify();
    expect(result.problems).toHaveLength(2);
    expect(result.problems[0]).toMatchObject({ index: 3, kind: "deleted" });
    expect(result.problems[1]).toMatchObject({ index: 10, kind: "modified" });
  });

  it("reports details with a duplicated key as modified", async () => {
    await target.tamper.rewriteDetails(6, (text) =>
      text.replace('{"document":6}', '{"document":99,"document":6}'),
    );

    const problem = await firstProblem();
    expect(problem).toMatchObject({ index: 6, kind: "modified" });
    expect(problem?.message).toContain("a key appears twice");
  });

  it("reports details nested 20000 levels deep as modified", async () => {
    const depth = 20_000;
    await target.tamper.rewriteDetails(
      5,
      () => "[".repeat(depth) + "]".repeat(depth),
    );

    const result = await log.verify();
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ index: 5, kind: "modified" });
    expect(result.problems[0]?.message).toContain("levels deep");
  });

  it("reports an emptied log as truncated", async () => {
    await target.tamper.truncateFrom(0);

    const result = await log.verify();
    expect(result.entries).toBe(0);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ index: 0, kind: "truncated" });
    expect(result.problems[0]?.message).toContain("The log is empty");
  });

  it("reports a checkpoint signed with another key as forged", async () => {
    const forged = signCheckpoint(
      entries[9] as AuditEntry,
      other.privateKey,
      new Date().toISOString(),
    );
    await target.tamper.editCheckpoint(9, (checkpoint) => {
      Object.assign(checkpoint, forged);
    });

    const problem = await firstProblem();
    expect(problem).toMatchObject({ index: 9, kind: "forged-checkpoint" });
    expect(problem?.message).toContain(forged.keyId);
  });

  it("reports a checkpoint with a changed count as forged", async () => {
    await target.tamper.editCheckpoint(4, (checkpoint) => {
      checkpoint.count = 3;
    });

    expect(await firstProblem()).toMatchObject({
      index: 4,
      kind: "forged-checkpoint",
    });
  });

  it("reports a checkpoint moved to a later head as forged", async () => {
    await target.tamper.editCheckpoint(9, (checkpoint) => {
      checkpoint.hash = entries[11]?.hash;
    });

    expect(await firstProblem()).toMatchObject({
      index: 9,
      kind: "forged-checkpoint",
    });
  });
});
