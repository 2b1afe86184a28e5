import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { Kysely } from "kysely";

import { openSqlConnection, type SqlConnection } from "../storage/sql.js";
import { sqlTestBackends } from "../storage/test-support.js";
import { isNotFound } from "./jsonl-file.js";
import { siblingPath } from "./jsonl-paths.js";
import {
  toCheckpointRecord,
  toCheckpointRow,
  toEntryRecord,
  toEntryRow,
  type AuditDatabase,
} from "./sql-schema.js";
import type { AuditStoreOptions } from "./store.js";
import type { AuditCheckpoint, AuditEntry } from "./types.js";

/** A mutable copy of a stored record, for tampering. */
export type Editable = Record<string, unknown>;

/** Direct edits of the stored log, bypassing the store. */
export interface Tamperer {
  editEntry(index: number, change: (entry: Editable) => void): Promise<void>;
  deleteEntry(index: number): Promise<void>;
  /** Exchanges the places of two entries in log order. */
  swapEntries(first: number, second: number): Promise<void>;
  /** Removes the entry at `index` and every later one. */
  truncateFrom(index: number): Promise<void>;
  /** Replaces the stored JSON text of an entry's `details`. */
  rewriteDetails(
    index: number,
    change: (text: string) => string,
  ): Promise<void>;
  editCheckpoint(
    index: number,
    change: (checkpoint: Editable) => void,
  ): Promise<void>;
  /** Everything the subject key storage contains, as Latin-1 text. */
  keyStorageText(): Promise<string>;
}

/** A fresh, empty store location for one test. */
export interface AuditTestTarget {
  readonly options: AuditStoreOptions;
  readonly tamper: Tamperer;
  cleanup(): Promise<void>;
}

/** One backend the shared audit suites run against. */
export interface AuditTestBackend {
  readonly name: "jsonl" | "sqlite" | "postgres";
  open(): Promise<AuditTestTarget>;
}

/** JSON Lines, SQLite and (unless skipped) PostgreSQL backends. */
export function auditTestBackends(): AuditTestBackend[] {
  return [
    { name: "jsonl", open: openJsonlTarget },
    ...sqlTestBackends().map((backend) => ({
      name: backend.name,
      async open(): Promise<AuditTestTarget> {
        const target = await backend.open();
        const connection = await openSqlConnection(target.options);
        return {
          options: target.options,
          tamper: sqlTamperer(connection, target.options),
          async cleanup() {
            await connection.close();
            await target.cleanup();
          },
        };
      },
    })),
  ];
}

async function openJsonlTarget(): Promise<AuditTestTarget> {
  const folder = await mkdtemp(join(tmpdir(), "rf-security-audit-"));
  const file = join(folder, "audit.jsonl");
  return {
    options: { jsonl: file },
    tamper: jsonlTamperer(file),
    cleanup: () => rm(folder, { recursive: true, force: true }),
  };
}

