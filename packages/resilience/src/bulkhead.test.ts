import { describe, expect, it } from "vitest";

import { createBulkhead } from "./bulkhead.js";
import { isResilienceError } from "./errors.js";
import type { BulkheadRejectedEvent } from "./events.js";
import { createDeferred } from "./test-support/deferred.js";
import { codeOf, rejectionOf, thrownBy } from "./test-support/errors.js";

describe("createBulkhead", () => {
  it("queues up to maxQueue calls and rejects the rest", async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1, maxQueue: 1 });
    const rejections: BulkheadRejectedEvent[] = [];
    bulkhead.onBulkheadRejected((event) => rejections.push(event));
    const first = createDeferred<string>();
    const started: string[] = [];
    const running = bulkhead.execute(() => {
      started.push("first");
      return first.promise;
    });
    const queued = bulkhead.execute(() => {
      started.push("second");
      return "second";
    });
    expect(bulkhead.running).toBe(1);
    expect(bulkhead.queued).toBe(1);

    const error = await rejectionOf(bulkhead.execute(() => "third"));
    expect(codeOf(error)).toBe("BULKHEAD_FULL");
    expect(isResilienceError(error) ? error.details : undefined).toEqual({
      policy: "bulkhead",
      maxConcurrent: 1,
      maxQueue: 1,
    });
    expect(rejections).toEqual([
      { policy: "bulkhead", maxConcurrent: 1, maxQueue: 1 },
    ]);
    expect(started).toEqual(["first"]);

    first.resolve("first");
    await expect(running).resolves.toBe("first");
    await expect(queued).resolves.toBe("second");
    expect(started).toEqual(["first", "second"]);
    expect(bulkhead.running).toBe(0);
    expect(bulkhead.queued).toBe(0);
  });

  it("rejects at once without a queue", async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 2, maxQueue: 0 });
    const gate = createDeferred<undefined>();
    const running = [1, 2].map(() => bulkhead.execute(() => gate.promise));
    const error = await rejectionOf(bulkhead.execute(() => undefined));
    expect(codeOf(error)).toBe("BULKHEAD_FULL");
    gate.resolve(undefined);
    await Promise.all(running);
  });

  it("rejects a queued call with ABORTED when its signal fires", async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1, maxQueue: 1 });
    const gate = createDeferred<undefined>();
    const running = bulkhead.execute(() => gate.promise);
    const controller = new AbortController();
    let ran = false;
    const queued = rejectionOf(
      bulkhead.execute(() => {
        ran = true;
      }, controller.signal),
    );
    controller.abort(new Error("caller left"));
    const error = await queued;
    expect(codeOf(error)).toBe("ABORTED");
    gate.resolve(undefined);
    await running;
    expect(ran).toBe(false);
  });

  it("frees the slot when the call fails", async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1, maxQueue: 0 });
    const failure = new Error("boom");
    expect(
      await rejectionOf(
        bulkhead.execute(() => {
          throw failure;
        }),
      ),
    ).toBe(failure);
    await expect(bulkhead.execute(() => "next")).resolves.toBe("next");
  });

  it("removes an aborted call from the queue at once", async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1, maxQueue: 1 });
    const gate = createDeferred<undefined>();
    const running = bulkhead.execute(() => gate.promise);
    const controller = new AbortController();
    const aborted = rejectionOf(bulkhead.execute(() => "a", controller.signal));
    controller.abort();
    expect(codeOf(await aborted)).toBe("ABORTED");
    expect(bulkhead.queued).toBe(0);
    // The freed queue place takes the next call.
    const next = bulkhead.execute(() => "next");
    expect(bulkhead.queued).toBe(1);
    gate.resolve(undefined);
    await running;
    await expect(next).resolves.toBe("next");
  });

  it("passes the slot past an aborted call to the next", async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1, maxQueue: 2 });
    const gate = createDeferred<undefined>();
    const running = bulkhead.execute(() => gate.promise);
    const controller = new AbortController();
    const aborted = rejectionOf(bulkhead.execute(() => "a", controller.signal));
    const waiting = bulkhead.execute(() => "b");
    controller.abort();
    await aborted;
    gate.resolve(undefined);
    await running;
    await expect(waiting).resolves.toBe("b");
    expect(bulkhead.running).toBe(0);
    expect(bulkhead.queued).toBe(0);
  });

  it("keeps its counts right after mixed outcomes", async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 2, maxQueue: 3 });
    const calls: Promise<unknown>[] = [];
    const controllers: AbortController[] = [];
    const gates = Array.from({ length: 8 }, () => createDeferred<string>());
    gates.forEach((gate, index) => {
      const controller = new AbortController();
      controllers.push(controller);
      const call = bulkhead.execute((signal) => {
        if (index % 4 === 1) {
          throw new Error("synchronous failure");
        }
        signal.addEventListener("abort", () => {
          gate.reject(signal.reason);
        });
        return gate.promise;
      }, controller.signal);
      calls.push(call.catch((error: unknown) => codeOf(error) ?? "failed"));
    });
    // Call 1 threw at once, so call 2 took its slot; 3 to 5 wait.
    expect(bulkhead.running).toBe(2);
    expect(bulkhead.queued).toBe(3);
    controllers[3]?.abort();
    controllers[0]?.abort();
    gates[2]?.resolve("done");
    gates[4]?.reject(new Error("failure"));
    for (const gate of gates) {
      gate.resolve("done");
    }
    const outcomes = await Promise.all(calls);
    expect(outcomes).toEqual([
      "failed",
      "failed",
      "done",
      "ABORTED",
      "failed",
      "failed",
      "BULKHEAD_FULL",
      "BULKHEAD_FULL",
    ]);
    expect(bulkhead.running).toBe(0);
    expect(bulkhead.queued).toBe(0);
    await expect(bulkhead.execute(() => "after")).resolves.toBe("after");
  });

  it("reports invalid limits", () => {
    const error = thrownBy(() =>
      createBulkhead({ maxConcurrent: 0, maxQueue: 1.5 }),
    );
    const paths = isResilienceError(error)
      ? error.issues.map((issue) => issue.path)
      : [];
    expect(paths).toEqual(["maxConcurrent", "maxQueue"]);
  });
});
