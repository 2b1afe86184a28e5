import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { FixtureDir } from "./test-support/fixtures.js";
import { createFixtureDir } from "./test-support/fixtures.js";
import { runCli } from "./test-support/run-cli.js";

let fixtures: FixtureDir;

beforeAll(async () => {
  fixtures = await createFixtureDir();
  await fixtures.write("notes.txt", "One sentence. Another sentence here.");
});

afterAll(async () => {
  await fixtures.remove();
});

const USAGE_ERRORS: readonly {
  readonly name: string;
  readonly args: readonly string[];
  readonly message: RegExp;
}[] = [
  {
    name: "no budget",
    args: ["compress", "notes.txt"],
    message: /^rfcc: A budget is missing\. Pass --ratio .* or --target-tokens/m,
  },
  {
    name: "both budgets",
    args: ["compress", "notes.txt", "--ratio", "8", "--target-tokens", "100"],
    message:
      /^rfcc: Pass either --ratio or --target-tokens, not both \(received --ratio 8 and --target-tokens 100\)\.$/m,
  },
  {
    name: "a ratio that is not a number",
    args: ["compress", "notes.txt", "--ratio", "abc"],
    message: /^rfcc: option '--ratio <N>' argument 'abc' is invalid\./m,
  },
  {
    name: "a ratio with a unit",
    args: ["compress", "notes.txt", "--ratio", "8x"],
    message: /argument '8x' is invalid/,
  },
  {
    name: "a ratio of 1",
    args: ["compress", "notes.txt", "--ratio", "1"],
    message:
      /^rfcc: --ratio must be a finite number greater than 1 \(received 1\)/m,
  },
  {
    name: "a fractional token budget",
    args: ["compress", "notes.txt", "--target-tokens", "2.5"],
    message:
      /^rfcc: --target-tokens must be a whole number greater than 0 \(received 2\.5\)/m,
  },
  {
    name: "an invalid regular expression",
    args: ["compress", "notes.txt", "--ratio", "2", "--preserve", "(unclosed"],
    message:
      /^rfcc: option '--preserve <REGEX>' argument '\(unclosed' is invalid\. Invalid regular expression/m,
  },
  {
    name: "invalid regular-expression flags",
    args: ["compress", "notes.txt", "--ratio", "2", "--preserve", "/a/gg"],
    message: /argument '\/a\/gg' is invalid/,
  },
  {
    name: "standard input given twice",
    args: ["compress", "-", "-", "--ratio", "2"],
    message: /^rfcc: standard input \(-\) can be read only once/m,
  },
  {
    name: "an unknown output format",
    args: ["compress", "notes.txt", "--ratio", "2", "--format", "xml"],
    message:
      /^rfcc: option '--format <FORMAT>' argument 'xml' is invalid\. Allowed choices are text, json, markdown\.$/m,
  },
  {
    name: "an unknown preserved class",
    args: [
      "compress",
      "notes.txt",
      "--ratio",
      "2",
      "--preserve-class",
      "money",
    ],
    message: /argument 'money' is invalid\. Allowed classes are numbers, dates/,
  },
  {
    name: "an unknown tokenizer",
    args: ["compress", "notes.txt", "--ratio", "2", "--tokenizer", "gpt2"],
    message:
      /argument 'gpt2' is invalid\. Allowed choices are o200k_base, cl100k_base\./,
  },
  {
    name: "an unknown option",
    args: ["compress", "notes.txt", "--ratio", "2", "--colour"],
    message: /^rfcc: unknown option '--colour'/m,
  },
  {
    name: "an unknown command",
    args: ["squash", "notes.txt"],
    message: /^rfcc: unknown command 'squash'\.$/m,
  },
  {
    name: "a route without a query",
    args: ["route", "notes.rfmt"],
    message: /^rfcc: required option '--query <TEXT>' not specified\.$/m,
  },
  {
    name: "an unknown route level",
    args: ["route", "notes.rfmt", "--query", "q", "--level", "page"],
    message:
      /argument 'page' is invalid\. Allowed choices are unit, segment, section, document\./,
  },
];

describe("rfcc usage errors", () => {
  for (const { name, args, message } of USAGE_ERRORS) {
    it(`exits 2 for ${name}`, async () => {
      const run = await runCli(args, { cwd: fixtures.path });

      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(
        /^rfcc: run `rfcc( \w+)? --help` for usage\.$/m,
      );
      expect(run.stdout).toBe("");
    });
  }

  it("reports option errors before reading missing files", async () => {
    const run = await runCli(["compress", "missing.txt"], {
      cwd: fixtures.path,
    });

    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain("missing.txt");
  });

  it("prints help on standard error when no command is given", async () => {
    const run = await runCli([], { cwd: fixtures.path });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Usage: rfcc /m);
  });
});

describe("rfcc input errors", () => {
  it("exits 3 for a missing file", async () => {
    const run = await runCli(["compress", "missing.txt", "--ratio", "4"], {
      cwd: fixtures.path,
    });

    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      "rfcc: cannot read missing.txt: the file does not exist.\n",
    );
  });

  it("reports every unreadable file", async () => {
    const run = await runCli(
      ["compress", "missing.txt", "notes.txt", ".", "--ratio", "4"],
      { cwd: fixtures.path },
    );

    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      "rfcc: cannot read missing.txt: the file does not exist.\n",
    );
    expect(run.stderr).toContain(
      "rfcc: cannot read .: it is a folder, not a file.\n",
    );
  });

  it("exits 3 when two inputs share an id", async () => {
    const run = await runCli(
      ["compress", "notes.txt", "notes.txt", "--ratio", "2"],
      {
        cwd: fixtures.path,
      },
    );

    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /^rfcc: notes\.txt is given twice; pass each file once/m,
    );
  });

  it("prints a stack trace only with RFCC_DEBUG=1", async () => {
    const quiet = await runCli(["compress", "missing.txt", "--ratio", "4"], {
      cwd: fixtures.path,
    });
    const debug = await runCli(["compress", "missing.txt", "--ratio", "4"], {
      cwd: fixtures.path,
      env: { RFCC_DEBUG: "1" },
    });

    expect(quiet.stderr).not.toMatch(/^\s+at /m);
    expect(debug.stderr).toMatch(/^\s+at /m);
  });
});

describe("rfcc error lines", () => {
  it("prefixes every line of a suggestion", async () => {
    const run = await runCli(["compress", "--ratoi", "4"], {
      cwd: fixtures.path,
    });
    const lines = run.stderr.split("\n").filter((line) => line.length > 0);

    expect(run.code).toBe(2);
    expect(lines.filter((line) => !line.startsWith("rfcc: "))).toEqual([]);
  });
});
