import type { Kysely, Migration } from "kysely";

import {
  openSqlStore,
  toInteger,
  type SqlStoreOptions,
} from "../storage/sql.js";
import { duplicateKeyId, rotationConflict } from "./memory-store.js";
import type { ApiKeyChanges, ApiKeyStore, StoredApiKey } from "./types.js";

const TABLE = "rf_api_keys";

/** Row of the `rf_api_keys` table as the drivers return it. */
interface ApiKeyRow {
  id: string;
  tenant: string;
  name: string | null;
  env: string;
  /** JSON array of strings. */
  scopes: string;
  hash: string;
  created_at: number | string;
  expires_at: number | string | null;
  revoked_at: number | string | null;
  last_used_at: number | string | null;
  rotated_from: string | null;
  replaced_by: string | null;
  grace_until: number | string | null;
}

interface ApiKeyTables {
  [TABLE]: ApiKeyRow;
}

const MIGRATIONS: Record<string, Migration> = {
  "0001_api_keys": {
    async up(db) {
      await db.schema
        .createTable(TABLE)
        .addColumn("id", "text", (column) => column.primaryKey())
        .addColumn("tenant", "text", (column) => column.notNull())
        .addColumn("name", "text")
        .addColumn("env", "text", (column) => column.notNull())
        .addColumn("scopes", "text", (column) => column.notNull())
        .addColumn("hash", "text", (column) => column.notNull())
        .addColumn("created_at", "bigint", (column) => column.notNull())
        .addColumn("expires_at", "bigint")
        .addColumn("revoked_at", "bigint")
        .addColumn("last_used_at", "bigint")
        .addColumn("rotated_from", "text")
        .addColumn("replaced_by", "text")
        .addColumn("grace_until", "bigint")
        .execute();
      await db.schema
        .createIndex(`${TABLE}_tenant`)
        .on(TABLE)
        .columns(["tenant", "created_at"])
        .execute();
    },
  },
};

/** SQLSTATE or SQLite code of a primary key or unique violation. */
const UNIQUE_VIOLATION_CODES = new Set([
  "23505",
  "SQLITE_CONSTRAINT_PRIMARYKEY",
  "SQLITE_CONSTRAINT_UNIQUE",
]);

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && UNIQUE_VIOLATION_CODES.has(code);
}

function toNullableInteger(value: unknown): number | null {
  return value === null || value === undefined ? null : toInteger(value);
}

function parseScopes(text: string): string[] {
  const value: unknown = JSON.parse(text);
  if (
    !Array.isArray(value) ||
    !value.every((scope) => typeof scope === "string")
  ) {
    throw new TypeError("The scopes column is not a JSON list of strings.");
  }
  return value;
}

function fromRow(row: ApiKeyRow): StoredApiKey {
  return {
    id: row.id,
    tenant: row.tenant,
    name: row.name,
    env: row.env,
    scopes: parseScopes(row.scopes),
    hash: row.hash,
    createdAt: toInteger(row.created_at),
    expiresAt: toNullableInteger(row.expires_at),
    revokedAt: toNullableInteger(row.revoked_at),
    lastUsedAt: toNullableInteger(row.last_used_at),
    rotatedFrom: row.rotated_from,
    replacedBy: row.replaced_by,
    graceUntil: toNullableInteger(row.grace_until),
  };
}

function toRow(key: StoredApiKey): ApiKeyRow {
  return {
    id: key.id,
    tenant: key.tenant,
    name: key.name,
    env: key.env,
    scopes: JSON.stringify(key.scopes),
    hash: key.hash,
    created_at: key.createdAt,
    expires_at: key.expiresAt,
    revoked_at: key.revokedAt,
    last_used_at: key.lastUsedAt,
    rotated_from: key.rotatedFrom,
    replaced_by: key.replacedBy,
    grace_until: key.graceUntil,
  };
}

