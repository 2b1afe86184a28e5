import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  type Migration,
  type PostgresPool,
  type SqliteDatabase,
} from "kysely";

import type BetterSqlite3 from "better-sqlite3";
import type Pg from "pg";

import {
  describeValue,
  isSecurityError,
  SecurityError,
  SecurityErrorCode,
} from "../errors.js";

/** The SQL dialects the stores of this package support. */
export type SqlDialectName = "sqlite" | "postgres";

/**
 * Where a SQL-backed store keeps its tables: a SQLite file (or an open
 * better-sqlite3 database), or a PostgreSQL connection string (or a `pg`
 * pool). A store closes only the clients it opened itself.
 */
export type SqlStoreOptions =
  | { readonly sqlite: string | SqliteDatabase }
  | { readonly postgres: string | PostgresPool };

/** An open database handle shared by the SQL stores of this package. */
export interface SqlConnection {
  // Tables differ per store; each store types its own rows.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly db: Kysely<any>;
  readonly dialect: SqlDialectName;
  /** Releases the client if this connection opened it; idempotent. */
  close(): Promise<void>;
}

/** Opens the database named by `options`, loading its driver on demand. */
export async function openSqlConnection(
  options: SqlStoreOptions,
): Promise<SqlConnection> {
  // Callers from JavaScript may pass anything; check before narrowing.
  const received: unknown = options;
  if (typeof received === "object" && received !== null) {
    if ("sqlite" in options) {
      return openSqlite(options.sqlite);
    }
    if ("postgres" in options) {
      return openPostgres(options.postgres);
    }
  }
  throw new SecurityError(
    SecurityErrorCode.INVALID_OPTIONS,
    `The store options ${describeValue(options)} name no database. ` +
      'Pass { sqlite: "file.db" } or { postgres: "postgres://host/db" }.',
    { issues: [{ path: "", value: options, message: "Name a database." }] },
  );
}

async function openSqlite(
  target: string | SqliteDatabase,
): Promise<SqlConnection> {
  if (typeof target !== "string") {
    return connection(new SqliteDialect({ database: target }), "sqlite", false);
  }
  const module = await importOptional<{ default: typeof BetterSqlite3 }>(
    "better-sqlite3",
    "SQLite stores",
  );
  const database = new module.default(target);
  // WAL lets readers run during a write; the busy timeout makes a second
  // process wait for the lock instead of failing at once.
  database.pragma("journal_mode = WAL");
  database.pragma("busy_timeout = 5000");
  return connection(new SqliteDialect({ database }), "sqlite", true);
}

async function openPostgres(
  target: string | PostgresPool,
): Promise<SqlConnection> {
  if (typeof target !== "string") {
    return connection(new PostgresDialect({ pool: target }), "postgres", false);
  }
  const module = await importOptional<{ default: typeof Pg }>(
    "pg",
    "PostgreSQL stores",
  );
  const pool = new module.default.Pool({ connectionString: target });
  return connection(new PostgresDialect({ pool }), "postgres", true);
}

function connection(
  dialect: SqliteDialect | PostgresDialect,
  name: SqlDialectName,
  owned: boolean,
): SqlConnection {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const db = new Kysely<any>({ dialect });
  let closed = false;
  return {
    db,
    dialect: name,
    async close() {
      if (closed) {
        return;
      }
      closed = true;
      // Destroying Kysely ends the pool or closes the SQLite database, so
      // it runs only for clients this connection created.
      if (owned) {
        await db.destroy();
      }
    },
  };
}

/** Imports an optional peer dependency, naming the install command if absent. */
export async function importOptional<T>(
  name: string,
  feature: string,
): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (error) {
    throw new SecurityError(
      SecurityErrorCode.DEPENDENCY_MISSING,
      `${feature} need the optional package ${name}, which could not be ` +
        `loaded. Install it with \`pnpm add ${name}\` (or npm install).`,
      { cause: error },
    );
  }
}

/**
 * Brings the tables of one store up to date. Each store keeps its own
 * migration history in `rf_<component>_migrations`, so stores sharing a
 * database migrate independently.
 */
export async function migrateSql(
  connection: SqlConnection,
  component: string,
  migrations: Readonly<Record<string, Migration>>,
): Promise<void> {
  const migrator = new Migrator({
    db: connection.db,
    provider: { getMigrations: () => Promise.resolve({ ...migrations }) },
    migrationTableName: `rf_${component}_migrations`,
    migrationLockTableName: `rf_${component}_migrations_lock`,
  });
  // Kysely takes no lock on SQLite, so two processes opening a new file
  // at once can both start the first migration; the loser fails on a
  // table the winner created. Running again then finds the work done.
  const attempts = connection.dialect === "sqlite" ? SQLITE_ATTEMPTS : 1;
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (error === undefined) {
      return;
    }
    if (attempt >= attempts) {
      const failed = results?.find((result) => result.status === "Error");
      throw storeFailure(
        `migrate the ${component} tables` +
          (failed === undefined ? "" : ` (migration ${failed.migrationName})`),
        error,
      );
    }
    await sleep(25 * attempt + Math.floor(Math.random() * 25));
  }
}

/** Attempts at migrating a SQLite database that another process migrates. */
const SQLITE_ATTEMPTS = 5;

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Wraps a backend failure in a STORE_FAILED error that keeps the cause. */
export function storeFailure(action: string, cause: unknown): SecurityError {
  if (isSecurityError(cause)) {
    return cause;
  }
  const detail = cause instanceof Error ? `: ${cause.message}` : "";
  return new SecurityError(
    SecurityErrorCode.STORE_FAILED,
    `Could not ${action}${detail}. Check that the database is reachable ` +
      "and the tables are not locked; the cause is attached.",
    { cause },
  );
}

/** Runs a store operation, turning backend failures into STORE_FAILED. */
export async function withStore<T>(
  action: string,
  operation: () => Promise<T>,
): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw storeFailure(action, error);
  }
}

/**
 * Reads an integer column. PostgreSQL returns `bigint` columns as strings;
 * values stored by this package (epoch milliseconds, counters) stay below
 * 2^53, so they convert exactly.
 */
export function toInteger(value: unknown): number {
  if (typeof value === "number") {
    return value;
  }
  if (typeof value === "bigint" || typeof value === "string") {
    return Number(value);
  }
  throw new TypeError(
    `Expected an integer column, got ${describeValue(value)}.`,
  );
}
