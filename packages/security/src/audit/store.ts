import type { SqlStoreOptions } from "../storage/sql.js";
import {
  openJsonlAuditStore,
  type JsonlAuditStoreOptions,
} from "./jsonl-store.js";
import { openSqlAuditStore } from "./sql-store.js";
import type { AuditStore } from "./types.js";

/** Location of an audit log: a JSON Lines file or a SQL database. */
export type AuditStoreOptions = JsonlAuditStoreOptions | SqlStoreOptions;

/** Settings of {@link openAuditStore}. */
export interface AuditStoreSettings {
  /**
   * Opens for reading only, as verification does: appends are rejected,
   * SQL tables are neither created nor changed, and a SQLite file is
   * opened read-only.
   * @default false
   */
  readonly readOnly?: boolean;
}

/**
 * Opens the audit store that `options` names: `{ jsonl: "audit.jsonl" }`,
 * `{ sqlite: "audit.db" }` or `{ postgres: "postgres://host/db" }`.
 */
export function openAuditStore(
  options: AuditStoreOptions,
  settings: AuditStoreSettings = {},
): Promise<AuditStore> {
  return "jsonl" in options
    ? openJsonlAuditStore(options, settings)
    : openSqlAuditStore(options, settings);
}

/** Tells whether a value is an opened store rather than store options. */
export function isAuditStore(value: unknown): value is AuditStore {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<AuditStore>).appendEntry === "function"
  );
}
