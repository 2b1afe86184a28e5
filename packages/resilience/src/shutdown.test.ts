import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { isResilienceError } from "./errors.js";
import { createShutdown, type ShutdownReport } from "./shutdown.js";
import { createDeferred } from "./test-support/deferred.js";
import { codeOf, rejectionOf, thrownBy } from "./test-support/errors.js";

describe("createShutdown", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("drains in-flight work before the deadline", async () => {
    const shutdown = createShutdown({ deadlineMs: 1000 });
    const work = createDeferred<string>();
    const tracked = shutdown.track(work.promise, "upload");
    const report = shutdown.shutdown();
    expect(shutdown.state).toBe("draining");
    await vi.advanceTimersByTimeAsync(300);
    work.resolve("stored");
    await expect(tracked).resolves.toBe("stored");
    const result = await report;
    expect(result).toEqual({
      reason: "manual",
      drained: true,
      completed: 1,
      cutOff: [],
      durationMs: 300,
    });
    expect(shutdown.state).toBe("stopped");
  });

  it("reports the tasks cut off at the deadline", async () => {
    const shutdown = createShutdown({ deadlineMs: 500 });
    const quick = createDeferred<undefined>();
    void shutdown.track(quick.promise, "quick");
    void shutdown.track(createDeferred<undefined>().promise, "stuck-upload");

    let aborted: unknown;
    const running = rejectionOf(
      shutdown.run(
        (signal) =>
          new Promise((_resolve, reject) => {
            signal.addEventListener("abort", () => {
              aborted = signal.reason;
              reject(signal.reason as Error);
            });
          }),
      ),
    );

    const ends: ShutdownReport[] = [];
    shutdown.on("shutdown-end", (report) => ends.push(report));
    const report = shutdown.shutdown("deploy");
    quick.resolve(undefined);
    await vi.advanceTimersByTimeAsync(500);
    const result = await report;

    expect(result.drained).toBe(false);
    expect(result.completed).toBe(1);
    expect(result.cutOff.map((task) => task.name)).toEqual([
      "stuck-upload",
      "task-3",
    ]);
    expect(result.reason).toBe("deploy");
    expect(ends).toEqual([result]);
    expect(codeOf(aborted)).toBe("SHUTTING_DOWN");
    expect(await running).toBe(aborted);
  });

  it("rejects new work once shutdown starts", async () => {
    const shutdown = createShutdown();
    const report = shutdown.shutdown();
    const tracked = await rejectionOf(
      shutdown.track(Promise.resolve(1), "late"),
    );
    let ran = false;
    const run = await rejectionOf(
      shutdown.run(() => {
        ran = true;
      }),
    );
    expect(codeOf(tracked)).toBe("SHUTTING_DOWN");
    expect((tracked as Error).message).toContain('"late"');
    expect(codeOf(run)).toBe("SHUTTING_DOWN");
    expect(ran).toBe(false);
    await expect(report).resolves.toMatchObject({ drained: true });
  });

  it("returns the same report for repeated calls", async () => {
    const shutdown = createShutdown();
    const first = shutdown.shutdown("one");
    const second = shutdown.shutdown("two");
    expect(second).toBe(first);
    await expect(second).resolves.toMatchObject({ reason: "one" });
  });

  it("lists in-flight tasks with ids and names", async () => {
    vi.setSystemTime(new Date("2025-01-01T00:00:00Z"));
    const shutdown = createShutdown();
    const work = createDeferred<undefined>();
    const tracked = shutdown.track(work.promise, "index");
    expect(shutdown.inFlight).toEqual([
      { id: 1, name: "index", startedAt: Date.parse("2025-01-01T00:00:00Z") },
    ]);
    work.resolve(undefined);
    await tracked;
    expect(shutdown.inFlight).toEqual([]);
  });

  it("removes its signal handlers when disposed", () => {
    const before = process.listenerCount("SIGUSR2");
    const shutdown = createShutdown({ signals: ["SIGUSR2"] });
    expect(process.listenerCount("SIGUSR2")).toBe(before + 1);
    shutdown.dispose();
    expect(process.listenerCount("SIGUSR2")).toBe(before);
  });

  it("ignores a second signal and removes its handlers", async () => {
    const baseline = process.listenerCount("SIGTERM");
    const shutdown = createShutdown({
      signals: ["SIGTERM"],
      deadlineMs: 1000,
      exitOnSignal: false,
    });
    const starts: string[] = [];
    const reports: ShutdownReport[] = [];
    shutdown.on("shutdown-start", (event) => starts.push(event.reason));
    shutdown.on("shutdown-end", (report) => reports.push(report));
    const work = createDeferred<string>();
    const tracked = shutdown.track(work.promise, "upload");
    // process.emit calls the handlers without sending a real signal.
    process.emit("SIGTERM", "SIGTERM");
    process.emit("SIGTERM", "SIGTERM");
    const late = await rejectionOf(shutdown.run(() => "late", "late-task"));
    expect(codeOf(late)).toBe("SHUTTING_DOWN");
    expect((late as Error).message).toContain('"late-task" was not started');
    work.resolve("done");
    await tracked;
    const report = await shutdown.shutdown();
    expect(starts).toEqual(["SIGTERM"]);
    expect(reports).toEqual([report]);
    expect(report.drained).toBe(true);
    expect(process.listenerCount("SIGTERM")).toBe(baseline);
  });

  it("reports invalid options", () => {
    const error = thrownBy(() =>
      createShutdown({
        signals: ["TERM"] as never,
        deadlineMs: -5,
        exitOnSignal: "yes" as never,
      }),
    );
    const paths = isResilienceError(error)
      ? error.issues.map((issue) => issue.path)
      : [];
    expect(paths).toEqual(["exitOnSignal", "signals", "deadlineMs"]);
  });
});