function toColumns(changes: ApiKeyChanges): Partial<ApiKeyRow> {
  const columns: Partial<ApiKeyRow> = {};
  if (changes.revokedAt !== undefined) {
    columns.revoked_at = changes.revokedAt;
  }
  if (changes.lastUsedAt !== undefined) {
    columns.last_used_at = changes.lastUsedAt;
  }
  if (changes.replacedBy !== undefined) {
    columns.replaced_by = changes.replacedBy;
  }
  if (changes.graceUntil !== undefined) {
    columns.grace_until = changes.graceUntil;
  }
  return columns;
}

async function read(
  db: Kysely<ApiKeyTables>,
  id: string,
): Promise<StoredApiKey | undefined> {
  const row = await db
    .selectFrom(TABLE)
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  return row === undefined ? undefined : fromRow(row);
}

/**
 * Opens an API key store in SQLite or PostgreSQL and creates or updates
 * its table, `rf_api_keys`. Times are stored as epoch milliseconds in
 * `bigint` columns and scopes as a JSON list in a text column.
 *
 * @throws SecurityError STORE_FAILED when the database cannot be reached
 * or migrated, or DEPENDENCY_MISSING when its driver is not installed.
 */
export async function createSqlApiKeyStore(
  options: SqlStoreOptions,
): Promise<ApiKeyStore> {
  const { db, run, close } = await openSqlStore<ApiKeyTables>(
    options,
    "api_keys",
    MIGRATIONS,
    "createSqlApiKeyStore",
  );
  return {
    insert: (key) => run("add the API key", () => insert(db, key)),
    get: (id) => run("read the API key", () => read(db, id)),
    list: (tenant) => run("list the API keys", () => list(db, tenant)),
    update: (id, changes) =>
      run("update the API key", () => update(db, id, changes)),
    touch: (id, at, intervalMs) =>
      run("record the API key use", () => touch(db, id, at, intervalMs)),
    rotate: (previousId, graceUntil, successor) =>
      run("rotate the API key", () =>
        rotate(db, previousId, graceUntil, successor),
      ),
    close,
  };
}

async function insert(
  db: Kysely<ApiKeyTables>,
  key: StoredApiKey,
): Promise<void> {
  try {
    await db.insertInto(TABLE).values(toRow(key)).execute();
  } catch (error) {
    throw isUniqueViolation(error) ? duplicateKeyId(key.id) : error;
  }
}

async function list(
  db: Kysely<ApiKeyTables>,
  tenant: string,
): Promise<StoredApiKey[]> {
  const rows = await db
    .selectFrom(TABLE)
    .selectAll()
    .where("tenant", "=", tenant)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map(fromRow);
}

async function update(
  db: Kysely<ApiKeyTables>,
  id: string,
  changes: ApiKeyChanges,
): Promise<StoredApiKey | undefined> {
  const columns = toColumns(changes);
  if (Object.keys(columns).length > 0) {
    await db.updateTable(TABLE).set(columns).where("id", "=", id).execute();
  }
  return read(db, id);
}

async function touch(
  db: Kysely<ApiKeyTables>,
  id: string,
  at: number,
  intervalMs: number,
): Promise<boolean> {
  const result = await db
    .updateTable(TABLE)
    .set({ last_used_at: at })
    .where("id", "=", id)
    .where((eb) =>
      eb.or([
        eb("last_used_at", "is", null),
        eb("last_used_at", "<=", at - intervalMs),
      ]),
    )
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

async function rotate(
  db: Kysely<ApiKeyTables>,
  previousId: string,
  graceUntil: number,
  successor: StoredApiKey,
): Promise<StoredApiKey> {
  return db.transaction().execute(async (transaction) => {
    // The conditions make concurrent rotations of one key conflict: the
    // second update finds replaced_by set and changes no row.
    const result = await transaction
      .updateTable(TABLE)
      .set({ replaced_by: successor.id, grace_until: graceUntil })
      .where("id", "=", previousId)
      .where("revoked_at", "is", null)
      .where("replaced_by", "is", null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) {
      throw rotationConflict(previousId);
    }
    await insert(transaction, successor);
    const previous = await read(transaction, previousId);
    if (previous === undefined) {
      throw rotationConflict(previousId);
    }
    return previous;
  });
}
