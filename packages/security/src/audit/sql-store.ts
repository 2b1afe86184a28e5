import { setTimeout as sleep } from "node:timers/promises";

import { sql, type Kysely } from "kysely";

import { SecurityError, SecurityErrorCode } from "../errors.js";
import {
  migrateSql,
  openSqlConnection,
  storeFailure,
  toInteger,
  withStore,
  type SqlConnection,
  type SqlStoreOptions,
} from "../storage/sql.js";
import { SqlSubjectKeys } from "./sql-keys.js";
import {
  AUDIT_MIGRATIONS,
  toCheckpointRecord,
  toCheckpointRow,
  toEntryRecord,
  toEntryRow,
  type AuditDatabase,
} from "./sql-schema.js";
import type {
  AuditCheckpoint,
  AuditEntry,
  AuditQuery,
  AuditStore,
  StoredCheckpointRecord,
  StoredEntryRecord,
} from "./types.js";

/** Settings of {@link openSqlAuditStore}. */
export interface SqlAuditStoreSettings {
  /**
   * Opens without creating or changing tables, for verification. The
   * tables must exist, and a SQLite file is opened read-only.
   * @default false
   */
  readonly readOnly?: boolean;
}

/** Rows read per query when scanning the log. */
const PAGE_SIZE = 500;
/** Tries of an append that loses the race for the next index. */
const MAX_APPEND_TRIES = 10;

/**
 * Opens an audit store in SQLite or PostgreSQL, creating its four tables
 * (`rf_audit_entries`, `rf_audit_checkpoints`, `rf_audit_subject_keys`,
 * `rf_audit_erased_subjects`) unless `readOnly`. On SQLite it turns on
 * `secure_delete`, so erased keys are overwritten in the file.
 */
export async function openSqlAuditStore(
  options: SqlStoreOptions,
  settings: SqlAuditStoreSettings = {},
): Promise<AuditStore> {
  const connection = await openSqlConnection(options, {
    readOnly: settings.readOnly === true,
  });
  if (settings.readOnly !== true) {
    try {
      await migrateSql(connection, "audit", AUDIT_MIGRATIONS);
      if (connection.dialect === "sqlite") {
        await sql`PRAGMA secure_delete = ON`.execute(connection.db);
      }
    } catch (error) {
      await connection.close();
      throw storeFailure("prepare the audit tables", error);
    }
  }
  return new SqlAuditStore(connection);
}

class SqlAuditStore implements AuditStore {
  readonly description: string;
  readonly subjectKeys: SqlSubjectKeys;
  private readonly db: Kysely<AuditDatabase>;

  constructor(private readonly connection: SqlConnection) {
    this.db = connection.db as Kysely<AuditDatabase>;
    this.description = `${connection.dialect} audit tables`;
    this.subjectKeys = new SqlSubjectKeys(connection);
  }

