import { once } from "node:events";

import { describe, expect, it } from "vitest";

import { startCli } from "./test-support/run-cli.js";

// Loaded with `node --import` before the CLI. It writes "listening" to
// standard error once the CLI has added its SIGINT listener, so that the
// test sends SIGINT only when the CLI can handle it.
const REPORT_SIGINT_LISTENER = `data:text/javascript,${encodeURIComponent(
  [
    "const on = process.on.bind(process);",
    "process.on = (name, listener) => {",
    "  const result = on(name, listener);",
    '  if (name === "SIGINT") process.stderr.write("listening\\n");',
    "  return result;",
    "};",
  ].join("\n"),
)}`;

describe("rfcc interrupt", () => {
  it("exits 130 on SIGINT while reading standard input", async () => {
    const started = startCli(["compress", "-", "--ratio", "4"], {
      nodeArgs: ["--import", REPORT_SIGINT_LISTENER],
    });
    let stderr = "";
    while (!stderr.includes("listening\n")) {
      const [chunk] = (await once(started.child.stderr, "data")) as [Buffer];
      stderr += chunk.toString("utf8");
    }
    started.child.stdin.write("Some text that is never finished.");
    started.child.kill("SIGINT");
    const run = await started.exited;

    expect(run.code).toBe(130);
    expect(run.stderr).toContain("rfcc: interrupted.\n");
    expect(run.stdout).toBe("");
  });
});
