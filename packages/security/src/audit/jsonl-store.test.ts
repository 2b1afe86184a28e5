import { createPublicKey, generateKeyPairSync } from "node:crypto";
import {
  appendFile,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  stat,
  symlink,
  truncate,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { SecurityErrorCode } from "../errors.js";
import { openJsonlAuditStore } from "./jsonl-store.js";
import { openAuditLog, type AuditLog } from "./log.js";
import { verifyAuditLog } from "./verify.js";

const { privateKey } = generateKeyPairSync("ed25519");

describe("JSON Lines audit store", () => {
  let folder: string;
  let file: string;
  let log: AuditLog | undefined;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), "rf-security-audit-jsonl-"));
    file = join(folder, "audit.jsonl");
  });

  afterEach(async () => {
    await log?.close();
    log = undefined;
    await rm(folder, { recursive: true, force: true });
  });

  async function openLog(): Promise<AuditLog> {
    log = await openAuditLog({
      store: { jsonl: file, fsync: false },
      signingKey: privateKey,
      checkpointEvery: 2,
    });
    return log;
  }

  async function appendThree(target: AuditLog): Promise<void> {
    for (const action of ["a", "b", "c"]) {
      await target.append({ actor: "u", action, outcome: "success" });
    }
  }

  it("writes one entry per line and checkpoints beside it", async () => {
    await appendThree(await openLog());

    const lines = (await readFile(file, "utf8")).trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[1] ?? "")).toMatchObject({ index: 1, action: "b" });
    const checkpoints = await readFile(
      join(folder, "audit.checkpoints.jsonl"),
      "utf8",
    );
    expect(JSON.parse(checkpoints)).toMatchObject({ index: 1, count: 2 });
  });

  it("reports a torn last line as truncated", async () => {
    await appendThree(await openLog());
    await appendFile(file, '{"index":3,"time":"2026-01-');

    const result = await log?.verify();
    expect(result?.ok).toBe(false);
    expect(result?.entries).toBe(4);
    expect(result?.problems[0]).toMatchObject({ index: 3, kind: "truncated" });
    expect(result?.problems[0]?.message).toContain("line 4");
  });

  it("rejects appends after a torn line until it is cut", async () => {
    await appendThree(await openLog());
    const size = (await stat(file)).size;
    await log?.close();
    await appendFile(file, '{"index":3,"ti');

    const reopened = await openLog();
    const error = await reopened
      .append({ actor: "u", action: "d", outcome: "success" })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: SecurityErrorCode.AUDIT_TAMPERED });
    expect(String(error)).toContain(`truncate -s ${size}`);

    await truncate(file, size);
    const next = await reopened.append({
      actor: "u",
      action: "d",
      outcome: "success",
    });
    expect(next.index).toBe(3);
    expect((await reopened.verify()).ok).toBe(true);
  });

  it("keeps a last entry that lacks only its line feed", async () => {
    await appendThree(await openLog());
    await log?.close();
    const text = await readFile(file, "utf8");
    await truncate(file, Buffer.byteLength(text) - 1);

    const reopened = await openLog();
    const next = await reopened.append({
      actor: "u",
      action: "d",
      outcome: "success",
    });
    expect(next.index).toBe(3);
    expect((await reopened.verify()).ok).toBe(true);
  });

  it("reports a line that is not JSON as modified", async () => {
    await appendThree(await openLog());
    const lines = (await readFile(file, "utf8")).split("\n");
    lines[1] = "not json";
    await writeFile(file, lines.join("\n"));

    const result = await log?.verify();
    expect(result?.problems[0]).toMatchObject({ index: 1, kind: "modified" });
    await expect(log?.read()).rejects.toMatchObject({
      code: SecurityErrorCode.AUDIT_TAMPERED,
    });
  });

  it("reports an added field as modified", async () => {
    await appendThree(await openLog());
    const lines = (await readFile(file, "utf8")).split("\n");
    const entry = JSON.parse(lines[2] ?? "") as Record<string, unknown>;
    lines[2] = JSON.stringify({ ...entry, approvedBy: "mallory" });
    await writeFile(file, lines.join("\n"));

    const result = await log?.verify();
    expect(result?.problems[0]).toMatchObject({ index: 2, kind: "modified" });
  });

  it("finds a cut of both files with an anchor", async () => {
    const opened = await openLog();
    await appendThree(opened);
    await opened.append({ actor: "u", action: "d", outcome: "success" });
    const anchor = await opened.checkpoint();
    expect(anchor.index).toBe(3);
    await opened.close();
    const entryLines = (await readFile(file, "utf8")).split("\n");
    await writeFile(file, `${entryLines.slice(0, 2).join("\n")}\n`);
    const checkpointFile = join(folder, "audit.checkpoints.jsonl");
    const checkpointLines = (await readFile(checkpointFile, "utf8")).split(
      "\n",
    );
    await writeFile(checkpointFile, `${checkpointLines[0] ?? ""}\n`);

    const reader = await openJsonlAuditStore(
      { jsonl: file },
      { readOnly: true },
    );
    const publicKey = createPublicKey(privateKey);
    const unanchored = await verifyAuditLog(reader, { publicKey });
    expect(unanchored.ok).toBe(true);
    const anchored = await verifyAuditLog(reader, {
      publicKey,
      anchors: [anchor],
    });
    expect(anchored.problems).toEqual([
      expect.objectContaining({ index: 2, kind: "truncated" }),
    ]);
    await reader.close();
  });

  it("retries a failed automatic checkpoint on the next append", async () => {
    const errors: unknown[] = [];
    const checkpointFolder = join(folder, "later");
    log = await openAuditLog({
      store: {
        jsonl: file,
        checkpointFile: join(checkpointFolder, "checkpoints.jsonl"),
      },
      signingKey: privateKey,
      checkpointEvery: 2,
      onCheckpointError: (error) => errors.push(error),
    });
    await log.append({ actor: "u", action: "a", outcome: "success" });
    const second = await log.append({
      actor: "u",
      action: "b",
      outcome: "success",
    });

    expect(second.index).toBe(1);
    expect(errors).toEqual([
      expect.objectContaining({ code: SecurityErrorCode.STORE_FAILED }),
    ]);
    await mkdir(checkpointFolder);
    await log.append({ actor: "u", action: "c", outcome: "success" });
    expect(errors).toHaveLength(1);
    const result = await log.verify();
    expect(result.ok).toBe(true);
    expect(result.checkpoints).toBe(1);
  });

  it("rejects a second writable store on one file", async () => {
    await openLog();

    await expect(openJsonlAuditStore({ jsonl: file })).rejects.toMatchObject({
      code: SecurityErrorCode.CONFLICT,
    });
    const reader = await openJsonlAuditStore(
      { jsonl: file },
      { readOnly: true },
    );
    await expect(
      reader.appendEntry(() => {
        throw new Error("not reached");
      }),
    ).rejects.toMatchObject({ code: SecurityErrorCode.INVALID_OPTIONS });
    await reader.close();
  });

  it("rejects a second writable store through a symlinked folder", async () => {
    await openLog();
    const link = `${folder}-link`;
    await symlink(folder, link);
    try {
      const error = await openJsonlAuditStore({
        jsonl: join(link, "audit.jsonl"),
      }).catch((caught: unknown) => caught);

      expect(error).toMatchObject({ code: SecurityErrorCode.CONFLICT });
      expect(String(error)).toContain(`real path ${file}`);
    } finally {
      await rm(link);
    }
  });

  it("reports a line with a duplicated key as modified", async () => {
    await appendThree(await openLog());
    const lines = (await readFile(file, "utf8")).split("\n");
    lines[1] = (lines[1] ?? "").replace(
      '"actor":"u"',
      '"actor":"mallory","actor":"u"',
    );
    await writeFile(file, lines.join("\n"));

    const result = await log?.verify();
    expect(result?.problems).toEqual([
      expect.objectContaining({ index: 1, kind: "modified" }),
    ]);
    expect(result?.problems[0]?.message).toContain("a key appears twice");
  });

  it("accepts CRLF line endings but not added spaces", async () => {
    await appendThree(await openLog());
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replaceAll("\n", "\r\n"));
    expect((await log?.verify())?.ok).toBe(true);

    const lines = text.split("\n");
    lines[2] = (lines[2] ?? "").replace('"actor":"u"', '"actor": "u"');
    await writeFile(file, lines.join("\n"));
    expect((await log?.verify())?.problems[0]).toMatchObject({
      index: 2,
      kind: "modified",
    });
  });

  it.each(["1e300", "3.5", "-1"])(
    "reports a checkpoint with index %s after the last entry",
    async (index) => {
      await appendThree(await openLog());
      const checkpointFile = join(folder, "audit.checkpoints.jsonl");
      const line = (await readFile(checkpointFile, "utf8")).trimEnd();
      await appendFile(
        checkpointFile,
        `${line.replace(/"index":\d+/u, `"index":${index}`)}\n`,
      );

      const result = await log?.verify();
      expect(result?.problems).toHaveLength(1);
      expect(result?.problems[0]).toMatchObject({
        index: 3,
        kind: "forged-checkpoint",
      });
      expect(result?.problems[0]?.message).toContain("no readable index");
    },
  );

  it("creates the subject key file readable by its owner only", async () => {
    const opened = await openLog();
    await opened.append({
      actor: "u",
      action: "a",
      outcome: "success",
      subject: "s-1",
      personal: { email: "s1@example.com" },
    });

    const mode = (await stat(join(folder, "audit.keys.json"))).mode & 0o777;
    expect(mode).toBe(0o600);
    const keyFile = await readFile(join(folder, "audit.keys.json"), "utf8");
    expect(keyFile).not.toContain("s1@example.com");
    expect(await readFile(file, "utf8")).not.toContain("s1@example.com");
  });
});
