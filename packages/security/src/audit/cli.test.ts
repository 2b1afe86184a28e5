import { generateKeyPairSync } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import Database from "better-sqlite3";
import type { Pool } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { TEST_POSTGRES_URL } from "../storage/test-support.js";
import { runAuditCli } from "./cli.js";
import { openAuditLog } from "./log.js";
import type { AuditStoreOptions } from "./store.js";
import { auditTestBackends } from "./test-support.js";

const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const other = generateKeyPairSync("ed25519");

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(argv: readonly string[]): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await runAuditCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

let folder: string;
let keyFile: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "rf-security-audit-cli-"));
  keyFile = join(folder, "public.pem");
  await writeFile(keyFile, publicKey.export({ type: "spki", format: "pem" }));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Returns the CLI arguments that name the log in `options`. */
async function sourceArguments(options: AuditStoreOptions): Promise<string[]> {
  if ("jsonl" in options) {
    return ["--jsonl", options.jsonl];
  }
  if ("sqlite" in options) {
    return ["--sqlite", options.sqlite as string];
  }
  const pool = options.postgres as Pool;
  const { rows } = await pool.query<{ schema: string }>(
    "SELECT current_schema() AS schema",
  );
  const url = new URL(TEST_POSTGRES_URL);
  url.searchParams.set("options", `-c search_path=${rows[0]?.schema ?? ""}`);
  return ["--postgres", url.toString()];
}

describe.each(auditTestBackends())("rfcc-audit verify on $name", (backend) => {
  it("exits 0 for a log that verifies, 1 once it is tampered", async () => {
    const target = await backend.open();
    try {
      const log = await openAuditLog({
        store: target.options,
        signingKey: privateKey,
        checkpointEvery: 3,
      });
      for (let i = 0; i < 6; i += 1) {
        await log.append({ actor: "u", action: `a${i}`, outcome: "success" });
      }
      await log.close();
      const source = await sourceArguments(target.options);

      const clean = await run(["verify", ...source, "--public-key", keyFile]);
      expect(clean.stderr).toBe("");
      expect(clean.code).toBe(0);
      expect(clean.stdout).toContain("Entries: 6");
      expect(clean.stdout).toContain("Checkpoints: 2");
      expect(clean.stdout).toContain("Result: OK");

      await target.tamper.editEntry(3, (entry) => {
        entry.outcome = "denied";
      });
      const tampered = await run([
        "verify",
        ...source,
        "--public-key",
        keyFile,
      ]);
      expect(tampered.code).toBe(1);
      expect(tampered.stdout).toContain("TAMPERED at index 3 (modified)");

      const json = await run([
        "verify",
        ...source,
        "--public-key",
        keyFile,
        "--json",
      ]);
      expect(json.code).toBe(1);
      const result = JSON.parse(json.stdout) as Record<string, unknown>;
      expect(result).toMatchObject({ ok: false, entries: 6, checkpoints: 2 });
      expect(result.problems).toEqual([
        expect.objectContaining({ index: 3, kind: "modified" }),
      ]);
    } finally {
      await target.cleanup();
    }
  });
});