  /**
   * Reads the last entry and inserts the next one in one transaction. When
   * another writer inserted that index first, the primary key rejects the
   * insert and the append starts over from the new last entry. On SQLite
   * it first retries a WAL checkpoint that an erasure could not finish.
   */
  async appendEntry(
    build: (last: AuditEntry | undefined) => AuditEntry,
  ): Promise<AuditEntry> {
    await this.subjectKeys.retryWalCheckpoint();
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.inWriteTransaction(async (db) => {
          const entry = build(await readLastEntry(db));
          await db
            .insertInto("rf_audit_entries")
            .values(toEntryRow(entry))
            .execute();
          return entry;
        });
      } catch (error) {
        if (!isWriteConflict(error) || attempt >= MAX_APPEND_TRIES) {
          throw storeFailure("append to the audit log", error);
        }
        // Random backoff so competing writers do not retry in step.
        await sleep(attempt * (5 + Math.random() * 20));
      }
    }
  }

  lastEntry(): Promise<AuditEntry | undefined> {
    return withStore("read the audit log", () => readLastEntry(this.db));
  }

  async *scanEntries(): AsyncGenerator<StoredEntryRecord> {
    let after = -1;
    for (;;) {
      const rows = await withStore("read the audit log", () =>
        this.db
          .selectFrom("rf_audit_entries")
          .selectAll()
          .where("entry_index", ">", after)
          .orderBy("entry_index")
          .limit(PAGE_SIZE)
          .execute(),
      );
      for (const row of rows) {
        yield toEntryRecord(row);
      }
      const last = rows.at(-1);
      if (rows.length < PAGE_SIZE || last === undefined) {
        return;
      }
      after = toInteger(last.entry_index);
    }
  }

  readEntries(query: AuditQuery): Promise<AuditEntry[]> {
    return withStore("read the audit log", async () => {
      let select = this.db
        .selectFrom("rf_audit_entries")
        .selectAll()
        .where("entry_index", ">=", query.from ?? 0)
        .orderBy("entry_index");
      if (query.subject !== undefined) {
        select = select.where("subject", "=", query.subject);
      }
      if (query.limit !== undefined) {
        select = select.limit(query.limit);
      }
      const rows = await select.execute();
      return rows.map((row) => requireEntry(toEntryRecord(row)));
    });
  }

  addCheckpoint(checkpoint: AuditCheckpoint): Promise<AuditCheckpoint> {
    return withStore("write an audit checkpoint", async () => {
      await this.db
        .insertInto("rf_audit_checkpoints")
        .values(toCheckpointRow(checkpoint))
        .onConflict((conflict) => conflict.column("entry_index").doNothing())
        .execute();
      const row = await this.db
        .selectFrom("rf_audit_checkpoints")
        .selectAll()
        .where("entry_index", "=", checkpoint.index)
        .executeTakeFirstOrThrow();
      return toCheckpointRecord(row).checkpoint ?? checkpoint;
    });
  }

  readCheckpoints(): Promise<StoredCheckpointRecord[]> {
    return withStore("read the audit checkpoints", async () => {
      const rows = await this.db
        .selectFrom("rf_audit_checkpoints")
        .selectAll()
        .orderBy("entry_index")
        .execute();
      return rows.map(toCheckpointRecord);
    });
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  /**
   * Runs `work` in a transaction that holds the write lock from its start.
   * SQLite needs BEGIN IMMEDIATE for that: a deferred transaction that
   * reads first fails with SQLITE_BUSY when another process wrote since.
   */
  private async inWriteTransaction<T>(
    work: (db: Kysely<AuditDatabase>) => Promise<T>,
  ): Promise<T> {
    if (this.connection.dialect !== "sqlite") {
      return this.db.transaction().execute(work);
    }
    return this.db.connection().execute(async (db) => {
      await sql`BEGIN IMMEDIATE`.execute(db);
      try {
        const result = await work(db);
        await sql`COMMIT`.execute(db);
        return result;
      } catch (error) {
        await sql`ROLLBACK`.execute(db);
        throw error;
      }
    });
  }
}

async function readLastEntry(
  db: Kysely<AuditDatabase>,
): Promise<AuditEntry | undefined> {
  const row = await db
    .selectFrom("rf_audit_entries")
    .selectAll()
    .orderBy("entry_index", "desc")
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : requireEntry(toEntryRecord(row));
}

function requireEntry(record: StoredEntryRecord): AuditEntry {
  if (record.entry !== undefined) {
    return record.entry;
  }
  throw new SecurityError(
    SecurityErrorCode.AUDIT_TAMPERED,
    `The audit ${record.location ?? "record"} is not a valid entry: ` +
      `${record.malformed}. Verify the log and restore it from a backup.`,
  );
}

/**
 * Tells whether a failed append lost a race with another writer:
 * PostgreSQL unique violations, serialization failures and deadlocks, and
 * SQLite busy or primary-key errors.
 */
function isWriteConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== "string") {
    return false;
  }
  return (
    ["23505", "40001", "40P01"].includes(code) ||
    code.startsWith("SQLITE_BUSY") ||
    code === "SQLITE_CONSTRAINT_PRIMARYKEY"
  );
}
