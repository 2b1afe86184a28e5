import type {
  ColumnType,
  Insertable,
  Kysely,
  Migration,
  Selectable,
} from "kysely";

import { toInteger } from "../storage/sql.js";
import { exceedsJsonDepth, MAX_JSON_DEPTH } from "./canonical.js";
import { parseCheckpoint, parseEntry } from "./records.js";
import type {
  AuditCheckpoint,
  AuditEntry,
  StoredCheckpointRecord,
  StoredEntryRecord,
} from "./types.js";

/** A `bigint` column, which PostgreSQL returns as a string (see toInteger). */
type BigintColumn = ColumnType<number | string, number, number>;

/** One entry, with NULL in the columns of absent optional fields. */
export interface EntryTable {
  entry_index: BigintColumn;
  time: string;
  actor: string;
  action: string;
  outcome: string;
  target: string | null;
  key_id: string | null;
  tenant: string | null;
  request_id: string | null;
  subject: string | null;
  /** JSON text of `details`. */
  details: string | null;
  /** JSON text of the encrypted personal data. */
  personal: string | null;
  prev_hash: string;
  hash: string;
}

/** One signed checkpoint, keyed by the index it covers. */
export interface CheckpointTable {
  entry_index: BigintColumn;
  hash: string;
  count: BigintColumn;
  time: string;
  key_id: string;
  signature: string;
}

/** An entry row as read. */
export type EntryRow = Selectable<EntryTable>;
/** A checkpoint row as read. */
export type CheckpointRow = Selectable<CheckpointTable>;

/** One subject's data key, deleted on erasure. */
export interface SubjectKeyRow {
  subject: string;
  key: string;
  /** 1 when `key` is wrapped with the master key, else 0. */
  wrapped: number;
  created_at: string;
}

/** The tables of the SQL audit store. */
export interface AuditDatabase {
  rf_audit_entries: EntryTable;
  rf_audit_checkpoints: CheckpointTable;
  rf_audit_subject_keys: SubjectKeyRow;
  rf_audit_erased_subjects: { subject: string; erased_at: string };
}

/** Migrations of the SQL audit store, applied with `migrateSql`. */
export const AUDIT_MIGRATIONS: Readonly<Record<string, Migration>> = {
  "0001_audit_log": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("rf_audit_entries")
        // The primary key makes a second writer's insert of an index that
        // exists fail, so two replicas cannot fork the chain.
        .addColumn("entry_index", "bigint", (column) => column.primaryKey())
        .addColumn("time", "text", (column) => column.notNull())
        .addColumn("actor", "text", (column) => column.notNull())
        .addColumn("action", "text", (column) => column.notNull())
        .addColumn("outcome", "text", (column) => column.notNull())
        .addColumn("target", "text")
        .addColumn("key_id", "text")
        .addColumn("tenant", "text")
        .addColumn("request_id", "text")
        .addColumn("subject", "text")
        .addColumn("details", "text")
        .addColumn("personal", "text")
        .addColumn("prev_hash", "text", (column) => column.notNull())
        .addColumn("hash", "text", (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex("rf_audit_entries_subject")
        .on("rf_audit_entries")
        .column("subject")
        .execute();
      await db.schema
        .createTable("rf_audit_checkpoints")
        .addColumn("entry_index", "bigint", (column) => column.primaryKey())
        .addColumn("hash", "text", (column) => column.notNull())
        .addColumn("count", "bigint", (column) => column.notNull())
        .addColumn("time", "text", (column) => column.notNull())
        .addColumn("key_id", "text", (column) => column.notNull())
        .addColumn("signature", "text", (column) => column.notNull())
        .execute();
      await db.schema
        .createTable("rf_audit_subject_keys")
        .addColumn("subject", "text", (column) => column.primaryKey())
        .addColumn("key", "text", (column) => column.notNull())
        .addColumn("wrapped", "integer", (column) => column.notNull())
        .addColumn("created_at", "text", (column) => column.notNull())
        .execute();
      await db.schema
        .createTable("rf_audit_erased_subjects")
        .addColumn("subject", "text", (column) => column.primaryKey())
        .addColumn("erased_at", "text", (column) => column.notNull())
        .execute();
    },
  },
};

