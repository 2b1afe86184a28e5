import { sql, type Kysely } from "kysely";

import { withStore, type SqlConnection } from "../storage/sql.js";
import type { AuditDatabase, SubjectKeyRow } from "./sql-schema.js";
import type { StoredSubjectKey, SubjectKeyStore } from "./types.js";

/**
 * Subject keys in the `rf_audit_subject_keys` table, where erasure deletes
 * the row. On SQLite, `secure_delete` zeroes the deleted row in its page,
 * and a WAL checkpoint afterwards empties the write-ahead log, which still
 * contains the inserted row. NOTE: PostgreSQL keeps a deleted row's bytes
 * in the table file until VACUUM reuses the space, and in its write-ahead
 * log until the server recycles it. Wrap keys with a master key kept
 * outside the database to protect them there.
 */
export class SqlSubjectKeys implements SubjectKeyStore {
  private readonly db: Kysely<AuditDatabase>;

  constructor(private readonly connection: SqlConnection) {
    this.db = connection.db as Kysely<AuditDatabase>;
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
        // NOTE: a reader in another connection can block the truncation.
        // The pragma then returns busy instead of failing, and the old
        // frames stay in the write-ahead log until SQLite reuses it.
        await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(this.db);
      }
      return result.numDeletedRows > 0n;
    });
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

function fromRow(row: SubjectKeyRow): StoredSubjectKey {
  return {
    subject: row.subject,
    key: row.key,
    wrapped: row.wrapped === 1,
    createdAt: row.created_at,
  };
}
