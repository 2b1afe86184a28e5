import type { SqlStoreOptions } from "../storage/sql.js";
import {
  openJsonlAuditStore,
  type JsonlAuditStoreOptions,
} from "./jsonl-store.js";
import { openSqlAuditStore } from "./sql-store.js";
import type { AuditStore } from "./types.js";

/** Location of an audit log: a JSON Lines file or a SQL database. */
export type AuditStoreOptions = JsonlAuditStoreOptions | SqlStoreOptions;

/**
 * Opens the audit store that `options` names: `{ jsonl: "audit.jsonl" }`,
 * `{ sqlite: "audit.db" }` or `{ postgres: "postgres://host/db" }`.
 */
export function openAuditStore(
  options: AuditStoreOptions,
): Promise<AuditStore> {
  return "jsonl" in options
    ? openJsonlAuditStore(options)
    : openSqlAuditStore(options);
}

/** Tells whether a value is an opened store rather than store options. */
export function isAuditStore(value: unknown): value is AuditStore {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<AuditStore>).appendEntry === "function"
  );
}
