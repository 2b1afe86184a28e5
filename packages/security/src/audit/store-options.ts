import { describeValue, type SecurityIssue } from "../errors.js";
import { isAuditStore } from "./store.js";

const STORE_EXAMPLES =
  'an AuditStore, { jsonl: "audit.jsonl" }, { sqlite: "audit.db" } or { postgres: "postgres://host/db" }';

const BACKENDS = ["jsonl", "sqlite", "postgres"] as const;

/** Valid options of each backend's store options. */
const BACKEND_OPTIONS: Readonly<
  Record<(typeof BACKENDS)[number], readonly string[]>
> = {
  jsonl: ["jsonl", "checkpointFile", "keyFile", "fsync"],
  sqlite: ["sqlite"],
  postgres: ["postgres"],
};

/**
 * Adds an issue for each problem of a `store` value: anything that is
 * neither an opened AuditStore nor options naming exactly one backend
 * with valid settings and no unknown options.
 * @param path Name of the value in messages, such as "store".
 */
export function checkStoreOptions(
  store: unknown,
  issues: SecurityIssue[],
  path = "store",
): void {
  if (isAuditStore(store)) {
    return;
  }
  if (typeof store !== "object" || store === null) {
    issues.push({
      path,
      value: store,
      message:
        store === undefined
          ? `${path} is missing. Pass ${STORE_EXAMPLES}.`
          : `${path} must be ${STORE_EXAMPLES} (received ${describeValue(store)}).`,
    });
    return;
  }
  const record = store as Record<string, unknown>;
  const named = BACKENDS.filter((backend) => backend in record);
  const backend = named[0];
  if (backend === undefined || named.length > 1) {
    issues.push({
      path,
      value: store,
      message:
        backend === undefined
          ? `${path} ${describeValue(store)} names no backend. Pass { jsonl }, { sqlite } or { postgres }, or an AuditStore.`
          : `${path} names ${named.length} backends (${named.join(", ")}). Pass exactly one of jsonl, sqlite and postgres.`,
    });
    return;
  }
  checkUnknownOptions(record, BACKEND_OPTIONS[backend], path, issues);
  if (backend === "jsonl") {
    checkJsonlOptions(record, path, issues);
  } else {
    checkDatabase(record[backend], backend, path, issues);
  }
}

/**
 * Adds an issue for each option not in `names`. The value is left out,
 * because a mistyped option may contain a secret such as a password.
 */
function checkUnknownOptions(
  record: Record<string, unknown>,
  names: readonly string[],
  path: string,
  issues: SecurityIssue[],
): void {
  for (const key of Object.keys(record)) {
    if (!names.includes(key)) {
      issues.push({
        path: `${path}.${key}`,
        value: undefined,
        message: `Unknown option "${key}" in ${path}. Valid options are ${names.join(", ")}.`,
      });
    }
  }
}

function checkJsonlOptions(
  record: Record<string, unknown>,
  path: string,
  issues: SecurityIssue[],
): void {
  const { jsonl, fsync } = record;
  if (typeof jsonl !== "string" || jsonl === "") {
    issues.push({
      path: `${path}.jsonl`,
      value: jsonl,
      message: `${path}.jsonl must be the path of the log file.`,
    });
  }
  for (const field of ["checkpointFile", "keyFile"] as const) {
    const value = record[field];
    if (value !== undefined && (typeof value !== "string" || value === "")) {
      issues.push({
        path: `${path}.${field}`,
        value,
        message: `${path}.${field} must be a file path when given.`,
      });
    }
  }
  if (fsync !== undefined && typeof fsync !== "boolean") {
    issues.push({
      path: `${path}.fsync`,
      value: fsync,
      message: `${path}.fsync must be true or false.`,
    });
  }
}

/**
 * Adds an issue unless a database is a non-empty string (a file path or
 * connection string) or an object (an open client). The client's methods
 * are not checked here: the driver reports a wrong object when used.
 */
function checkDatabase(
  value: unknown,
  backend: "sqlite" | "postgres",
  path: string,
  issues: SecurityIssue[],
): void {
  if (
    (typeof value === "string" && value !== "") ||
    (typeof value === "object" && value !== null)
  ) {
    return;
  }
  const expected =
    backend === "sqlite"
      ? "the path of a SQLite file or an open better-sqlite3 Database"
      : "a PostgreSQL connection string or a pg Pool";
  issues.push({
    path: `${path}.${backend}`,
    value,
    message: `${path}.${backend} must be ${expected} (received ${describeValue(value)}).`,
  });
}
