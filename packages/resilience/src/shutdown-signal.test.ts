import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ShutdownReport } from "./shutdown.js";
import {
  type TranspiledModules,
  transpileModules,
} from "./test-support/transpile.js";

/**
 * Child script: tracks a task that finishes 50 ms into the shutdown and,
 * in "stuck" mode, one that never finishes, then prints "ready".
 */
const CHILD_SCRIPT = `
import { createShutdown } from "./shutdown.js";

const shutdown = createShutdown({ signals: ["SIGTERM"], deadlineMs: 300 });
shutdown.on("shutdown-end", (report) => {
  process.stdout.write("report " + JSON.stringify(report) + "\\n");
});
// The interval keeps the process alive, as a listening server would.
setInterval(() => {}, 1000);
let finishQuick;
shutdown.on("shutdown-start", () => setTimeout(finishQuick, 50));
void shutdown.track(new Promise((resolve) => (finishQuick = resolve)), "quick");
if (process.argv[2] === "stuck") {
  void shutdown.track(new Promise(() => setInterval(() => {}, 1000)), "stuck");
}
if (process.argv[2] === "cleanup") {
  // Rejects with the signal's reason once the deadline cuts it off.
  const untilAborted = (signal) =>
    new Promise((_resolve, reject) => {
      signal.addEventListener("abort", () => reject(signal.reason));
    });
  shutdown
    .run(untilAborted, "cleanup")
    .catch(async (error) => {
      for (let step = 0; step < 10; step++) await Promise.resolve();
      process.stdout.write("cleaned up after " + error.code + "\\n");
    });
}
process.stdout.write("ready\\n");
`;

interface ChildOutcome {
  readonly exitCode: number | null;
  readonly report: ShutdownReport | undefined;
  readonly output: string;
}

let modules: TranspiledModules;

beforeAll(async () => {
  modules = await transpileModules(["shutdown"]);
  await writeFile(join(modules.folder, "child.mjs"), CHILD_SCRIPT);
});

afterAll(async () => {
  await modules.remove();
});

/**
 * Starts the child script, sends SIGTERM once it is ready, and returns its
 * exit code and report. The child is killed if it runs past 10 s.
 */
function runChild(mode: string): Promise<ChildOutcome> {
  const child = spawn(process.execPath, ["child.mjs", mode], {
    cwd: modules.folder,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const guard = setTimeout(() => child.kill("SIGKILL"), 10_000);
  let output = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    if (!output.includes("ready") && (output + chunk).includes("ready")) {
      child.kill("SIGTERM");
    }
    output += chunk;
  });
  return new Promise((resolve) => {
    child.on("exit", (exitCode) => {
      clearTimeout(guard);
      const line = output
        .split("\n")
        .find((text) => text.startsWith("report "));
      const report =
        line === undefined
          ? undefined
          : (JSON.parse(line.slice(7)) as ShutdownReport);
      resolve({ exitCode, report, output });
    });
  });
}

describe("createShutdown with a real signal", () => {
  it("drains and exits with 0 on SIGTERM", async () => {
    const { exitCode, report } = await runChild("quick");
    expect(exitCode).toBe(0);
    expect(report?.reason).toBe("SIGTERM");
    expect(report?.drained).toBe(true);
    expect(report?.completed).toBe(1);
  });

  it("names the cut-off task and exits with 1 on SIGTERM", async () => {
    const { exitCode, report } = await runChild("stuck");
    expect(exitCode).toBe(1);
    expect(report?.drained).toBe(false);
    expect(report?.completed).toBe(1);
    expect(report?.cutOff.map((task) => task.name)).toEqual(["stuck"]);
  });

  it("lets a cut-off task handle its abort", async () => {
    const { exitCode, report, output } = await runChild("cleanup");
    expect(exitCode).toBe(1);
    expect(report?.cutOff.map((task) => task.name)).toEqual(["cleanup"]);
    expect(output).toContain("cleaned up after SHUTTING_DOWN");
  });
});
