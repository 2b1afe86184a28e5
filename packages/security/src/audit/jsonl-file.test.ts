import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { readFileLines, type FileLine } from "./jsonl-file.js";

describe("readFileLines", () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), "rf-security-audit-lines-"));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function readAll(content: string | Buffer): Promise<FileLine[]> {
    const path = join(folder, "lines.txt");
    await writeFile(path, content);
    const lines: FileLine[] = [];
    for await (const line of readFileLines(path)) {
      lines.push(line);
    }
    return lines;
  }

  it("reads lines that span many chunks", async () => {
    const long = "é".repeat(300_000);
    const lines = await readAll(`a\n${long}\n\nb\nlast`);

    expect(lines.map((line) => line.text)).toEqual([
      "a",
      long,
      "",
      "b",
      "last",
    ]);
    expect(lines.map((line) => line.number)).toEqual([1, 2, 3, 4, 5]);
    const longBytes = Buffer.byteLength(long);
    expect(lines.map((line) => line.offset)).toEqual([
      0,
      2,
      3 + longBytes,
      4 + longBytes,
      6 + longBytes,
    ]);
    expect(lines.map((line) => line.complete)).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  it("reads a line feed at a chunk boundary", async () => {
    const chunk = 64 * 1024;
    const first = "x".repeat(chunk - 1);
    const lines = await readAll(`${first}\n${"y".repeat(chunk)}\n`);

    expect(lines.map((line) => line.text.length)).toEqual([chunk - 1, chunk]);
    expect(lines[1]?.offset).toBe(chunk);
    expect(lines[1]?.complete).toBe(true);
  });

  it("yields nothing for a missing file", async () => {
    const lines: FileLine[] = [];
    for await (const line of readFileLines(join(folder, "none.txt"))) {
      lines.push(line);
    }
    expect(lines).toEqual([]);
  });
});
