import type { Stats } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { parseArgs } from "node:util";

import { isSecurityError } from "../errors.js";
import { openJsonlAuditStore } from "./jsonl-store.js";
import { toPublicKey } from "./signing.js";
import { openSqlAuditStore } from "./sql-store.js";
import type { AuditStore, AuditVerifyResult } from "./types.js";
import { verifyAuditLog } from "./verify.js";

/** Output streams of {@link runAuditCli}. */
export interface AuditCliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** Exit status of `rfcc-audit`. */
export const AuditCliExit = {
  /** The log verifies. */
  OK: 0,
  /** Verification found tampering. */
  TAMPERED: 1,
  /** The command could not run: invalid arguments, missing file, store failure. */
  USAGE: 2,
} as const;

const USAGE = `Usage: rfcc-audit verify (--jsonl FILE | --sqlite FILE | --postgres URL)
                         --public-key PEMFILE [--json]

Verifies an audit log: the hash chain of its entries and the Ed25519
signatures of its checkpoints.

Options:
  --jsonl FILE          JSON Lines entry file; its checkpoints are read from
                        the .checkpoints.jsonl file next to it
  --checkpoints FILE    checkpoint file of --jsonl, when it is elsewhere
  --sqlite FILE         SQLite database that contains the audit tables
  --postgres URL        PostgreSQL connection string of the audit database
  --public-key PEMFILE  PEM file of the Ed25519 public key that signs the
                        checkpoints
  --json                print the result as JSON instead of a summary
  -h, --help            print this help

Exit status: 0 when the log verifies, 1 when tampering is found, 2 when
the command cannot run (invalid arguments, missing file, store failure).
`;

/** A failure that ends the command with exit status 2. */
class UsageError extends Error {}

/** A store to verify, with how to describe and release it. */
interface OpenedSource {
  readonly name: string;
  readonly store: AuditStore;
  close(): Promise<void>;
}

/**
 * Runs `rfcc-audit` with the arguments after the program name and returns
 * the exit status: 0 when the log verifies, 1 when it is tampered with,
 * 2 when the command cannot run.
 */
export async function runAuditCli(
  argv: readonly string[],
  io: AuditCliIo = process,
): Promise<number> {
  try {
    const args = parseCommand(argv);
    if (args === "help") {
      io.stdout.write(USAGE);
      return AuditCliExit.OK;
    }
    const publicKey = await readPublicKey(args.publicKey);
    const source = await openSource(args);
    let result: AuditVerifyResult;
    try {
      result = await verifyAuditLog(source.store, { publicKey });
    } finally {
      await source.close();
    }
    io.stdout.write(
      args.json
        ? `${JSON.stringify({ source: source.name, ...result }, null, 2)}\n`
        : formatSummary(source.name, result),
    );
    return result.ok ? AuditCliExit.OK : AuditCliExit.TAMPERED;
  } catch (error) {
    io.stderr.write(`rfcc-audit: ${describeFailure(error)}\n`);
    return AuditCliExit.USAGE;
  }
}

/**
 * Describes why the command could not run, on one line. Exit status 1
 * means tampering, so every failure, expected or not, exits with 2.
 */
