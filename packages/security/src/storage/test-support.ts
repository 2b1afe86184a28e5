import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import pg from "pg";

import type { SqlStoreOptions } from "./sql.js";

/** The PostgreSQL server the tests use; CI runs one on loopback. */
export const TEST_POSTGRES_URL =
  process.env.RETRIEVAL_FREE_POSTGRES_URL ??
  "postgres://postgres@127.0.0.1:5432/test";

/** A database prepared for one test, and how to remove it. */
export interface SqlTestTarget {
  readonly options: SqlStoreOptions;
  cleanup(): Promise<void>;
}

/** One backend that a shared store suite runs against. */
export interface SqlTestBackend {
  readonly name: "sqlite" | "postgres";
  open(): Promise<SqlTestTarget>;
}

/** Tells whether the PostgreSQL tests are switched off for this run. */
export const SKIP_POSTGRES = process.env.RETRIEVAL_FREE_SKIP_POSTGRES === "1";

/**
 * The backends of the shared store suites: a SQLite file in a temporary
 * folder, and a fresh PostgreSQL schema. PostgreSQL is required unless
 * RETRIEVAL_FREE_SKIP_POSTGRES=1 is set, so a missing server fails CI.
 */
export function sqlTestBackends(): SqlTestBackend[] {
  const backends: SqlTestBackend[] = [
    { name: "sqlite", open: openSqliteTarget },
  ];
  if (!SKIP_POSTGRES) {
    backends.push({ name: "postgres", open: openPostgresTarget });
  }
  return backends;
}

async function openSqliteTarget(): Promise<SqlTestTarget> {
  const folder = await mkdtemp(join(tmpdir(), "rf-security-sql-"));
  return {
    options: { sqlite: join(folder, "store.db") },
    cleanup: () => rm(folder, { recursive: true, force: true }),
  };
}

/**
 * Creates a schema with a random name and a pool whose connections use
 * it, so test files running in parallel never see each other's tables.
 */
async function openPostgresTarget(): Promise<SqlTestTarget> {
  const schema = `rf_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL at ${TEST_POSTGRES_URL} is not reachable. Start it, set ` +
        "RETRIEVAL_FREE_POSTGRES_URL, or set RETRIEVAL_FREE_SKIP_POSTGRES=1 " +
        "to skip the PostgreSQL tests.",
      { cause: error },
    );
  }
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const pool = new pg.Pool({
    connectionString: TEST_POSTGRES_URL,
    options: `-c search_path=${schema}`,
    max: 4,
  });
  return {
    options: { postgres: pool },
    async cleanup() {
      await pool.end();
      const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}
