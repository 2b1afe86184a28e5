import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import Database from "better-sqlite3";
import { sql, type Migration } from "kysely";
import { afterEach, describe, expect, it } from "vitest";

import { SecurityErrorCode } from "../errors.js";
import {
  migrateSql,
  openSqlConnection,
  toInteger,
  withStore,
  type SqlConnection,
  type SqlStoreOptions,
} from "./sql.js";
import { sqlTestBackends, type SqlTestTarget } from "./test-support.js";

const MIGRATIONS: Record<string, Migration> = {
  "0001_notes": {
    async up(db) {
      await db.schema
        .createTable("notes")
        .addColumn("id", "text", (column) => column.primaryKey())
        .addColumn("at", "bigint", (column) => column.notNull())
        .execute();
    },
  },
};

describe.each(sqlTestBackends())("SQL connection on $name", (backend) => {
  let target: SqlTestTarget | undefined;
  let connection: SqlConnection | undefined;

  afterEach(async () => {
    await connection?.close();
    await target?.cleanup();
  });

  it("migrates once and reads epoch milliseconds back exactly", async () => {
    target = await backend.open();
    connection = await openSqlConnection(target.options);
    expect(connection.dialect).toBe(backend.name);
    await migrateSql(connection, "notes", MIGRATIONS);
    await migrateSql(connection, "notes", MIGRATIONS);

    const at = 1_767_225_600_123;
    await connection.db.insertInto("notes").values({ id: "a", at }).execute();
    const row = await connection.db
      .selectFrom("notes")
      .select("at")
      .executeTakeFirstOrThrow();
    expect(toInteger(row.at)).toBe(at);
  });

  it("reports a failing migration by name as STORE_FAILED", async () => {
    target = await backend.open();
    connection = await openSqlConnection(target.options);
    const broken: Record<string, Migration> = {
      "0001_broken": {
        async up(db) {
          await sql`CREATE TABLE broken (`.execute(db);
        },
      },
    };
    const error = await migrateSql(connection, "broken", broken).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: SecurityErrorCode.STORE_FAILED });
    expect(String(error)).toContain("0001_broken");
  });
});

describe("openSqlConnection", () => {
  it("rejects options that name no database", async () => {
    await expect(
      openSqlConnection({ mysql: "x" } as unknown as SqlStoreOptions),
    ).rejects.toMatchObject({ code: SecurityErrorCode.INVALID_OPTIONS });
  });

  it("leaves a caller's SQLite database open when it closes", async () => {
    const database = new Database(":memory:");
    const connection = await openSqlConnection({ sqlite: database });
    await connection.db.selectFrom("sqlite_master").selectAll().execute();
    await connection.close();
    await connection.close();
    expect(database.open).toBe(true);
    database.close();
  });
});

describe("migrateSql on SQLite", () => {
  it("finishes when another connection migrates the file first", async () => {
    const folder = await mkdtemp(join(tmpdir(), "rf-migrate-race-"));
    const file = join(folder, "race.db");
    const first = await openSqlConnection({ sqlite: file });
    const second = await openSqlConnection({ sqlite: file });
    let raced = false;
    const migrations: Record<string, Migration> = {
      "0001_notes": {
        async up(db) {
          if (!raced) {
            // The other connection wins the race while this one is inside
            // its migration, as a second process opening the file would.
            raced = true;
            await migrateSql(second, "race", migrations);
          }
          await db.schema
            .createTable("notes")
            .addColumn("id", "text")
            .execute();
        },
      },
    };

    await migrateSql(first, "race", migrations);
    const rows = await first.db
      .selectFrom("rf_race_migrations")
      .selectAll()
      .execute();
    await first.close();
    await second.close();
    await rm(folder, { recursive: true, force: true });

    expect(raced).toBe(true);
    expect(rows).toHaveLength(1);
  });
});

describe("withStore", () => {
  it("wraps a backend failure and keeps its cause", async () => {
    const cause = new Error("connection refused");
    const error = await withStore("read the keys", () =>
      Promise.reject(cause),
    ).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: SecurityErrorCode.STORE_FAILED,
      cause,
    });
    expect(String(error)).toContain("read the keys: connection refused");
  });
});
