import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";

import { loadTokenizer } from "@retrieval-free/core-engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { FixtureDir } from "./test-support/fixtures.js";
import { createFixtureDir, generateProse } from "./test-support/fixtures.js";
import { BIN_PATH, runCli } from "./test-support/run-cli.js";

const MIN_TOKENS = 100_000;
// util-linux `script` runs a command on a pseudo-terminal, which is how
// these tests get a terminal on standard error.
const SCRIPT = "/usr/bin/script";
const CLEAR_LINE = "\r\u001b[K";

function quoteForShell(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

async function compressOnTerminal(
  extraArgs: readonly string[],
): Promise<string> {
  const command = [
    process.execPath,
    BIN_PATH,
    "compress",
    "large.txt",
    "--ratio",
    "8",
    ...extraArgs,
  ]
    .map(quoteForShell)
    .join(" ");
  const { stdout } = await promisify(execFile)(
    SCRIPT,
    ["--quiet", "--return", "--command", `${command} > /dev/null`, "/dev/null"],
    { cwd: fixtures.path, timeout: 110_000 },
  );
  return stdout;
}

let fixtures: FixtureDir;
let text: string;

beforeAll(async () => {
  fixtures = await createFixtureDir();
  text = generateProse(2024, 2_300);
  await fixtures.write("large.txt", text);
});

afterAll(async () => {
  await fixtures.remove();
});

describe("rfcc compress on a large input", () => {
  it("compresses 100,000 tokens within a 512 MiB heap", async () => {
    const tokenizer = await loadTokenizer("o200k_base");
    const run = await runCli(
      [
        "compress",
        "large.txt",
        "--ratio",
        "8",
        "--format",
        "json",
        "--no-vectors",
      ],
      {
        cwd: fixtures.path,
        nodeArgs: ["--max-old-space-size=512"],
        timeoutMs: 110_000,
      },
    );
    const result = JSON.parse(run.stdout) as {
      originalTokens: number;
      compressedTokens: number;
      budgetMet: boolean;
    };

    expect(tokenizer.count(text)).toBeGreaterThanOrEqual(MIN_TOKENS);
    expect(run.code).toBe(0);
    expect(result.originalTokens).toBeGreaterThanOrEqual(MIN_TOKENS);
    expect(result.budgetMet).toBe(true);
    expect(result.compressedTokens).toBeLessThanOrEqual(
      result.originalTokens / 8,
    );
  });

  it("prints the compressed text with the default options", async () => {
    const run = await runCli(["compress", "large.txt", "--ratio", "8"], {
      cwd: fixtures.path,
      nodeArgs: ["--max-old-space-size=512"],
      timeoutMs: 110_000,
    });

    expect(run.code).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(0);
    expect(run.stdout.length).toBeLessThan(text.length / 4);
  });

  it.skipIf(!existsSync(SCRIPT))(
    "draws and erases a progress bar on a terminal",
    async () => {
      const terminal = await compressOnTerminal([]);
      // Every redraw and the final erase start with CLEAR_LINE, so the
      // pieces between them are the progress lines, then the summary.
      const pieces = terminal.split(CLEAR_LINE);
      const progressLines = pieces.slice(1, -1);

      expect(progressLines.length).toBeGreaterThan(0);
      for (const line of progressLines) {
        expect(line).toMatch(/^rfcc: \S+ +\[[= ]+\] +\d+%$/);
      }
      expect(pieces.at(-1)).toMatch(/^rfcc: [\d,]+ → [\d,]+ tokens/);
    },
  );

  it.skipIf(!existsSync(SCRIPT))(
    "draws no progress bar with --no-progress",
    async () => {
      const terminal = await compressOnTerminal(["--no-progress"]);

      expect(terminal).not.toContain("\r\u001b[K");
      expect(terminal).toMatch(/^rfcc: [\d,]+ → [\d,]+ tokens/);
    },
  );
});
