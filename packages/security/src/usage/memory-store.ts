import { counterOverflow, passesMaxCounter } from "./counters.js";
import { formatUtcDay } from "./days.js";
import type {
  UsageFilter,
  UsageIncrement,
  UsageRow,
  UsageStore,
} from "./types.js";

function compareRows(a: UsageRow, b: UsageRow): number {
  if (a.dayStart !== b.dayStart) {
    return a.dayStart - b.dayStart;
  }
  if (a.tenant !== b.tenant) {
    return a.tenant < b.tenant ? -1 : 1;
  }
  if (a.keyId !== b.keyId) {
    return a.keyId < b.keyId ? -1 : 1;
  }
  return 0;
}

function matches(row: UsageRow, filter: UsageFilter): boolean {
  return (
    row.dayStart >= filter.fromDayStart &&
    row.dayStart <= filter.toDayStart &&
    (filter.tenant === undefined || row.tenant === filter.tenant) &&
    (filter.keyId === undefined || row.keyId === filter.keyId)
  );
}

/**
 * Creates a usage store in process memory, for tests and single
 * processes. Counters are lost when the process ends, and `close` does
 * nothing.
 */
export function createMemoryUsageStore(): UsageStore {
  const rows = new Map<string, UsageRow>();

  function increment(amounts: UsageIncrement): Promise<void> {
    // JSON keeps the three parts apart whatever characters they contain.
    const id = JSON.stringify([
      amounts.dayStart,
      amounts.tenant,
      amounts.keyId,
    ]);
    const current = rows.get(id);
    if (current !== undefined && passesMaxCounter(current, amounts)) {
      return Promise.reject(counterOverflow(amounts));
    }
    rows.set(id, {
      day: formatUtcDay(amounts.dayStart),
      dayStart: amounts.dayStart,
      tenant: amounts.tenant,
      keyId: amounts.keyId,
      requests: (current?.requests ?? 0) + amounts.requests,
      inputTokens: (current?.inputTokens ?? 0) + amounts.inputTokens,
      outputTokens: (current?.outputTokens ?? 0) + amounts.outputTokens,
      errors: (current?.errors ?? 0) + amounts.errors,
    });
    return Promise.resolve();
  }

  return {
    increment,
    query: (filter) =>
      Promise.resolve(
        [...rows.values()]
          .filter((row) => matches(row, filter))
          .sort(compareRows),
      ),
    close: () => Promise.resolve(),
  };
}
