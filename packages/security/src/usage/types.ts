/** Counters of usage over some period. */
export interface UsageCounts {
  readonly requests: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Requests that ended in an error; also counted in `requests`. */
  readonly errors: number;
}

/** Usage of one key of one tenant on one UTC day. */
export interface UsageRow extends UsageCounts {
  /** The UTC day as `YYYY-MM-DD`. */
  readonly day: string;
  /** Start of the UTC day in epoch milliseconds. */
  readonly dayStart: number;
  readonly tenant: string;
  readonly keyId: string;
}

/** Amounts to add to the counters of one key, tenant and day. */
export interface UsageIncrement extends UsageCounts {
  /** Start of the UTC day in epoch milliseconds. */
  readonly dayStart: number;
  readonly tenant: string;
  readonly keyId: string;
}

/** Rows to read: both filters are optional; days are inclusive. */
export interface UsageFilter {
  readonly tenant?: string;
  readonly keyId?: string;
  /** Start of the first UTC day, in epoch milliseconds. */
  readonly fromDayStart: number;
  /** Start of the last UTC day, in epoch milliseconds. */
  readonly toDayStart: number;
}

/**
 * Storage of daily usage counters. Implementations: the memory store,
 * and the SQL store for SQLite and PostgreSQL.
 */
export interface UsageStore {
  /**
   * Adds the amounts to the row of the key, tenant and day, creating it
   * at zero first. The addition is atomic, so concurrent increments of
   * one row all count.
   * @throws SecurityError INVALID_INPUT, changing nothing, when a counter
   * would pass `Number.MAX_SAFE_INTEGER`.
   */
  increment(increment: UsageIncrement): Promise<void>;
  /**
   * Reads matching rows ordered by day, then tenant, then key id. SQL
   * stores compare strings in the database's collation.
   */
  query(filter: UsageFilter): Promise<UsageRow[]>;
  /** Releases the database client if the store opened it; idempotent. */
  close(): Promise<void>;
}
