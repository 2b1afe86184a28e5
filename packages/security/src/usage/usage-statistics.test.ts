import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { SecurityErrorCode } from "../errors.js";
import type { SecurityError } from "../errors.js";
import { sqlTestBackends } from "../storage/test-support.js";
import { createMemoryUsageStore } from "./memory-store.js";
import { createSqlUsageStore } from "./sql-store.js";
import type { UsageStore } from "./types.js";
import { UsageStatistics } from "./usage-statistics.js";
import type { UsageEvent, UsageStatisticsOptions } from "./usage-statistics.js";

const MIDNIGHT = Date.UTC(2026, 2, 1);
const HOUR = 3_600_000;

/** A store under test, and how to open it again or remove it. */
interface OpenedStore {
  readonly store: UsageStore;
  readonly reopen?: () => Promise<UsageStore>;
  cleanup(): Promise<void>;
}

interface StoreBackend {
  readonly name: string;
  open(): Promise<OpenedStore>;
}

const backends: StoreBackend[] = [
  {
    name: "memory",
    open: () =>
      Promise.resolve({
        store: createMemoryUsageStore(),
        cleanup: () => Promise.resolve(),
      }),
  },
  ...sqlTestBackends().map((backend): StoreBackend => ({
    name: backend.name,
    async open() {
      const target = await backend.open();
      return {
        store: await createSqlUsageStore(target.options),
        reopen: () => createSqlUsageStore(target.options),
        cleanup: () => target.cleanup(),
      };
    },
  })),
];

function event(overrides: Partial<UsageEvent> = {}): UsageEvent {
  return {
    keyId: "key-a",
    tenant: "acme",
    inputTokens: 100,
    outputTokens: 20,
    ...overrides,
  };
}

async function rejected(promise: Promise<unknown>): Promise<SecurityError> {
  try {
    await promise;
  } catch (error) {
    return error as SecurityError;
  }
  throw new Error("Expected the promise to reject.");
}

