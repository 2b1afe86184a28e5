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

/** Settings of {@link openSqlConnection}. */
export interface SqlConnectionSettings {
  /**
   * Opens a SQLite file read-only and fails when the file does not exist,
   * so reading never creates or changes it. It changes nothing for
   * PostgreSQL or for a database that the caller opened.
   * @default false
   */
  readonly readOnly?: boolean;
}

/** Opens the database named by `options`, loading its driver on demand. */
export async function openSqlConnection(
  options: SqlStoreOptions,
  settings: SqlConnectionSettings = {},
): Promise<SqlConnection> {
  // Callers from JavaScript may pass anything; check before narrowing.
  const received: unknown = options;
  if (typeof received === "object" && received !== null) {
    if ("sqlite" in options) {
      return openSqlite(options.sqlite, settings.readOnly === true);
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
  readOnly: boolean,
): Promise<SqlConnection> {
  if (typeof target !== "string") {
    return connection(new SqliteDialect({ database: target }), "sqlite", false);
  }
  const database = await openBetterSqlite3(
    target,
    readOnly ? { readonly: true, fileMustExist: true } : {},
  );
  // WAL lets readers run during a write; the busy timeout makes a second
  // process wait for the lock instead of failing at once. Switching to WAL
  // writes to the file, so a read-only connection keeps its journal mode.
  if (!readOnly) {
    database.pragma("journal_mode = WAL");
  }
  database.pragma("busy_timeout = 5000");
  return connection(new SqliteDialect({ database }), "sqlite", true);
}

/** The module object of better-sqlite3 as a dynamic import returns it. */
export interface BetterSqlite3Module {
  readonly default: typeof BetterSqlite3;
}

function importBetterSqlite3(): Promise<BetterSqlite3Module> {
  return importOptional<BetterSqlite3Module>("better-sqlite3", "SQLite stores");
}

/**
 * Opens a SQLite file with better-sqlite3, loading the package on demand.
 * better-sqlite3 loads its native addon only when it opens a database, so
 * an addon that was never built fails here and not at the import.
 * @param importModule Replaces the import of better-sqlite3 in tests.
 * @throws {SecurityError} `DEPENDENCY_MISSING` with the fix when the
 * package is not installed or its native addon does not load. Other
 * errors of better-sqlite3, such as for a folder that does not exist,
 * pass through unchanged.
 */
export async function openBetterSqlite3(
  file: string,
  options: BetterSqlite3.Options = {},
  importModule: () => Promise<BetterSqlite3Module> = importBetterSqlite3,
): Promise<BetterSqlite3.Database> {
  const module = await importModule();
  try {
    return new module.default(file, options);
  } catch (error) {
    if (isNativeAddonFailure(error)) {
      throw nativeAddonMissing(error);
    }
    throw error;
  }
}

/**
 * Tells whether an error comes from loading a native addon: the
 * `bindings` package that better-sqlite3 uses found no built file, or
 * Node.js could not load the file (`ERR_DLOPEN_FAILED`), as happens for
 * an addon built for another Node.js version.
 */
function isNativeAddonFailure(error: unknown): error is Error {
  return (
    error instanceof Error &&
    ((error as NodeJS.ErrnoException).code === "ERR_DLOPEN_FAILED" ||
      error.message.startsWith("Could not locate the bindings file"))
  );
}

function nativeAddonMissing(cause: Error): SecurityError {
  // The bindings error goes on with every path it tried; the first line
  // is enough here, and the cause keeps the rest.
  const reason = cause.message.split("\n", 1)[0] ?? "";
  return new SecurityError(
    SecurityErrorCode.DEPENDENCY_MISSING,
    `SQLite stores need the native addon of better-sqlite3, which is not ` +
      `built or does not load on this Node.js version (${reason}). With ` +
      "pnpm, approve its build script with `pnpm approve-builds` (or set " +
      "`allowBuilds: { better-sqlite3: true }` in pnpm-workspace.yaml), " +
      "then run `pnpm rebuild better-sqlite3`. With npm, run " +
      "`npm rebuild better-sqlite3`.",
    { cause },
  );
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

/**
 * Version ranges of the database drivers, the same as in the
 * `peerDependencies` of this package's package.json.
 */
export const SQL_DRIVER_RANGES = {
  "better-sqlite3": "^12.11.1",
  pg: "^8.23.1",
} as const;

/** A database driver that is an optional peer dependency. */
export type SqlDriverName = keyof typeof SQL_DRIVER_RANGES;

/**
 * Imports an optional peer dependency, naming the install command when it
 * is absent or fails to load.
 * @param feature What needs the package, as the subject of the message,
 * such as "SQLite stores".
 * @param importModule Replaces the dynamic import in tests.
 */
export async function importOptional<T>(
  name: SqlDriverName,
  feature: string,
  importModule: (name: string) => Promise<unknown> = (module) => import(module),
): Promise<T> {
  try {
    return (await importModule(name)) as T;
  } catch (error) {
    const range = SQL_DRIVER_RANGES[name];
    const install =
      `install it next to @retrieval-free/security with ` +
      `\`npm install ${name}@${range}\` (or \`pnpm add ${name}@${range}\`).`;
    const code = (error as { code?: unknown } | null)?.code;
    const message =
      code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND"
        ? `${feature} need the optional peer dependency ${name}, which is ` +
          `not installed. To use them, ${install}`
        : `${name} could not be loaded (${errorMessage(error)}). ` +
          `Reinstall it, or ${install}`;
    throw new SecurityError(SecurityErrorCode.DEPENDENCY_MISSING, message, {
      cause: error,
    });
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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

const DATABASE_ADVICE =
  "Check that the database is reachable and the tables are not locked; " +
  "the cause is attached.";

/**
 * Wraps a backend failure in a STORE_FAILED error that keeps the cause.
 * `advice` names what to check, by default the database.
 */
export function storeFailure(
  action: string,
  cause: unknown,
  advice = DATABASE_ADVICE,
): SecurityError {
  if (isSecurityError(cause)) {
    return cause;
  }
  const detail = cause instanceof Error ? `: ${cause.message}` : "";
  return new SecurityError(
    SecurityErrorCode.STORE_FAILED,
    `Could not ${action}${detail}. ${advice}`,
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

/** An open, migrated SQL store's database and its guarded runner. */
export interface OpenSqlStore<Tables> {
  readonly db: Kysely<Tables>;
  /** Runs an operation, rejecting once the store is closed. */
  readonly run: <T>(action: string, operation: () => Promise<T>) => Promise<T>;
  /** Marks the store closed and releases the client it opened. */
  readonly close: () => Promise<void>;
}

/**
 * Opens the database, migrates the store's tables and returns a runner
 * that turns backend failures into STORE_FAILED and rejects calls after
 * `close()`, even when the caller's pool is still open.
 */
export async function openSqlStore<Tables>(
  options: SqlStoreOptions,
  component: string,
  migrations: Readonly<Record<string, Migration>>,
  opener: string,
): Promise<OpenSqlStore<Tables>> {
  const connection = await openSqlConnection(options);
  try {
    await migrateSql(connection, component, migrations);
  } catch (error) {
    await connection.close();
    throw error;
  }
  let closed = false;
  return {
    db: connection.db as Kysely<Tables>,
    run: (action, operation) => {
      if (closed) {
        return Promise.reject(
          new SecurityError(
            SecurityErrorCode.STORE_FAILED,
            `Could not ${action} because the store is closed. Open a new ` +
              `store with ${opener}().`,
          ),
        );
      }
      return withStore(action, operation);
    },
    close: () => {
      closed = true;
      return connection.close();
    },
  };
}
