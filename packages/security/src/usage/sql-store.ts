import { sql, type Kysely, type Migration } from "kysely";

import {
  openSqlStore,
  toInteger,
  type SqlStoreOptions,
} from "../storage/sql.js";
import { counterOverflow, MAX_USAGE_COUNTER } from "./counters.js";
import { formatUtcDay } from "./days.js";
import type {
  UsageFilter,
  UsageIncrement,
  UsageRow,
  UsageStore,
} from "./types.js";

const TABLE = "rf_usage_daily";

/** Counter columns, which an increment adds to. */
const COUNTER_COLUMNS = [
  "requests",
  "input_tokens",
  "output_tokens",
  "errors",
] as const;

/**
 * Condition of the update of an existing row: every counter plus the
 * amount of the conflicting insert (`excluded`) stays at most
 * {@link MAX_USAGE_COUNTER}.
 */
const COUNTERS_STAY_SAFE = sql<boolean>`${sql.join(
  COUNTER_COLUMNS.map(
    (column) =>
      sql`${sql.ref(`${TABLE}.${column}`)} + ${sql.ref(`excluded.${column}`)} <= ${sql.lit(MAX_USAGE_COUNTER)}`,
  ),
  sql` and `,
)}`;

/** Row of the `rf_usage_daily` table; PostgreSQL returns bigint as string. */
interface UsageTableRow {
  day_start: number | string;
  tenant: string;
  key_id: string;
  requests: number | string;
  input_tokens: number | string;
  output_tokens: number | string;
  errors: number | string;
}

interface UsageTables {
  [TABLE]: UsageTableRow;
}

const MIGRATIONS: Record<string, Migration> = {
  "0001_usage_daily": {
    async up(db) {
      await db.schema
        .createTable(TABLE)
        .addColumn("day_start", "bigint", (column) => column.notNull())
        .addColumn("tenant", "text", (column) => column.notNull())
        .addColumn("key_id", "text", (column) => column.notNull())
        .addColumn("requests", "bigint", (column) => column.notNull())
        .addColumn("input_tokens", "bigint", (column) => column.notNull())
        .addColumn("output_tokens", "bigint", (column) => column.notNull())
        .addColumn("errors", "bigint", (column) => column.notNull())
        .addPrimaryKeyConstraint(`${TABLE}_pkey`, [
          "day_start",
          "tenant",
          "key_id",
        ])
        .execute();
      await db.schema
        .createIndex(`${TABLE}_tenant`)
        .on(TABLE)
        .columns(["tenant", "day_start"])
        .execute();
      await db.schema
        .createIndex(`${TABLE}_key`)
        .on(TABLE)
        .columns(["key_id", "day_start"])
        .execute();
    },
  },
};

function fromRow(row: UsageTableRow): UsageRow {
  const dayStart = toInteger(row.day_start);
  return {
    day: formatUtcDay(dayStart),
    dayStart,
    tenant: row.tenant,
    keyId: row.key_id,
    requests: toInteger(row.requests),
    inputTokens: toInteger(row.input_tokens),
    outputTokens: toInteger(row.output_tokens),
    errors: toInteger(row.errors),
  };
}

/**
 * Opens a usage store in SQLite or PostgreSQL and creates or updates its
 * table, `rf_usage_daily`: one row a key, tenant and UTC day, with
 * `bigint` counters.
 *
 * @throws SecurityError STORE_FAILED when the database cannot be reached
 * or migrated, or DEPENDENCY_MISSING when its driver is not installed.
 */
export async function createSqlUsageStore(
  options: SqlStoreOptions,
): Promise<UsageStore> {
  const { db, run, close } = await openSqlStore<UsageTables>(
    options,
    "usage",
    MIGRATIONS,
    "createSqlUsageStore",
  );
  return {
    increment: (amounts) =>
      run("record the usage", () => increment(db, amounts)),
    query: (filter) => run("read the usage", () => query(db, filter)),
    close,
  };
}

/**
 * Adds to the counters in one INSERT ... ON CONFLICT DO UPDATE statement.
 * SQLite (3.24 or later) and PostgreSQL (9.5 or later) both run it as one
 * atomic step, so concurrent increments of a row are never lost. The
 * update runs only while every counter stays at most
 * {@link MAX_USAGE_COUNTER}. Stored counters and amounts are safe
 * integers, so the sums in that check fit in 64 bits.
 */
async function increment(
  db: Kysely<UsageTables>,
  amounts: UsageIncrement,
): Promise<void> {
  const result = await db
    .insertInto(TABLE)
    .values({
      day_start: amounts.dayStart,
      tenant: amounts.tenant,
      key_id: amounts.keyId,
      requests: amounts.requests,
      input_tokens: amounts.inputTokens,
      output_tokens: amounts.outputTokens,
      errors: amounts.errors,
    })
    .onConflict((conflict) =>
      conflict
        .columns(["day_start", "tenant", "key_id"])
        .doUpdateSet((eb) => ({
          requests: eb(`${TABLE}.requests`, "+", eb.ref("excluded.requests")),
          input_tokens: eb(
            `${TABLE}.input_tokens`,
            "+",
            eb.ref("excluded.input_tokens"),
          ),
          output_tokens: eb(
            `${TABLE}.output_tokens`,
            "+",
            eb.ref("excluded.output_tokens"),
          ),
          errors: eb(`${TABLE}.errors`, "+", eb.ref("excluded.errors")),
        }))
        .where(COUNTERS_STAY_SAFE),
    )
    .executeTakeFirst();
  // A conflicting row whose update the guard skipped counts no row.
  if (result.numInsertedOrUpdatedRows === BigInt(0)) {
    throw counterOverflow(amounts);
  }
}

async function query(
  db: Kysely<UsageTables>,
  filter: UsageFilter,
): Promise<UsageRow[]> {
  let select = db
    .selectFrom(TABLE)
    .selectAll()
    .where("day_start", ">=", filter.fromDayStart)
    .where("day_start", "<=", filter.toDayStart);
  if (filter.tenant !== undefined) {
    select = select.where("tenant", "=", filter.tenant);
  }
  if (filter.keyId !== undefined) {
    select = select.where("key_id", "=", filter.keyId);
  }
  const rows = await select
    .orderBy("day_start")
    .orderBy("tenant")
    .orderBy("key_id")
    .execute();
  return rows.map(fromRow);
}
