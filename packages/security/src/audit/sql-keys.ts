import { sql, type Kysely } from "kysely";

import { withStore, type SqlConnection } from "../storage/sql.js";
import type { AuditDatabase, SubjectKeyRow } from "./sql-schema.js";
import type { StoredSubjectKey, SubjectKeyStore } from "./types.js";

/**
 * Subject keys in the `rf_audit_subject_keys` table, where erasure deletes
 * the row. On SQLite, `secure_delete` zeroes the deleted row in its page,
 * and a WAL checkpoint afterwards empties the write-ahead log, which still
 * contains the inserted row. A reader in another connection can block
 * that checkpoint, and then the next append retries it. NOTE: PostgreSQL
 * keeps a deleted row's bytes in the table file until VACUUM reuses the
 * space, and in its write-ahead log until the server recycles it. Wrap
 * keys with a master key kept outside the database to protect them there.
 */
export class SqlSubjectKeys implements SubjectKeyStore {
  private readonly db: Kysely<AuditDatabase>;
  /**
   * True while the SQLite write-ahead log may still contain a deleted key.
   * It starts true, because an erasure in an earlier process may have left
   * one there.
   */
  private walCheckpointOwed: boolean;

  constructor(private readonly connection: SqlConnection) {
    this.db = connection.db as Kysely<AuditDatabase>;
    this.walCheckpointOwed = connection.dialect === "sqlite";
  }

  getKey(subject: string): Promise<StoredSubjectKey | undefined> {
    return withStore("read a subject key", async () => {
      const row = await this.db
        .selectFrom("rf_audit_subject_keys")
        .selectAll()
        .where("subject", "=", subject)
        .executeTakeFirst();
      return row === undefined ? undefined : fromRow(row);
    });
  }

  async createKey(key: StoredSubjectKey): Promise<StoredSubjectKey> {
    await withStore("store a subject key", () =>
      this.db
        .insertInto("rf_audit_subject_keys")
        .values({
          subject: key.subject,
          key: key.key,
          wrapped: key.wrapped ? 1 : 0,
          created_at: key.createdAt,
        })
        .onConflict((conflict) => conflict.column("subject").doNothing())
        .execute(),
    );
    // Another writer may have stored a key first, and then all use that one.
    return (await this.getKey(key.subject)) ?? key;
  }

  deleteKey(subject: string): Promise<boolean> {
    return withStore("delete a subject key", async () => {
      const result = await this.db
        .deleteFrom("rf_audit_subject_keys")
        .where("subject", "=", subject)
        .executeTakeFirst();
      if (this.connection.dialect === "sqlite") {
        // A reader in another connection can block the truncation. The
        // pragma then waits up to the busy timeout and returns busy.
        this.walCheckpointOwed = !(await truncateWal(this.db));
      }
      return result.numDeletedRows > 0n;
    });
  }

  /**
   * Empties the SQLite write-ahead log if an erasure could not, without
   * waiting for readers. The log stays owed while a reader blocks it.
   */
  retryWalCheckpoint(): Promise<void> {
    if (!this.walCheckpointOwed) {
      return Promise.resolve();
    }
    // One connection for all three statements, so no other query of this
    // store runs while the busy timeout is 0.
    return withStore("empty the SQLite write-ahead log", () =>
      this.db.connection().execute(async (db) => {
        const timeout = await sql<{
          timeout: number;
        }>`PRAGMA busy_timeout`.execute(db);
        const milliseconds = timeout.rows[0]?.timeout ?? 0;
        await sql`PRAGMA busy_timeout = 0`.execute(db);
        try {
          this.walCheckpointOwed = !(await truncateWal(db));
        } finally {
          // PRAGMA takes no bound parameters, so the number is inlined.
          await sql`PRAGMA busy_timeout = ${sql.lit(milliseconds)}`.execute(db);
        }
      }),
    );
  }

  markErased(subject: string, time: string): Promise<void> {
    return withStore("record a subject erasure", async () => {
      await this.db
        .insertInto("rf_audit_erased_subjects")
        .values({ subject, erased_at: time })
        .onConflict((conflict) => conflict.column("subject").doNothing())
        .execute();
    });
  }

  isErased(subject: string): Promise<boolean> {
    return withStore("read a subject erasure", async () => {
      const row = await this.db
        .selectFrom("rf_audit_erased_subjects")
        .select("subject")
        .where("subject", "=", subject)
        .executeTakeFirst();
      return row !== undefined;
    });
  }
}

/**
 * Runs a truncating WAL checkpoint and returns whether it finished. SQLite
 * reports a checkpoint that a reader or writer blocked as busy, either in
 * the result row or as a SQLITE_BUSY error.
 */
async function truncateWal(db: Kysely<AuditDatabase>): Promise<boolean> {
  try {
    const result = await sql<{
      busy: number;
    }>`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
    return (result.rows[0]?.busy ?? 0) === 0;
  } catch (error) {
    const code = (error as { code?: unknown } | undefined)?.code;
    if (typeof code === "string" && code.startsWith("SQLITE_BUSY")) {
      return false;
    }
    throw error;
  }
}

function fromRow(row: SubjectKeyRow): StoredSubjectKey {
  return {
    subject: row.subject,
    key: row.key,
    wrapped: row.wrapped === 1,
    createdAt: row.created_at,
  };
}