function describeFailure(error: unknown): string {
  const message =
    error instanceof UsageError || isSecurityError(error)
      ? error.message
      : `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  return message.replace(/\s*\n\s*/gu, " ");
}

interface VerifyArguments {
  readonly jsonl?: string;
  readonly checkpoints?: string;
  readonly sqlite?: string;
  readonly postgres?: string;
  readonly publicKey: string;
  readonly json: boolean;
}

function parseCommand(argv: readonly string[]): VerifyArguments | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        jsonl: { type: "string" },
        checkpoints: { type: "string" },
        sqlite: { type: "string" },
        postgres: { type: "string" },
        "public-key": { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new UsageError(
      `${(error as Error).message.replace(/\.$/u, "")}. Run rfcc-audit ` +
        "--help for the options.",
    );
  }
  const { values, positionals } = parsed;
  if (values.help) {
    return "help";
  }
  if (positionals.length !== 1 || positionals[0] !== "verify") {
    const got =
      positionals.length === 0 ? "no command" : `"${positionals.join(" ")}"`;
    throw new UsageError(
      `Expected the command verify, got ${got}. Run rfcc-audit --help for usage.`,
    );
  }
  const sources = [values.jsonl, values.sqlite, values.postgres].filter(
    (value) => value !== undefined,
  );
  if (sources.length !== 1) {
    throw new UsageError(
      "Name exactly one log: --jsonl FILE, --sqlite FILE or --postgres URL.",
    );
  }
  if (values.checkpoints !== undefined && values.jsonl === undefined) {
    throw new UsageError(
      "--checkpoints applies only to --jsonl. Leave it out for SQL logs.",
    );
  }
  if (values["public-key"] === undefined) {
    throw new UsageError(
      "Missing --public-key PEMFILE: pass the PEM file of the Ed25519 public key that signs the checkpoints.",
    );
  }
  return {
    jsonl: values.jsonl,
    checkpoints: values.checkpoints,
    sqlite: values.sqlite,
    postgres: values.postgres,
    publicKey: values["public-key"],
    json: values.json,
  };
}

async function readPublicKey(path: string): Promise<string> {
  await requireFile(path, "--public-key");
  let pem: string;
  try {
    pem = await readFile(path, "utf8");
  } catch (error) {
    throw new UsageError(
      `Could not read the file ${path} given to --public-key: ${(error as Error).message}. Check its permissions.`,
    );
  }
  const key = toPublicKey(pem);
  if (typeof key === "string") {
    throw new UsageError(
      `The file ${path} given to --public-key ${key}. Pass a PEM file of an Ed25519 public key.`,
    );
  }
  return pem;
}

async function openSource(args: VerifyArguments): Promise<OpenedSource> {
  if (args.jsonl !== undefined) {
    await requireFile(args.jsonl, "--jsonl");
    if (args.checkpoints !== undefined) {
      await requireFile(args.checkpoints, "--checkpoints");
    }
    const store = await openJsonlAuditStore(
      {
        jsonl: args.jsonl,
        ...(args.checkpoints === undefined
          ? {}
          : { checkpointFile: args.checkpoints }),
      },
      { readOnly: true },
    );
    return { name: args.jsonl, store, close: () => store.close() };
  }
  if (args.sqlite !== undefined) {
    return openSqlite(args.sqlite);
  }
  const url = args.postgres ?? "";
  const store = await openSqlAuditStore({ postgres: url }, { readOnly: true });
  return { name: withoutCredentials(url), store, close: () => store.close() };
}

async function openSqlite(path: string): Promise<OpenedSource> {
  await requireFile(path, "--sqlite");
  // Read-only, so verifying never creates a file or changes the database.
  const store = await openSqlAuditStore({ sqlite: path }, { readOnly: true });
  return { name: path, store, close: () => store.close() };
}

/** Throws a UsageError unless `path` names an existing regular file. */
async function requireFile(path: string, option: string): Promise<void> {
  let stats: Stats;
  try {
    stats = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === "ENOENT"
        ? `The file ${path} given to ${option} does not exist. Check the path.`
        : `Could not read the file ${path} given to ${option}: ${(error as Error).message}. Check the path and its permissions.`,
    );
  }
  if (stats.isDirectory()) {
    throw new UsageError(
      `The path ${path} given to ${option} is a folder. Pass the path of a file.`,
    );
  }
  if (!stats.isFile()) {
    throw new UsageError(
      `The path ${path} given to ${option} is not a regular file. Pass the path of a file.`,
    );
  }
}

/** Drops the user name and password from a connection string. */
function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return "the PostgreSQL database";
  }
}

function formatSummary(name: string, result: AuditVerifyResult): string {
  const lines = [
    `Audit log: ${name}`,
    `Entries: ${result.entries}`,
    `Checkpoints: ${result.checkpoints}`,
  ];
  const [first, ...others] = result.problems;
  if (first === undefined) {
    lines.push("Result: OK, the hash chain and every checkpoint verify.");
  } else {
    lines.push(
      `Result: TAMPERED at index ${first.index} (${first.kind}): ${first.message}`,
    );
    for (const problem of others) {
      lines.push(
        `  also index ${problem.index} (${problem.kind}): ${problem.message}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}
