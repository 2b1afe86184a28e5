import { describe, expect, it } from "vitest";

import { isResilienceError, type ResilienceError } from "./errors.js";
import { createMemoryGuard, type ShedEvent } from "./memory-guard.js";
import { codeOf, rejectionOf, thrownBy } from "./test-support/errors.js";

const MiB = 1024 * 1024;

describe("createMemoryGuard", () => {
  it("passes while memory is below both watermarks", async () => {
    const guard = createMemoryGuard({
      maxHeapUsedBytes: 100 * MiB,
      maxRssBytes: 200 * MiB,
      read: () => ({ heapUsed: 50 * MiB, rss: 150 * MiB }),
    });
    expect(guard.check()).toEqual({ heapUsed: 50 * MiB, rss: 150 * MiB });
    await expect(guard.run(() => "ran")).resolves.toBe("ran");
    expect(guard.exceeded()).toEqual([]);
  });

  it("sheds work above the heap watermark and names it", async () => {
    const guard = createMemoryGuard({
      maxHeapUsedBytes: 100 * MiB,
      read: () => ({ heapUsed: 150 * MiB, rss: 10 * MiB }),
    });
    const sheds: ShedEvent[] = [];
    guard.onShed((event) => sheds.push(event));
    let ran = false;
    const error = await rejectionOf(
      guard.run(() => {
        ran = true;
      }),
    );
    expect(ran).toBe(false);
    expect(codeOf(error)).toBe("OVERLOADED");
    expect((error as ResilienceError).status).toBe(503);
    expect((error as Error).message).toContain(
      "heap used 150.0 MiB is above maxHeapUsedBytes 100.0 MiB",
    );
    expect(sheds[0]?.exceeded).toEqual([
      {
        watermark: "maxHeapUsedBytes",
        limitBytes: 100 * MiB,
        valueBytes: 150 * MiB,
      },
    ]);
  });

  it("sheds work above the RSS watermark", () => {
    const guard = createMemoryGuard({
      maxHeapUsedBytes: 100 * MiB,
      maxRssBytes: 200 * MiB,
      read: () => ({ heapUsed: 150 * MiB, rss: 300 * MiB }),
    });
    const error = thrownBy(() => guard.check());
    const exceeded = isResilienceError(error) ? error.details.exceeded : [];
    expect(
      (exceeded as { watermark: string }[]).map((entry) => entry.watermark),
    ).toEqual(["maxHeapUsedBytes", "maxRssBytes"]);
    expect((error as Error).message).toContain(
      "RSS 300.0 MiB is above maxRssBytes 200.0 MiB",
    );
  });

  it("follows the reader as memory falls again", () => {
    let heapUsed = 150 * MiB;
    const guard = createMemoryGuard({
      maxHeapUsedBytes: 100 * MiB,
      read: () => ({ heapUsed, rss: 0 }),
    });
    expect(() => guard.check()).toThrow();
    heapUsed = 90 * MiB;
    expect(guard.check().heapUsed).toBe(90 * MiB);
  });

  it("reads the real process by default", () => {
    const guard = createMemoryGuard();
    expect(guard.maxHeapUsedBytes).toBeGreaterThan(0);
    expect(guard.maxRssBytes).toBeUndefined();
    expect(guard.check().heapUsed).toBeGreaterThan(0);
  });

  it("rejects a reading that is not byte counts", () => {
    const readings: unknown[] = [
      { heapUsed: Number.NaN, rss: 0 },
      { heapUsed: 1, rss: -1 },
      { heapUsed: "1", rss: 0 },
      undefined,
    ];
    for (const reading of readings) {
      const guard = createMemoryGuard({
        maxHeapUsedBytes: 100,
        read: () => reading as never,
      });
      const error = thrownBy(() => guard.check());
      expect(codeOf(error)).toBe("INVALID_OPTIONS");
      expect((error as Error).message).toContain(
        "read must return { heapUsed, rss } as byte counts",
      );
      expect(codeOf(thrownBy(() => guard.exceeded()))).toBe("INVALID_OPTIONS");
    }
  });

  it("reports invalid options", () => {
    const error = thrownBy(() =>
      createMemoryGuard({
        maxHeapUsedBytes: -1,
        maxRssBytes: 0,
        read: "process" as never,
      }),
    );
    const paths = isResilienceError(error)
      ? error.issues.map((issue) => issue.path)
      : [];
    expect(paths).toEqual(["maxHeapUsedBytes", "maxRssBytes", "read"]);
  });
});
