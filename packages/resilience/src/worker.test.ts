import { pathToFileURL } from "node:url";
import type { Worker } from "node:worker_threads";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { isResilienceError } from "./errors.js";
import { codeOf, rejectionOf } from "./test-support/errors.js";
import {
  type WorkerModules,
  writeWorkerModules,
} from "./test-support/worker-modules.js";
import { runInWorker } from "./worker.js";

let modules: WorkerModules;

beforeAll(async () => {
  modules = await writeWorkerModules();
});

afterAll(async () => {
  await modules.remove();
});

/** Records the exit code of the worker passed to `onStart`. */
function watchExit() {
  const exits: number[] = [];
  const onStart = (worker: Worker): void => {
    worker.on("exit", (code) => exits.push(code));
  };
  return { exits, onStart };
}

describe("runInWorker", () => {
  it("returns the result of the module's default export", async () => {
    const watch = watchExit();
    const sum = await runInWorker(
      modules.path("add.mjs"),
      { a: 2, b: 3 },
      {
        onStart: watch.onStart,
      },
    );
    expect(sum).toBe(5);
    expect(watch.exits).toHaveLength(1);
  });

  it("calls a named export from a file URL", async () => {
    const url = pathToFileURL(modules.path("named.mjs"));
    await expect(runInWorker(url, 21, { exportName: "double" })).resolves.toBe(
      42,
    );
  });

  it("terminates a worker that loops forever at the timeout", async () => {
    const watch = watchExit();
    const error = await rejectionOf(
      runInWorker(modules.path("loop.mjs"), null, {
        timeoutMs: 200,
        onStart: watch.onStart,
      }),
    );
    expect(codeOf(error)).toBe("TIMEOUT");
    expect((error as Error).message).toContain("did not finish within 200 ms");
    expect(watch.exits).toHaveLength(1);
  });

  it("rejects with out of memory past maxOldGenerationSizeMb", async () => {
    const watch = watchExit();
    const error = await rejectionOf(
      runInWorker(modules.path("allocate.mjs"), null, {
        timeoutMs: 20_000,
        resourceLimits: { maxOldGenerationSizeMb: 32 },
        onStart: watch.onStart,
      }),
    );
    expect(codeOf(error)).toBe("WORKER_OUT_OF_MEMORY");
    expect((error as Error).message).toContain("ran out of memory");
    expect((error as Error).message).toContain('"maxOldGenerationSizeMb":32');
    expect(((error as Error).cause as { code?: string }).code).toBe(
      "ERR_WORKER_OUT_OF_MEMORY",
    );
    expect(watch.exits).toHaveLength(1);
  });

  it("terminates the worker when the signal fires", async () => {
    const watch = watchExit();
    const controller = new AbortController();
    const outcome = rejectionOf(
      runInWorker(modules.path("waits.mjs"), null, {
        signal: controller.signal,
        onStart: (worker) => {
          watch.onStart(worker);
          worker.once("online", () => {
            controller.abort(new Error("caller left"));
          });
        },
      }),
    );
    const error = await outcome;
    expect(codeOf(error)).toBe("ABORTED");
    expect(((error as Error).cause as Error).message).toBe("caller left");
    expect(watch.exits).toHaveLength(1);
  });

  it("rejects with the function's error as the cause", async () => {
    const error = await rejectionOf(runInWorker(modules.path("throws.mjs"), 1));
    expect(codeOf(error)).toBe("WORKER_FAILED");
    const cause = (error as Error).cause as Error & { code?: string };
    expect(cause.name).toBe("RangeError");
    expect(cause.message).toBe("input too large");
    expect(cause.code).toBe("E_INPUT");
  });

  it("shows a thrown plain object with inspect", async () => {
    const error = await rejectionOf(
      runInWorker(modules.path("throws-object.mjs"), 1),
    );
    expect(codeOf(error)).toBe("WORKER_FAILED");
    expect((error as Error).message).toContain("{ reason: 'quota', limit: 3 }");
    expect((error as Error).message).not.toContain("[object Object]");
  });

  it("ignores results the module posts itself", async () => {
    const result = await runInWorker(modules.path("posts-own-result.mjs"), 1);
    expect(result).toBe("real");
  });

  it("keeps a failure that the module tries to rewrite", async () => {
    const watch = watchExit();
    const error = await rejectionOf(
      runInWorker(modules.path("rewrites-post.mjs"), 1, {
        onStart: watch.onStart,
      }),
    );
    expect(codeOf(error)).toBe("WORKER_FAILED");
    expect((error as Error).message).toContain("really failed");
    expect(watch.exits).toHaveLength(1);
  });

  it("reports a thrown null", async () => {
    const error = await rejectionOf(
      runInWorker(modules.path("throws-null.mjs"), 1),
    );
    expect(codeOf(error)).toBe("WORKER_FAILED");
    expect((error as Error).message).toContain("Error: null");
  });

  it("rejects when the worker exits without a result", async () => {
    const error = await rejectionOf(runInWorker(modules.path("exits.mjs"), 1));
    expect(codeOf(error)).toBe("WORKER_FAILED");
    expect((error as Error).message).toContain("exited with code 3");
  });

  it("rejects a result that cannot be copied back", async () => {
    const error = await rejectionOf(
      runInWorker(modules.path("returns-function.mjs"), 1),
    );
    expect(codeOf(error)).toBe("WORKER_FAILED");
    expect(((error as Error).cause as Error).name).toBe("DataCloneError");
  });

  it("rejects a missing export", async () => {
    const error = await rejectionOf(
      runInWorker(modules.path("add.mjs"), 1, { exportName: "missing" }),
    );
    expect(codeOf(error)).toBe("WORKER_FAILED");
    expect((error as Error).message).toContain(
      'no exported function "missing"',
    );
  });

  it("rejects an input that cannot be copied", async () => {
    const error = await rejectionOf(
      runInWorker(modules.path("add.mjs"), { run: () => 1 }),
    );
    expect(codeOf(error)).toBe("WORKER_FAILED");
    expect((error as Error).message).toContain("could not start");
    expect((error as Error).message).not.toContain("..");
  });

  it("reports invalid options together", async () => {
    const error = await rejectionOf(
      runInWorker("", 1, {
        timeoutMs: 0,
        resourceLimits: { maxOldGenerationSizeMb: -1 },
        exportName: 5 as never,
      }),
    );
    const paths = isResilienceError(error)
      ? error.issues.map((issue) => issue.path)
      : [];
    expect(paths).toEqual([
      "moduleUrlOrPath",
      "timeoutMs",
      "resourceLimits.maxOldGenerationSizeMb",
      "exportName",
    ]);
  });
});
