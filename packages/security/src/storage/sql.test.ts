import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

import Database from "better-sqlite3";
import { sql, type Migration } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { SecurityErrorCode, type SecurityError } from "../errors.js";
import {
  importOptional,
  migrateSql,
  openBetterSqlite3,
  openSqlConnection,
  SQL_DRIVER_RANGES,
  toInteger,
  withStore,
  type BetterSqlite3Module,
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

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("The call did not reject.");
    },
    (error: unknown) => error,
  );
}

describe("SQL drivers", () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), "rf-security-sql-driver-"));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it("raises DEPENDENCY_MISSING when the native addon is not built", async () => {
    // better-sqlite3 finds its addon through the `bindings` package, which
    // throws this error when no built file exists in the folder it tries.
    const driverRequire = createRequire(
      createRequire(import.meta.url).resolve("better-sqlite3"),
    );
    const bindings = driverRequire("bindings") as (options: object) => unknown;
    const unbuilt = {
      default: function Database() {
        return bindings({
          bindings: "better_sqlite3.node",
          module_root: folder,
        });
      },
    } as unknown as BetterSqlite3Module;

    const error = (await rejectionOf(
      openBetterSqlite3(join(folder, "store.db"), {}, () =>
        Promise.resolve(unbuilt),
      ),
    )) as SecurityError;

    expect(error.code).toBe(SecurityErrorCode.DEPENDENCY_MISSING);
    expect(error.message).toContain(
      "SQLite stores need the native addon of better-sqlite3, which is not built",
    );
    expect(error.message).toContain("(Could not locate the bindings file.");
    expect(error.message).toContain("`pnpm approve-builds`");
    expect(error.message).toContain(
      "`allowBuilds: { better-sqlite3: true }` in pnpm-workspace.yaml",
    );
    expect(error.message).toContain("`pnpm rebuild better-sqlite3`");
    expect(error.message).toContain("`npm rebuild better-sqlite3`");
    expect((error.cause as Error).message).toMatch(
      /^Could not locate the bindings file/u,
    );
  });

  it("raises DEPENDENCY_MISSING when the native addon does not load", async () => {
    const addon = join(folder, "better_sqlite3.node");
    await writeFile(addon, "not a shared library");

    const error = (await rejectionOf(
      openBetterSqlite3(":memory:", { nativeBinding: addon }),
    )) as SecurityError;

    expect(error.code).toBe(SecurityErrorCode.DEPENDENCY_MISSING);
    expect(error.message).toContain("native addon of better-sqlite3");
    expect((error.cause as NodeJS.ErrnoException).code).toBe(
      "ERR_DLOPEN_FAILED",
    );
  });

  it("keeps the error of a folder that does not exist", async () => {
    const error = await rejectionOf(
      openBetterSqlite3(join(folder, "missing", "store.db")),
    );

    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe(
      "Cannot open database because the directory does not exist",
    );
  });

  it("names the install command with the peer dependency range", async () => {
    const manifest = JSON.parse(
      readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
    ) as { peerDependencies: Record<string, string> };
    const missing = "@retrieval-free/not-installed";

    for (const name of ["better-sqlite3", "pg"] as const) {
      const range = manifest.peerDependencies[name];
      const error = (await rejectionOf(
        importOptional(name, "SQL stores", () => import(missing)),
      )) as SecurityError;

      expect(SQL_DRIVER_RANGES[name]).toBe(range);
      expect(error.code).toBe(SecurityErrorCode.DEPENDENCY_MISSING);
      expect(error.message).toBe(
        `SQL stores need the optional peer dependency ${name}, which is not installed. To use them, install it next to @retrieval-free/security with \`npm install ${name}@${range}\` (or \`pnpm add ${name}@${range}\`).`,
      );
    }
  });

  it("names the load failure of an installed driver", async () => {
    const failure = new Error("Unexpected token");

    const error = (await rejectionOf(
      importOptional("pg", "PostgreSQL stores", () => Promise.reject(failure)),
    )) as SecurityError;

    expect(error.code).toBe(SecurityErrorCode.DEPENDENCY_MISSING);
    expect(error.cause).toBe(failure);
    expect(error.message).toMatch(
      /^pg could not be loaded \(Unexpected token\)\. Reinstall it, or install it /u,
    );
  });

  it("opens a SQLite file read-only without creating it", async () => {
    const file = join(folder, "store.db");
    const missing = await rejectionOf(
      openSqlConnection({ sqlite: file }, { readOnly: true }),
    );
    const writer = await openSqlConnection({ sqlite: file });
    await migrateSql(writer, "notes", MIGRATIONS);
    await writer.close();

    const reader = await openSqlConnection(
      { sqlite: file },
      { readOnly: true },
    );
    const rows = await reader.db.selectFrom("notes").selectAll().execute();
    const write = await rejectionOf(
      reader.db.insertInto("notes").values({ id: "a", at: 1 }).execute(),
    );
    await reader.close();

    expect(missing).toMatchObject({ code: "SQLITE_CANTOPEN" });
    expect(rows).toEqual([]);
    expect(write).toMatchObject({ code: "SQLITE_READONLY" });
  });
});