function jsonlTamperer(file: string): Tamperer {
  const checkpointFile = siblingPath(file, ".checkpoints.jsonl");
  const lines = async (path: string) =>
    (await readFile(path, "utf8")).split("\n").filter((line) => line !== "");
  const save = (path: string, records: readonly string[]) =>
    writeFile(path, records.map((line) => `${line}\n`).join(""));
  const find = (records: readonly string[], index: number) => {
    const position = records.findIndex(
      (line) => (JSON.parse(line) as { index: number }).index === index,
    );
    if (position === -1) {
      throw new Error(`No record with index ${index}.`);
    }
    return position;
  };
  const editLine = async (
    path: string,
    index: number,
    change: (record: Editable) => void,
  ) => {
    const records = await lines(path);
    const position = find(records, index);
    const record = JSON.parse(records[position] ?? "") as Editable;
    change(record);
    records[position] = JSON.stringify(record);
    await save(path, records);
  };
  return {
    editEntry: (index, change) => editLine(file, index, change),
    editCheckpoint: (index, change) => editLine(checkpointFile, index, change),
    async rewriteDetails(index, change) {
      const records = await lines(file);
      const position = find(records, index);
      const line = records[position] ?? "";
      const text = JSON.stringify((JSON.parse(line) as Editable).details);
      records[position] = line.replace(
        `"details":${text}`,
        () => `"details":${change(text)}`,
      );
      await save(file, records);
    },
    async deleteEntry(index) {
      const records = await lines(file);
      records.splice(find(records, index), 1);
      await save(file, records);
    },
    async swapEntries(first, second) {
      const records = await lines(file);
      const a = find(records, first);
      const b = find(records, second);
      [records[a], records[b]] = [records[b] ?? "", records[a] ?? ""];
      await save(file, records);
    },
    async truncateFrom(index) {
      const records = await lines(file);
      await save(file, records.slice(0, find(records, index)));
    },
    async keyStorageText() {
      try {
        return await readFile(siblingPath(file, ".keys.json"), "latin1");
      } catch (error) {
        if (isNotFound(error)) {
          return "";
        }
        throw error;
      }
    },
  };
}

function sqlTamperer(
  connection: SqlConnection,
  options: AuditStoreOptions,
): Tamperer {
  const db = connection.db as Kysely<AuditDatabase>;
  return {
    async editEntry(index, change) {
      const row = await db
        .selectFrom("rf_audit_entries")
        .selectAll()
        .where("entry_index", "=", index)
        .executeTakeFirstOrThrow();
      const record = toEntryRecord(row);
      const entry = { ...record.entry } as Editable;
      change(entry);
      const columns = toEntryRow(entry as unknown as AuditEntry);
      await db
        .updateTable("rf_audit_entries")
        .set(columns)
        .where("entry_index", "=", index)
        .execute();
    },
    async rewriteDetails(index, change) {
      const row = await db
        .selectFrom("rf_audit_entries")
        .select("details")
        .where("entry_index", "=", index)
        .executeTakeFirstOrThrow();
      await db
        .updateTable("rf_audit_entries")
        .set({ details: change(row.details ?? "null") })
        .where("entry_index", "=", index)
        .execute();
    },
    async deleteEntry(index) {
      await db
        .deleteFrom("rf_audit_entries")
        .where("entry_index", "=", index)
        .execute();
    },
    async swapEntries(first, second) {
      const move = (from: number, to: number) =>
        db
          .updateTable("rf_audit_entries")
          .set({ entry_index: to })
          .where("entry_index", "=", from)
          .execute();
      await move(first, -1);
      await move(second, first);
      await move(-1, second);
    },
    async truncateFrom(index) {
      await db
        .deleteFrom("rf_audit_entries")
        .where("entry_index", ">=", index)
        .execute();
    },
    async editCheckpoint(index, change) {
      const row = await db
        .selectFrom("rf_audit_checkpoints")
        .selectAll()
        .where("entry_index", "=", index)
        .executeTakeFirstOrThrow();
      const checkpoint = { ...toCheckpointRecord(row).checkpoint } as Editable;
      change(checkpoint);
      const columns = toCheckpointRow(checkpoint as unknown as AuditCheckpoint);
      await db
        .updateTable("rf_audit_checkpoints")
        .set(columns)
        .where("entry_index", "=", index)
        .execute();
    },
    async keyStorageText() {
      if ("sqlite" in options && typeof options.sqlite === "string") {
        const files = ["", "-wal", "-journal"].map(
          (suffix) => `${options.sqlite as string}${suffix}`,
        );
        const texts = await Promise.all(
          files.map((path) => readFile(path, "latin1").catch(() => "")),
        );
        return texts.join("");
      }
      const rows = await db
        .selectFrom("rf_audit_subject_keys")
        .selectAll()
        .execute();
      return JSON.stringify(rows);
    },
  };
}