describe("rfcc-audit arguments", () => {
  let logFile: string;

  beforeAll(async () => {
    logFile = join(folder, "args.jsonl");
    const log = await openAuditLog({
      store: { jsonl: logFile },
      signingKey: privateKey,
      checkpointEvery: 1,
    });
    await log.append({ actor: "u", action: "a", outcome: "success" });
    await log.close();
  });

  it("prints help and exits 0", async () => {
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: rfcc-audit verify");
  });

  it.each([
    [[], "Expected the command verify, got no command"],
    [["check", "--jsonl", "x"], 'got "check"'],
    [["verify", "--bogus"], "Unknown option '--bogus'"],
    [["verify", "--public-key", "k.pem"], "Name exactly one log"],
    [
      ["verify", "--jsonl", "a", "--sqlite", "b", "--public-key", "k"],
      "Name exactly one log",
    ],
    [["verify", "--jsonl", "a.jsonl"], "Missing --public-key PEMFILE"],
    [
      ["verify", "--sqlite", "a.db", "--checkpoints", "c", "--public-key", "k"],
      "--checkpoints applies only to --jsonl",
    ],
  ])("exits 2 for %j", async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(message);
  });

  it("exits 2 for a missing log file", async () => {
    const missing = join(folder, "missing.jsonl");
    const result = await run([
      "verify",
      "--jsonl",
      missing,
      "--public-key",
      keyFile,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `The file ${missing} given to --jsonl does not exist`,
    );
  });

  it("exits 2 for a missing or invalid key file", async () => {
    const missing = await run([
      "verify",
      "--jsonl",
      logFile,
      "--public-key",
      join(folder, "none.pem"),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("given to --public-key does not exist");

    const notPem = join(folder, "not.pem");
    await writeFile(notPem, "hello");
    const invalid = await run([
      "verify",
      "--jsonl",
      logFile,
      "--public-key",
      notPem,
    ]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("is not a PEM public key");
  });

  it("exits 1 when checkpoints were signed by another key", async () => {
    const otherKey = join(folder, "other.pem");
    await writeFile(
      otherKey,
      other.publicKey.export({ type: "spki", format: "pem" }),
    );
    const result = await run([
      "verify",
      "--jsonl",
      logFile,
      "--public-key",
      otherKey,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("(forged-checkpoint)");
  });

  it("exits 2 with one line for a folder given as a file", async () => {
    const dir = join(folder, "dir.pem");
    await mkdir(dir, { recursive: true });
    const cases = [
      ["--jsonl", logFile, "--public-key", dir],
      ["--jsonl", dir, "--public-key", keyFile],
      ["--jsonl", logFile, "--checkpoints", dir, "--public-key", keyFile],
      ["--sqlite", dir, "--public-key", keyFile],
    ];
    for (const argv of cases) {
      const result = await run(["verify", ...argv]);

      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain(`The path ${dir} given to`);
      expect(result.stderr).toContain("is a folder");
      expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    }
  });

  it("exits 2 for a key file that is not a regular file", async () => {
    const result = await run([
      "verify",
      "--jsonl",
      logFile,
      "--public-key",
      "/dev/null",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("is not a regular file");
  });

  it("exits 2 with one line for a file that is not a database", async () => {
    const path = join(folder, "not-a-database.db");
    await writeFile(path, "not sqlite at all, just text\n".repeat(200));
    const result = await run([
      "verify",
      "--sqlite",
      path,
      "--public-key",
      keyFile,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^rfcc-audit: .+\n$/u);
  });

  it("exits 2 with one line when printing the result fails", async () => {
    let stderr = "";
    const code = await runAuditCli(
      ["verify", "--jsonl", logFile, "--public-key", keyFile],
      {
        stdout: {
          write: () => {
            throw new Error("write EPIPE\nat the pipe");
          },
        },
        stderr: { write: (text: string) => (stderr += text) },
      },
    );

    expect(code).toBe(2);
    expect(stderr).toBe(
      "rfcc-audit: Unexpected error: write EPIPE at the pipe\n",
    );
  });

  it("exits 1 for a line nested 20000 levels deep", async () => {
    const deepFile = join(folder, "deep.jsonl");
    const log = await openAuditLog({ store: { jsonl: deepFile } });
    for (let i = 0; i < 3; i += 1) {
      await log.append({
        actor: "u",
        action: "a",
        outcome: "success",
        details: { n: i },
      });
    }
    await log.close();
    const lines = (await readFile(deepFile, "utf8")).split("\n");
    const nested = "[".repeat(20_000) + "]".repeat(20_000);
    lines[1] = (lines[1] ?? "").replace('{"n":1}', nested);
    await writeFile(deepFile, lines.join("\n"));

    const result = await run([
      "verify",
      "--jsonl",
      deepFile,
      "--public-key",
      keyFile,
    ]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("TAMPERED at index 1 (modified)");
  });

  it("exits 2 for a SQLite file without audit tables", async () => {
    const path = join(folder, "empty.db");
    new Database(path).close();
    const result = await run([
      "verify",
      "--sqlite",
      path,
      "--public-key",
      keyFile,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("rf_audit_checkpoints");
  });
});
