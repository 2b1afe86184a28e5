import { readFile } from "node:fs/promises";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { FixtureDir } from "./test-support/fixtures.js";
import { createFixtureDir, generateProse } from "./test-support/fixtures.js";
import { runCli } from "./test-support/run-cli.js";

interface JsonEntry {
  rank: number;
  weight: number;
  score: number;
  level: string;
  documentId: string;
  spans: { start: number; end: number }[];
  tokens: number;
  text: string;
}

const LIGHTHOUSE =
  "The lighthouse keeper repaired the broken lens during the autumn storm.";

let fixtures: FixtureDir;
let guide: string;

beforeAll(async () => {
  fixtures = await createFixtureDir();
  const paragraphs = generateProse(21, 10).split("\n\n");
  paragraphs.splice(
    4,
    0,
    `${LIGHTHOUSE} ${LIGHTHOUSE.replace("autumn", "winter")}`,
  );
  guide = paragraphs.join("\n\n");
  await fixtures.write("guide.txt", guide);
  const saved = await runCli(
    [
      "compress",
      "guide.txt",
      "--ratio",
      "4",
      "--mega-tokens",
      "guide.rfmt",
      "--quiet",
    ],
    { cwd: fixtures.path },
  );
  expect(saved.code).toBe(0);
});

afterAll(async () => {
  await fixtures.remove();
});

describe("rfcc route", () => {
  it("prints the source text of the best mega-tokens", async () => {
    const run = await runCli(
      [
        "route",
        "guide.rfmt",
        "--query",
        "lighthouse lens storm",
        "--top",
        "2",
        "--level",
        "unit",
      ],
      { cwd: fixtures.path },
    );

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^1\. guide\.txt, characters \d+–\d+ \(unit, \d+ tokens\), weight [\d.e-]+, score [\d.e-]+$/m,
    );
    expect(run.stdout).toMatch(/^2\. guide\.txt, /m);
    expect(run.stdout).toContain(LIGHTHOUSE);
  });

  it("prints JSON entries whose text equals the source slice", async () => {
    const run = await runCli(
      [
        "route",
        "guide.rfmt",
        "--query",
        "lighthouse",
        "--top",
        "3",
        "--level",
        "unit",
        "--format",
        "json",
      ],
      { cwd: fixtures.path },
    );
    const entries = JSON.parse(run.stdout) as JsonEntry[];

    expect(run.code).toBe(0);
    expect(entries.map((entry) => entry.rank)).toEqual([1, 2, 3]);
    expect(entries[0]?.text).toContain("lighthouse");
    for (const entry of entries) {
      expect(entry.level).toBe("unit");
      expect(entry.documentId).toBe("guide.txt");
      const [span] = entry.spans;
      expect(guide.slice(span?.start, span?.end)).toBe(entry.text);
    }
  });

  it("ranks entries by decreasing weight", async () => {
    const run = await runCli(
      [
        "route",
        "guide.rfmt",
        "--query",
        "storm",
        "--top",
        "4",
        "--format",
        "json",
      ],
      { cwd: fixtures.path },
    );
    const weights = (JSON.parse(run.stdout) as JsonEntry[]).map(
      (entry) => entry.weight,
    );

    expect(weights).toEqual([...weights].sort((a, b) => b - a));
  });

  it("exits 3 when the mega-token file is missing", async () => {
    const run = await runCli(["route", "missing.rfmt", "--query", "storm"], {
      cwd: fixtures.path,
    });

    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      "rfcc: cannot read missing.rfmt: the file does not exist.\n",
    );
  });

  it("exits 3 when the mega-token file is corrupt", async () => {
    await fixtures.write(
      "corrupt.rfmt",
      "this is not a mega-token file at all",
    );
    const run = await runCli(["route", "corrupt.rfmt", "--query", "storm"], {
      cwd: fixtures.path,
    });

    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^rfcc: corrupt\.rfmt: /);
    expect(run.stderr).not.toMatch(/\bat .+:\d+:\d+/);
  });

  it("exits 3 when the mega-token file is truncated", async () => {
    const bytes = await readFile(join(fixtures.path, "guide.rfmt"));
    await fixtures.write(
      "truncated.rfmt",
      bytes.subarray(0, bytes.length - 100),
    );
    const run = await runCli(["route", "truncated.rfmt", "--query", "storm"], {
      cwd: fixtures.path,
    });

    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^rfcc: truncated\.rfmt: /);
  });

  it("exits 2 for a --top below 1", async () => {
    const run = await runCli(
      ["route", "guide.rfmt", "--query", "storm", "--top", "0"],
      {
        cwd: fixtures.path,
      },
    );

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^rfcc: --top must be a whole number of at least 1 \(received 0\)\.$/m,
    );
  });
});

describe("rfcc route on a damaged header", () => {
  it("exits 3 for a null header", async () => {
    const header = Buffer.from("null");
    const file = Buffer.alloc(12 + header.length);
    file.write("RFMT", 0, "ascii");
    file.writeUInt32LE(1, 4);
    file.writeUInt32LE(header.length, 8);
    header.copy(file, 12);
    await fixtures.write("null-header.rfmt", file);
    const run = await runCli(
      ["route", "null-header.rfmt", "--query", "storm"],
      { cwd: fixtures.path },
    );

    expect(run.code).toBe(3);
    expect(run.stderr).not.toMatch(/internal error/);
  });
});