/** Converts an entry to its row. */
export function toEntryRow(entry: AuditEntry): Insertable<EntryTable> {
  return {
    entry_index: entry.index,
    time: entry.time,
    actor: entry.actor,
    action: entry.action,
    outcome: entry.outcome,
    target: entry.target ?? null,
    key_id: entry.keyId ?? null,
    tenant: entry.tenant ?? null,
    request_id: entry.requestId ?? null,
    subject: entry.subject ?? null,
    details: entry.details === undefined ? null : JSON.stringify(entry.details),
    personal:
      entry.personal === undefined ? null : JSON.stringify(entry.personal),
    prev_hash: entry.prevHash,
    hash: entry.hash,
  };
}

/**
 * Reads an entry row back. NULL columns are left out, so a row read back
 * hashes like the entry that was stored.
 */
export function toEntryRecord(row: EntryRow): StoredEntryRecord {
  const index = toInteger(row.entry_index);
  const location = `row with entry_index ${index}`;
  const columns = readJsonColumns(row);
  if (typeof columns === "string") {
    return { malformed: columns, torn: false, location };
  }
  const candidate = {
    index,
    time: row.time,
    actor: row.actor,
    action: row.action,
    outcome: row.outcome,
    ...optionalText({
      target: row.target,
      keyId: row.key_id,
      tenant: row.tenant,
      requestId: row.request_id,
    }),
    ...(row.details === null ? {} : { details: columns.details }),
    ...optionalText({ subject: row.subject }),
    ...(row.personal === null ? {} : { personal: columns.personal }),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
  const entry = parseEntry(candidate);
  return typeof entry === "string"
    ? { malformed: entry, torn: false, location }
    : { entry, location };
}

/**
 * Parses the JSON columns of an entry row, or returns why one is invalid.
 * A column must be exactly the text that {@link toEntryRow} writes,
 * because `JSON.parse` resolves a duplicated key to its last value while
 * other tools show the first.
 */
function readJsonColumns(
  row: EntryRow,
): { details?: unknown; personal?: unknown } | string {
  const columns: { details?: unknown; personal?: unknown } = {};
  for (const name of ["details", "personal"] as const) {
    const text = row[name];
    if (text === null) {
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return `the ${name} column is not valid JSON`;
    }
    if (exceedsJsonDepth(value, MAX_JSON_DEPTH)) {
      return `the ${name} column nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`;
    }
    if (JSON.stringify(value) !== text) {
      return `the ${name} column is not the JSON text that the store writes: a key appears twice, or spacing or escapes were changed`;
    }
    columns[name] = value;
  }
  return columns;
}

/** Converts a checkpoint to its row. */
export function toCheckpointRow(
  checkpoint: AuditCheckpoint,
): Insertable<CheckpointTable> {
  return {
    entry_index: checkpoint.index,
    hash: checkpoint.hash,
    count: checkpoint.count,
    time: checkpoint.time,
    key_id: checkpoint.keyId,
    signature: checkpoint.signature,
  };
}

/** Reads a checkpoint row back. */
export function toCheckpointRecord(row: CheckpointRow): StoredCheckpointRecord {
  const index = toInteger(row.entry_index);
  const location = `checkpoint row with entry_index ${index}`;
  const checkpoint = parseCheckpoint({
    index,
    hash: row.hash,
    count: toInteger(row.count),
    time: row.time,
    keyId: row.key_id,
    signature: row.signature,
  });
  return typeof checkpoint === "string"
    ? { malformed: checkpoint, index, location }
    : { checkpoint, location };
}

/** Keeps the text columns that are not NULL. */
function optionalText(
  columns: Record<string, string | null>,
): Record<string, string> {
  const present: Record<string, string> = {};
  for (const [name, value] of Object.entries(columns)) {
    if (value !== null) {
      present[name] = value;
    }
  }
  return present;
}