describe.each(backends)("UsageStatistics on $name", (backend) => {
  let opened: OpenedStore;
  let stores: UsageStore[];
  let now: number;
  let statistics: UsageStatistics;

  beforeEach(async () => {
    now = MIDNIGHT + 12 * HOUR;
    opened = await backend.open();
    stores = [opened.store];
    statistics = new UsageStatistics({
      store: opened.store,
      clock: () => now,
    });
  });

  afterEach(async () => {
    for (const store of stores) {
      await store.close();
    }
    await opened.cleanup();
  });

  it("counts requests, tokens and errors", async () => {
    await statistics.recordUsage(event());
    await statistics.recordUsage(
      event({ inputTokens: 5, outputTokens: 0, error: true }),
    );

    const report = await statistics.usage({
      tenant: "acme",
      from: "2026-03-01",
      to: "2026-03-01",
    });
    expect(report.rows).toEqual([
      {
        day: "2026-03-01",
        dayStart: MIDNIGHT,
        tenant: "acme",
        keyId: "key-a",
        requests: 2,
        inputTokens: 105,
        outputTokens: 20,
        errors: 1,
      },
    ]);
    expect(report.totals).toEqual({
      requests: 2,
      inputTokens: 105,
      outputTokens: 20,
      errors: 1,
    });
  });

  it("splits days at UTC midnight", async () => {
    await statistics.recordUsage(event({ at: MIDNIGHT - 1 }));
    await statistics.recordUsage(event({ at: new Date(MIDNIGHT) }));
    await statistics.recordUsage(event({ at: MIDNIGHT + 1 }));

    const report = await statistics.usage({
      tenant: "acme",
      from: new Date(MIDNIGHT - HOUR),
      to: MIDNIGHT + HOUR,
    });
    expect(report.days.map((day) => [day.day, day.requests])).toEqual([
      ["2026-02-28", 1],
      ["2026-03-01", 2],
    ]);
    expect(report.totals.requests).toBe(3);

    const secondDay = await statistics.usage({
      tenant: "acme",
      from: "2026-03-01",
      to: "2026-03-31",
    });
    expect(secondDay.totals.requests).toBe(2);
    const firstDay = await statistics.usage({
      tenant: "acme",
      from: "2026-02-01",
      to: "2026-02-28",
    });
    expect(firstDay.totals.requests).toBe(1);
  });

  it("keeps exact totals under 100 concurrent calls", async () => {
    await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        statistics.recordUsage(
          event({
            inputTokens: index,
            outputTokens: 2,
            error: index % 10 === 0,
          }),
        ),
      ),
    );

    const report = await statistics.usage({
      keyId: "key-a",
      from: now,
      to: now,
    });
    expect(report.rows).toHaveLength(1);
    expect(report.totals).toEqual({
      requests: 100,
      inputTokens: 4950,
      outputTokens: 200,
      errors: 10,
    });
  });

  it("keeps tenants and keys apart", async () => {
    await statistics.recordUsage(event({ tenant: "acme", keyId: "key-a" }));
    await statistics.recordUsage(event({ tenant: "acme", keyId: "key-b" }));
    await statistics.recordUsage(
      event({ tenant: "globex", keyId: "key-c", inputTokens: 7 }),
    );
    const range = { from: "2026-03-01", to: "2026-03-01" };

    const acme = await statistics.usage({ tenant: "acme", ...range });
    expect(acme.rows.map((row) => row.keyId)).toEqual(["key-a", "key-b"]);
    expect(acme.rows.every((row) => row.tenant === "acme")).toBe(true);
    expect(acme.days).toHaveLength(1);
    expect(acme.days[0]?.requests).toBe(2);
    expect(acme.totals.inputTokens).toBe(200);

    const globex = await statistics.usage({ tenant: "globex", ...range });
    expect(globex.totals).toEqual({
      requests: 1,
      inputTokens: 7,
      outputTokens: 20,
      errors: 0,
    });

    const oneKey = await statistics.usage({ keyId: "key-b", ...range });
    expect(oneKey.rows.map((row) => row.keyId)).toEqual(["key-b"]);
    const crossed = await statistics.usage({
      tenant: "globex",
      keyId: "key-a",
      ...range,
    });
    expect(crossed.rows).toEqual([]);

    const everyone = await statistics.usage(range);
    expect(everyone.totals.requests).toBe(3);
  });

  it("returns zero totals for an empty range", async () => {
    const report = await statistics.usage({
      tenant: "acme",
      from: "2026-01-01",
      to: "2026-01-31",
    });
    expect(report.rows).toEqual([]);
    expect(report.days).toEqual([]);
    expect(report.totals).toEqual({
      requests: 0,
      inputTokens: 0,
      outputTokens: 0,
      errors: 0,
    });
  });

  it("rejects an increment that passes the maximum counter", async () => {
    const max = Number.MAX_SAFE_INTEGER;
    await statistics.recordUsage(event({ inputTokens: max - 1 }));
    await statistics.recordUsage(event({ inputTokens: 1, outputTokens: 0 }));

    const error = await rejected(
      statistics.recordUsage(event({ inputTokens: 1, outputTokens: 0 })),
    );
    const other = await rejected(
      statistics.recordUsage(event({ inputTokens: 0, outputTokens: max })),
    );

    for (const failure of [error, other]) {
      expect(failure.code).toBe(SecurityErrorCode.INVALID_INPUT);
      expect(failure.message).toContain(String(max));
      expect(failure.message).toContain("2026-03-01");
    }
    const report = await statistics.usage({ from: now, to: now });
    expect(report.totals).toEqual({
      requests: 2,
      inputTokens: max,
      outputTokens: 20,
      errors: 0,
    });
  });

  it("rejects ids that SQL stores would change", async () => {
    const invalid = [
      { overrides: { tenant: "x\uD800" }, path: "tenant" },
      { overrides: { tenant: "x\uDBFF" }, path: "tenant" },
      { overrides: { keyId: "\uDC00key" }, path: "keyId" },
    ];
    for (const { overrides, path } of invalid) {
      const error = await rejected(statistics.recordUsage(event(overrides)));
      expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
      expect(error.issues.map((issue) => issue.path)).toEqual([path]);
      expect(error.message).toContain("lone UTF-16 surrogate");
    }
    const query = await rejected(
      statistics.usage({ tenant: "x\uD800", from: now, to: now }),
    );
    expect(query.issues.map((issue) => issue.path)).toEqual(["tenant"]);

    await statistics.recordUsage(event({ tenant: "x\u{1F600}" }));
    const report = await statistics.usage({ from: now, to: now });
    expect(report.rows.map((row) => row.tenant)).toEqual(["x\u{1F600}"]);
  });

  it("counts days in the years 0000 to 0099", async () => {
    const day = new Date(0);
    day.setUTCFullYear(50, 0, 2);
    await statistics.recordUsage(event({ at: day }));

    const report = await statistics.usage({
      from: "0050-01-02",
      to: "0050-01-02",
    });

    expect(report.rows.map((row) => [row.day, row.dayStart])).toEqual([
      ["0050-01-02", day.getTime()],
    ]);
  });

  it.runIf(backend.name !== "memory")(
    "keeps counters across a second store",
    async () => {
      if (opened.reopen === undefined) {
        throw new Error("A SQL backend must open a second store.");
      }
      await statistics.recordUsage(event());
      await opened.store.close();
      const second = await opened.reopen();
      stores.push(second);

      const restarted = new UsageStatistics({ store: second });
      await restarted.recordUsage(event({ at: now }));
      const report = await restarted.usage({ from: now, to: now });
      expect(report.totals.requests).toBe(2);
      await expect(statistics.recordUsage(event())).rejects.toMatchObject({
        code: SecurityErrorCode.STORE_FAILED,
      });
    },
  );
});

describe("UsageStatistics validation", () => {
  const statistics = new UsageStatistics({ store: createMemoryUsageStore() });

  it("lists every invalid option", () => {
    let error: SecurityError | undefined;
    try {
      new UsageStatistics({
        store: {},
        clock: 5,
        retention: 30,
      } as unknown as UsageStatisticsOptions);
    } catch (caught) {
      error = caught as SecurityError;
    }
    expect(error?.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error?.issues.map((issue) => issue.path)).toEqual([
      "retention",
      "store",
      "clock",
    ]);
  });

  it("lists every invalid event value", async () => {
    const error = await rejected(
      statistics.recordUsage({
        keyId: "",
        tenant: 4,
        inputTokens: -1,
        error: "yes",
        at: "noon",
      } as never),
    );
    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.issues.map((issue) => issue.path)).toEqual([
      "keyId",
      "tenant",
      "inputTokens",
      "outputTokens",
      "error",
      "at",
    ]);
    const tokens = error.issues.find((issue) => issue.path === "inputTokens");
    expect(tokens?.value).toBe(-1);
  });

  it("lists every invalid query value", async () => {
    const error = await rejected(
      statistics.usage({
        tenant: "",
        from: "2026-02-30",
        to: "March",
      }),
    );
    expect(error.issues.map((issue) => issue.path)).toEqual([
      "tenant",
      "from",
      "to",
    ]);
  });

  it("rejects a range that ends before it starts", async () => {
    const error = await rejected(
      statistics.usage({ from: "2026-03-02", to: "2026-03-01" }),
    );
    expect(error.issues.map((issue) => issue.path)).toEqual(["to"]);
    expect(error.message).toContain("must not be before");
  });
});
