import { copyFile } from "node:fs/promises";
import { createRequire } from "node:module";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { FixtureDir } from "./test-support/fixtures.js";
import { createFixtureDir } from "./test-support/fixtures.js";
import { BIN_PATH, runCli } from "./test-support/run-cli.js";

const manifest = createRequire(import.meta.url)("../package.json") as {
  version: string;
};

let fixtures: FixtureDir;

beforeAll(async () => {
  fixtures = await createFixtureDir();
});

afterAll(async () => {
  await fixtures.remove();
});

describe("rfcc help", () => {
  it("lists the commands and exit codes", async () => {
    const run = await runCli(["--help"]);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}compress \[options\] \[FILE\.\.\.\]/m);
    expect(run.stdout).toMatch(/^ {2}route \[options\] <FILE>/m);
    for (const code of ["0", "1", "2", "3", "4", "130"]) {
      expect(run.stdout).toMatch(new RegExp(`^ {2}${code} +\\S`, "m"));
    }
  });

  it("describes every compress option", async () => {
    const run = await runCli(["compress", "--help"]);
    const options = [
      "--ratio <N>",
      "--target-tokens <N>",
      "--query <TEXT>",
      "--format <FORMAT>",
      "--tokenizer <NAME>",
      "--preserve <REGEX>",
      "--preserve-class <NAME>",
      "--separator <TEXT>",
      "--input-format <FORMAT>",
      "--mega-tokens <FILE>",
      "--no-vectors",
      "--quiet",
      "--no-progress",
    ];

    expect(run.code).toBe(0);
    for (const option of options) {
      expect(run.stdout).toContain(`  ${option} `);
    }
  });

  it("describes every route option", async () => {
    const run = await runCli(["help", "route"]);

    expect(run.code).toBe(0);
    for (const option of [
      "--query <TEXT>",
      "--top <K>",
      "--level <LEVEL>",
      "--format <FORMAT>",
    ]) {
      expect(run.stdout).toContain(`  ${option} `);
    }
  });

  it("prints the package version", async () => {
    const run = await runCli(["--version"]);

    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${manifest.version}\n`);
  });
});

describe("rfcc executable", () => {
  it("explains how to build when dist is missing", async () => {
    const script = `${fixtures.path}/rfcc.js`;
    await copyFile(BIN_PATH, script);
    const run = await runCli(["--help"], { script });

    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      "rfcc: the command is not built yet. Run `pnpm build` at the repository root first.\n",
    );
  });
});
