import { readFile } from "node:fs/promises";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { FixtureDir } from "./test-support/fixtures.js";
import { createFixtureDir, generateProse } from "./test-support/fixtures.js";
import { runCli } from "./test-support/run-cli.js";

interface JsonSpan {
  documentId: string;
  start: number;
  end: number;
  text: string;
}

interface JsonResult {
  text: string;
  spans: JsonSpan[];
  ratio: number | null;
  budgetMet: boolean;
  reason: string | null;
  compressedTokens: number;
  request: { budgetTokens: number; granularity: string };
  documents: { id: string; format: string }[];
  megaTokens: { tokens: { vector?: string }[] } | null;
}

const ISBN_SENTENCE =
  "The catalogue with ISBN 978-3-16-148410-0 must be reprinted before May.";
const SUMMARY_LINE =
  /^rfcc: [\d,]+ → [\d,]+ tokens \([\d.]+x, budget [\d,]+\) in [\d.]+ s$/m;

let fixtures: FixtureDir;
let notes: string;
let minutes: string;

function markdownNotes(): string {
  const sections = ["Overview", "Incidents", "Plans", "Budget"];
  return sections
    .map((title, index) => `## ${title}\n\n${generateProse(100 + index, 4)}\n`)
    .join("\n");
}

async function compressJson(
  args: readonly string[],
  input?: string,
): Promise<JsonResult> {
  const run = await runCli(["compress", ...args, "--format", "json"], {
    cwd: fixtures.path,
    ...(input === undefined ? {} : { input }),
  });
  expect(run.stderr).not.toMatch(/internal error/);
  return JSON.parse(run.stdout) as JsonResult;
}

async function sourceOf(id: string): Promise<string> {
  return id === "-" ? minutes : readFile(join(fixtures.path, id), "utf8");
}

beforeAll(async () => {
  fixtures = await createFixtureDir();
  notes = `# Release notes\n\n${markdownNotes()}`;
  const prose = generateProse(7, 12).split("\n\n");
  prose.splice(6, 0, ISBN_SENTENCE);
  minutes = prose.join("\n\n");
  await fixtures.write("notes.md", notes);
  await fixtures.write("docs/minutes.txt", minutes);
});

afterAll(async () => {
  await fixtures.remove();
});

