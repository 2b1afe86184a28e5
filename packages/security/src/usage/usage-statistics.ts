import { describeValue } from "../errors.js";
import type { SecurityIssue } from "../errors.js";
import {
  checkClock,
  checkCount,
  checkId,
  checkKnownNames,
  checkTime,
  requireObject,
  throwIfInvalid,
} from "../keys/validation.js";
import { formatUtcDay, toUtcDayStart, utcDayStart } from "./days.js";
import type {
  UsageCounts,
  UsageFilter,
  UsageIncrement,
  UsageRow,
  UsageStore,
} from "./types.js";

/** Options of {@link UsageStatistics}. */
export interface UsageStatisticsOptions {
  /** Store of the daily counters. */
  readonly store: UsageStore;
  /** Current time in epoch milliseconds. @default Date.now */
  readonly clock?: () => number;
}

/** One request to count. */
export interface UsageEvent {
  readonly keyId: string;
  readonly tenant: string;
  /** Tokens sent to the model, a non-negative integer. */
  readonly inputTokens: number;
  /** Tokens the model returned, a non-negative integer. */
  readonly outputTokens: number;
  /** Whether the request ended in an error. @default false */
  readonly error?: boolean;
  /** Time of the request; picks its UTC day. @default the clock */
  readonly at?: Date | number;
}

/**
 * Usage to read. `from` and `to` name UTC days, both included: a
 * `YYYY-MM-DD` string, or a `Date` or epoch milliseconds, which stand for
 * the UTC day that contains them. Leave out `tenant` and `keyId` to read
 * every tenant.
 */
export interface UsageQuery {
  readonly tenant?: string;
  readonly keyId?: string;
  readonly from: string | Date | number;
  readonly to: string | Date | number;
}

/** Usage summed over the matching keys on one UTC day. */
export interface UsageDay extends UsageCounts {
  /** The UTC day as `YYYY-MM-DD`. */
  readonly day: string;
  readonly dayStart: number;
}

/** The result of {@link UsageStatistics.usage}. */
export interface UsageReport {
  /** One row a key, tenant and day, ordered by day, tenant and key id. */
  readonly rows: readonly UsageRow[];
  /** One entry a day that has usage, in day order. */
  readonly days: readonly UsageDay[];
  /**
   * Sums over all rows.
   * NOTE: stores keep each counter of a row at most
   * `Number.MAX_SAFE_INTEGER`, but a sum over many rows above that value
   * is rounded.
   */
  readonly totals: UsageCounts;
}

const ZERO: UsageCounts = {
  requests: 0,
  inputTokens: 0,
  outputTokens: 0,
  errors: 0,
};

function add(sum: UsageCounts, row: UsageCounts): UsageCounts {
  return {
    requests: sum.requests + row.requests,
    inputTokens: sum.inputTokens + row.inputTokens,
    outputTokens: sum.outputTokens + row.outputTokens,
    errors: sum.errors + row.errors,
  };
}

/**
 * Counts requests, input and output tokens and errors per API key and
 * tenant per UTC day, and reads them back with totals.
 */
export class UsageStatistics {
  private readonly store: UsageStore;
  private readonly clock: () => number;

  /** @throws SecurityError INVALID_OPTIONS listing every invalid option. */
  constructor(options: UsageStatisticsOptions) {
    const record = requireObject(options, "Usage options", "{ store }");
    const issues: SecurityIssue[] = [];
    checkKnownNames(record, ["store", "clock"], issues);
    const store = checkUsageStore(record.store, issues);
    const clock = checkClock(record.clock, issues);
    throwIfInvalid(issues);
    this.store = store as UsageStore;
    this.clock = clock;
  }

  /**
   * Counts one request on the UTC day of `at`. Concurrent calls for the
   * same key and day all count.
   * @throws SecurityError INVALID_OPTIONS listing every invalid value,
   * INVALID_INPUT, recording nothing, when a counter of the key's day
   * would pass `Number.MAX_SAFE_INTEGER`, or STORE_FAILED when the store
   * fails.
   */
  async recordUsage(event: UsageEvent): Promise<void> {
    await this.store.increment(checkEvent(event, this.clock));
  }

