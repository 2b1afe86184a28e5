import { describe, expect, it } from "vitest";

import { createBulkhead } from "./bulkhead.js";
import { createDeferred, type Deferred } from "./test-support/deferred.js";
import { codeOf, rejectionOf } from "./test-support/errors.js";

/** Settles after every pending promise callback has run. */
const flush = (): Promise<void> =>
  new Promise((resolve) => setImmediate(resolve));

describe("bulkhead under load", () => {
  it("starts queued calls first in, first out", async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 3, maxQueue: 100 });
    const started: number[] = [];
    const gates = new Map<number, Deferred<number>>();
    const calls = Array.from({ length: 50 }, (_, index) =>
      bulkhead.execute(() => {
        started.push(index);
        const gate = createDeferred<number>();
        gates.set(index, gate);
        return gate.promise;
      }),
    );
    expect(started).toEqual([0, 1, 2]);
    expect(bulkhead.queued).toBe(47);
    let late: Promise<string> | undefined;
    while (gates.size > 0) {
      // Settling the running calls newest first must not reorder the queue.
      const running = [...gates.entries()].reverse();
      gates.clear();
      for (const [index, gate] of running) {
        gate.resolve(index);
      }
      // A call that arrives while slots are handed over waits its turn.
      late ??= bulkhead.execute(() => "late");
      await flush();
    }
    await Promise.all(calls);
    await expect(late).resolves.toBe("late");
    expect(started).toEqual(Array.from({ length: 50 }, (_, index) => index));
    expect(bulkhead.running).toBe(0);
    expect(bulkhead.queued).toBe(0);
  });

  it("hands the slot to the queue however the call ends", async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1, maxQueue: 10 });
    const gate = createDeferred<undefined>();
    const first = bulkhead.execute(() => gate.promise);
    const order: string[] = [];
    const endings: (() => unknown)[] = [
      () => {
        order.push("sync throw");
        throw new Error("sync");
      },
      () => {
        order.push("reject");
        return Promise.reject(new Error("async"));
      },
      () => {
        order.push("plain value");
        return 42;
      },
      () => {
        order.push("undefined");
        return undefined;
      },
      () => {
        order.push("thenable");
        return {
          then: (resolve: (value: string) => void) => resolve("thenable"),
        };
      },
    ];
    const outcomes = endings.map((ending) =>
      bulkhead.execute(ending).then(
        (value) => ({ value }),
        (error: unknown) => ({ error: (error as Error).message }),
      ),
    );
    const last = bulkhead.execute(() => "last");
    expect(bulkhead.queued).toBe(6);
    gate.resolve(undefined);
    await first;
    expect(await Promise.all(outcomes)).toEqual([
      { error: "sync" },
      { error: "async" },
      { value: 42 },
      { value: undefined },
      { value: "thenable" },
    ]);
    await expect(last).resolves.toBe("last");
    expect(order).toEqual([
      "sync throw",
      "reject",
      "plain value",
      "undefined",
      "thenable",
    ]);
    expect(bulkhead.running).toBe(0);
    expect(bulkhead.queued).toBe(0);
  });

  it("keeps a running call's slot until it settles after an abort", async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1, maxQueue: 1 });
    const controller = new AbortController();
    const gate = createDeferred<string>();
    let seen: AbortSignal | undefined;
    const running = bulkhead.execute((signal) => {
      seen = signal;
      return gate.promise;
    }, controller.signal);
    const queued = bulkhead.execute(() => "queued");
    controller.abort(new Error("caller left"));
    expect(seen?.aborted).toBe(true);
    expect(bulkhead.running).toBe(1);
    expect(bulkhead.queued).toBe(1);
    gate.reject(controller.signal.reason);
    expect(await rejectionOf(running)).toBe(controller.signal.reason);
    await expect(queued).resolves.toBe("queued");
    expect(bulkhead.running).toBe(0);
  });

  it("skips a call aborted between grant and start", async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1, maxQueue: 2 });
    const gate = createDeferred<undefined>();
    const running = bulkhead.execute(() => gate.promise);
    const controller = new AbortController();
    let reached = false;
    const granted = bulkhead.execute(() => {
      reached = true;
    }, controller.signal);
    const next = bulkhead.execute(() => "next");
    gate.resolve(undefined);
    // The slot passes to the queued call synchronously; abort before it runs.
    controller.abort();
    await running;
    expect(codeOf(await rejectionOf(granted))).toBe("ABORTED");
    expect(reached).toBe(false);
    await expect(next).resolves.toBe("next");
    expect(bulkhead.running).toBe(0);
    expect(bulkhead.queued).toBe(0);
  });

  it("keeps its counts exact after 10,000 mixed calls", async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 8, maxQueue: 64 });
    const counts = { ok: 0, failed: 0, full: 0, aborted: 0 };
    const gates: Deferred<undefined>[] = [];
    const pending: Promise<void>[] = [];
    let lowest = 0;
    let highestRunning = 0;
    let highestQueued = 0;
    for (let index = 0; index < 10_000; index++) {
      const controller = new AbortController();
      const kind = index % 5;
      const call = bulkhead.execute((): unknown => {
        if (kind === 0) {
          throw new Error("sync");
        }
        if (kind === 1) {
          return Promise.reject(new Error("async"));
        }
        if (kind === 2) {
          return "value";
        }
        const gate = createDeferred<undefined>();
        gates.push(gate);
        return gate.promise;
      }, controller.signal);
      pending.push(
        call.then(
          () => {
            counts.ok += 1;
          },
          (error: unknown) => {
            const code = codeOf(error);
            if (code === "BULKHEAD_FULL") {
              counts.full += 1;
            } else if (code === "ABORTED") {
              counts.aborted += 1;
            } else {
              counts.failed += 1;
            }
          },
        ),
      );
      if (index % 7 === 0) {
        controller.abort();
      }
      if (index % 211 === 0) {
        for (const gate of gates.splice(0)) {
          gate.resolve(undefined);
        }
        await flush();
      }
      lowest = Math.min(lowest, bulkhead.running, bulkhead.queued);
      highestRunning = Math.max(highestRunning, bulkhead.running);
      highestQueued = Math.max(highestQueued, bulkhead.queued);
    }
    expect(lowest).toBe(0);
    expect(highestRunning).toBe(8);
    expect(highestQueued).toBe(64);
    while (bulkhead.running > 0 || bulkhead.queued > 0) {
      for (const gate of gates.splice(0)) {
        gate.resolve(undefined);
      }
      await flush();
    }
    await Promise.all(pending);
    expect(counts.ok + counts.failed + counts.full + counts.aborted).toBe(
      10_000,
    );
    expect(counts.full).toBeGreaterThan(0);
    expect(counts.aborted).toBeGreaterThan(0);
    expect(bulkhead.running).toBe(0);
    expect(bulkhead.queued).toBe(0);
    // A fresh burst still gets every slot.
    const gate = createDeferred<undefined>();
    const burst = Array.from({ length: 8 }, () =>
      bulkhead.execute(() => gate.promise),
    );
    expect(bulkhead.running).toBe(8);
    expect(bulkhead.queued).toBe(0);
    gate.resolve(undefined);
    await Promise.all(burst);
  });
});