describe("rfcc compress", () => {
  it("prints the compressed text of a file", async () => {
    const run = await runCli(["compress", "docs/minutes.txt", "--ratio", "4"], {
      cwd: fixtures.path,
    });

    expect(run.code).toBe(0);
    expect(run.stdout.endsWith("\n")).toBe(true);
    expect(run.stdout.length).toBeLessThan(minutes.length / 2);
    expect(run.stdout.length).toBeGreaterThan(0);
    expect(run.stderr).toMatch(SUMMARY_LINE);
  });

  it("reads standard input when no file is given", async () => {
    const result = await compressJson(["--ratio", "4"], minutes);

    expect(result.documents.map((document) => document.id)).toEqual(["-"]);
    expect(result.spans.length).toBeGreaterThan(0);
    for (const span of result.spans) {
      expect(span.documentId).toBe("-");
      expect(minutes.slice(span.start, span.end)).toBe(span.text);
    }
  });

  it("reads standard input for the - argument", async () => {
    const result = await compressJson(
      ["notes.md", "-", "--ratio", "3"],
      minutes,
    );

    expect(result.documents.map((document) => document.id)).toEqual([
      "notes.md",
      "-",
    ]);
  });

  it("prints spans equal to slices of their source files", async () => {
    const result = await compressJson([
      "notes.md",
      "docs/minutes.txt",
      "--ratio",
      "3",
      "--query",
      "What was shipped?",
    ]);

    expect(result.spans.length).toBeGreaterThan(0);
    for (const span of result.spans) {
      const source = await sourceOf(span.documentId);
      expect(source.slice(span.start, span.end)).toBe(span.text);
    }
  });

  it("removes words inside sentences with --granularity token", async () => {
    const result = await compressJson([
      "docs/minutes.txt",
      "--ratio",
      "4",
      "--granularity",
      "token",
    ]);
    const sentences = await compressJson(["docs/minutes.txt", "--ratio", "4"]);

    expect(result.request.granularity).toBe("token");
    expect(result.compressedTokens).toBeLessThanOrEqual(
      result.request.budgetTokens,
    );
    expect(result.spans.length).toBeGreaterThan(sentences.spans.length);
    for (const span of result.spans) {
      const source = await sourceOf(span.documentId);
      expect(source.slice(span.start, span.end)).toBe(span.text);
    }
  });

  it("names each document by its path as given", async () => {
    const result = await compressJson([
      "notes.md",
      "docs/minutes.txt",
      "--ratio",
      "2",
    ]);
    const spanIds = new Set(result.spans.map((span) => span.documentId));

    expect(result.documents.map((document) => document.id)).toEqual([
      "notes.md",
      "docs/minutes.txt",
    ]);
    expect(spanIds).toEqual(new Set(["notes.md", "docs/minutes.txt"]));
  });

  it("detects Markdown from the file extension", async () => {
    const result = await compressJson(["notes.md", "--ratio", "2"]);

    expect(result.documents[0]?.format).toBe("markdown");
  });

  it("reads every input as --input-format", async () => {
    const result = await compressJson([
      "notes.md",
      "--ratio",
      "2",
      "--input-format",
      "text",
    ]);

    expect(result.documents[0]?.format).toBe("text");
  });

  it("includes mega-token vectors as base64 by default", async () => {
    const result = await compressJson(["notes.md", "--ratio", "2"]);

    expect(result.megaTokens?.tokens.length).toBeGreaterThan(0);
    expect(result.megaTokens?.tokens[0]?.vector).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it("leaves vectors out with --no-vectors", async () => {
    const result = await compressJson([
      "notes.md",
      "--ratio",
      "2",
      "--no-vectors",
    ]);
    const tokens = result.megaTokens?.tokens ?? [];

    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.some((token) => "vector" in token)).toBe(false);
  });

  it("prints an infinite ratio as null when nothing is kept", async () => {
    const run = await runCli(
      [
        "compress",
        "docs/minutes.txt",
        "--target-tokens",
        "1",
        "--format",
        "json",
      ],
      { cwd: fixtures.path },
    );
    const result = JSON.parse(run.stdout) as JsonResult;

    expect(run.code).toBe(0);
    expect(result.spans).toEqual([]);
    expect(result.ratio).toBeNull();
    expect(run.stderr).toMatch(/\(nothing kept, budget 1\)/);
    expect(run.stderr).toContain(
      "Raise the budget: a higher --target-tokens or a lower --ratio.",
    );
    expect(run.stderr).toMatch(
      /^rfcc: nothing was kept of 1 document: docs\/minutes\.txt$/m,
    );
  });

  it("writes the --separator between kept spans", async () => {
    const run = await runCli(
      [
        "compress",
        "docs/minutes.txt",
        "--ratio",
        "4",
        "--separator",
        " [cut] ",
      ],
      { cwd: fixtures.path },
    );

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(" [cut] ");
  });

  it("prints a Markdown report", async () => {
    const run = await runCli(
      [
        "compress",
        "notes.md",
        "docs/minutes.txt",
        "--ratio",
        "3",
        "--format",
        "markdown",
      ],
      { cwd: fixtures.path },
    );

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# Compression report$/m);
    expect(run.stdout).toMatch(/^## `notes\.md`$/m);
    expect(run.stdout).toMatch(/^## `docs\/minutes\.txt`$/m);
    expect(run.stdout).toMatch(
      /^[\d,]+ → [\d,]+ tokens, [\d,]+ of [\d,]+ units kept\.$/m,
    );
    expect(run.stdout).toMatch(/^```markdown$/m);
    expect(run.stdout).toMatch(/^\| Document \| Start \| End \|$/m);
    expect(run.stdout).toMatch(/^\| `docs\/minutes\.txt` \| \d+ \| \d+ \|$/m);
  });

  it("keeps text matching --preserve byte-identical", async () => {
    const result = await compressJson([
      "docs/minutes.txt",
      "--ratio",
      "8",
      "--preserve",
      "/isbn [0-9-]+/i",
    ]);
    const span = result.spans.find((entry) => entry.text.includes("ISBN"));

    expect(span?.text).toContain(ISBN_SENTENCE);
    expect(minutes.slice(span?.start, span?.end)).toBe(span?.text);
    expect(result.text).toContain(ISBN_SENTENCE);
  });

  it("exits 4 and prints the output when preserved text exceeds the budget", async () => {
    const run = await runCli(
      [
        "compress",
        "docs/minutes.txt",
        "--target-tokens",
        "5",
        "--preserve",
        "ISBN",
        "--quiet",
      ],
      { cwd: fixtures.path },
    );

    expect(run.code).toBe(4);
    expect(run.stdout).toContain(ISBN_SENTENCE);
    expect(run.stderr).toMatch(
      /^rfcc: The preserved units alone need about \d+ tokens/m,
    );
    expect(run.stderr).not.toMatch(SUMMARY_LINE);
  });

  it("prints no summary with --quiet", async () => {
    const run = await runCli(
      ["compress", "docs/minutes.txt", "--ratio", "4", "--quiet"],
      { cwd: fixtures.path },
    );

    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
  });

  it("prints no progress bar when standard error is not a terminal", async () => {
    const large = generateProse(3, 1200);
    const run = await runCli(["compress", "--ratio", "8"], { input: large });

    expect(large.length).toBeGreaterThan(200_000);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain("\r");
  });
});

describe("rfcc compress --mega-tokens", () => {
  it("never overwrites an input file", async () => {
    const path = await fixtures.write("keep.md", notes);
    const run = await runCli(
      ["compress", "keep.md", "--ratio", "4", "--mega-tokens", "keep.md"],
      { cwd: fixtures.path },
    );

    expect(await readFile(path, "utf8")).toBe(notes);
    expect(run.code).not.toBe(0);
  });
});