  /**
   * Reads usage per key and day between two UTC days, both included,
   * with sums per day and in total.
   * @throws SecurityError INVALID_OPTIONS listing every invalid value, or
   * STORE_FAILED when the store fails.
   */
  async usage(query: UsageQuery): Promise<UsageReport> {
    const filter = checkQuery(query);
    const rows = await this.store.query(filter);
    const days = new Map<number, UsageDay>();
    let totals = ZERO;
    for (const row of rows) {
      const day = days.get(row.dayStart) ?? {
        day: formatUtcDay(row.dayStart),
        dayStart: row.dayStart,
        ...ZERO,
      };
      days.set(row.dayStart, { ...day, ...add(day, row) });
      totals = add(totals, row);
    }
    return { rows, days: [...days.values()], totals };
  }
}

function checkUsageStore(
  value: unknown,
  issues: SecurityIssue[],
): UsageStore | undefined {
  const methods = value as Record<string, unknown> | null;
  const valid =
    typeof value === "object" &&
    methods !== null &&
    typeof methods.increment === "function" &&
    typeof methods.query === "function";
  if (valid) {
    return value as UsageStore;
  }
  issues.push({
    path: "store",
    value,
    message:
      "store must be a usage store such as createMemoryUsageStore() or " +
      `await createSqlUsageStore(...) (received ${describeValue(value)}).`,
  });
  return undefined;
}

const EVENT_NAMES = [
  "keyId",
  "tenant",
  "inputTokens",
  "outputTokens",
  "error",
  "at",
];

/** Checks a usage event and turns it into the increment of one request. */
function checkEvent(event: unknown, clock: () => number): UsageIncrement {
  const record = requireObject(
    event,
    "Usage event",
    '{ keyId, tenant: "acme", inputTokens: 120, outputTokens: 40 }',
  );
  const issues: SecurityIssue[] = [];
  checkKnownNames(record, EVENT_NAMES, issues);
  checkId(record.keyId, "keyId", issues);
  checkId(record.tenant, "tenant", issues);
  const inputTokens = requireCount(record.inputTokens, "inputTokens", issues);
  const outputTokens = requireCount(
    record.outputTokens,
    "outputTokens",
    issues,
  );
  const { error } = record;
  if (error !== undefined && typeof error !== "boolean") {
    issues.push({
      path: "error",
      value: error,
      message: `error must be true or false (received ${describeValue(error)}).`,
    });
  }
  const at = checkTime(record.at, "at", issues) ?? clock();
  throwIfInvalid(issues);

  return {
    dayStart: utcDayStart(at),
    tenant: record.tenant as string,
    keyId: record.keyId as string,
    requests: 1,
    inputTokens,
    outputTokens,
    errors: error === true ? 1 : 0,
  };
}

function requireCount(
  value: unknown,
  path: string,
  issues: SecurityIssue[],
): number {
  if (value === undefined) {
    issues.push({
      path,
      value,
      message: `${path} is missing; pass a non-negative integer such as 0.`,
    });
    return 0;
  }
  return checkCount(value, path, 0, issues);
}

function checkQuery(query: unknown): UsageFilter {
  const record = requireObject(
    query,
    "Usage query",
    '{ tenant: "acme", from: "2026-01-01", to: "2026-01-31" }',
  );
  const issues: SecurityIssue[] = [];
  checkKnownNames(record, ["tenant", "keyId", "from", "to"], issues);
  for (const path of ["tenant", "keyId"] as const) {
    if (record[path] !== undefined) {
      checkId(record[path], path, issues);
    }
  }
  const from = checkDay(record.from, "from", issues);
  const to = checkDay(record.to, "to", issues);
  if (from !== undefined && to !== undefined && from > to) {
    issues.push({
      path: "to",
      value: record.to,
      message: `to (${formatUtcDay(to)}) must not be before from (${formatUtcDay(from)}).`,
    });
  }
  throwIfInvalid(issues);
  return {
    ...(record.tenant === undefined ? {} : { tenant: record.tenant as string }),
    ...(record.keyId === undefined ? {} : { keyId: record.keyId as string }),
    fromDayStart: from ?? 0,
    toDayStart: to ?? 0,
  };
}

function checkDay(
  value: unknown,
  path: string,
  issues: SecurityIssue[],
): number | undefined {
  const dayStart = toUtcDayStart(value);
  if (dayStart === undefined) {
    issues.push({
      path,
      value,
      message:
        `${path} must be a UTC day as "YYYY-MM-DD", a Date or epoch ` +
        `milliseconds (received ${describeValue(value)}).`,
    });
  }
  return dayStart;
}
