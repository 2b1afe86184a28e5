import { tinyBertModel, tinyTokenizerJson } from "@retrieval-free/onnx-graph";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { FixtureDir } from "./test-support/fixtures.js";
import { createFixtureDir, generateProse } from "./test-support/fixtures.js";
import { runCli } from "./test-support/run-cli.js";

let fixtures: FixtureDir;

beforeAll(async () => {
  fixtures = await createFixtureDir();
  await fixtures.write("notes.txt", generateProse(5, 6));
  await fixtures.write("model/model.onnx", tinyBertModel().bytes);
  await fixtures.write(
    "model/tokenizer.json",
    JSON.stringify(tinyTokenizerJson()),
  );
  await fixtures.write(
    "model/encoder.json",
    JSON.stringify({ name: "tiny-bert", pooling: "mean", maxLength: 16 }),
  );
});

afterAll(async () => {
  await fixtures.remove();
});

describe("rfcc --model", () => {
  it("builds mega-tokens with the model's encoder", async () => {
    const run = await runCli(
      [
        "compress",
        "notes.txt",
        "--ratio",
        "3",
        "--model",
        "model",
        "--format",
        "json",
        "--no-vectors",
      ],
      { cwd: fixtures.path },
    );
    const result = JSON.parse(run.stdout) as {
      megaTokens: { encoder: { id: string; dimension: number } };
      encoder: { id: string; name: string; version: string | null };
    };

    expect(run.code).toBe(0);
    expect(run.stderr.split("\n").filter((line) => line !== "")).toEqual([
      expect.stringMatching(/^rfcc: /),
    ]);
    expect(result.megaTokens.encoder.id).toMatch(/^onnx:tiny-bert:/);
    expect(result.encoder).toMatchObject({
      id: result.megaTokens.encoder.id,
      name: "tiny-bert",
      version: null,
    });
    expect(result.megaTokens.encoder.dimension).toBe(8);
  });

  it("routes a saved set with the same model", async () => {
    const saved = await runCli(
      [
        "compress",
        "notes.txt",
        "--ratio",
        "3",
        "--model",
        "model",
        "--mega-tokens",
        "notes.rfmt",
        "--quiet",
      ],
      { cwd: fixtures.path },
    );
    const routed = await runCli(
      ["route", "notes.rfmt", "--query", "the cat", "--model", "model"],
      { cwd: fixtures.path },
    );
    const withoutModel = await runCli(
      ["route", "notes.rfmt", "--query", "the cat"],
      { cwd: fixtures.path },
    );

    expect(saved.code).toBe(0);
    expect(routed.code).toBe(0);
    expect(routed.stdout).toMatch(/^1\. notes\.txt, characters /);
    expect(withoutModel.code).toBe(3);
    expect(withoutModel.stderr).toMatch(
      /pass the folder of that model with --model DIR\./,
    );
  });

  it("tells to drop --model for a file of the hashing encoder", async () => {
    const saved = await runCli(
      [
        "compress",
        "notes.txt",
        "--ratio",
        "3",
        "--encoder",
        "hashing",
        "--mega-tokens",
        "plain.rfmt",
      ],
      { cwd: fixtures.path },
    );
    const routed = await runCli(
      ["route", "plain.rfmt", "--query", "the cat", "--model", "model"],
      { cwd: fixtures.path },
    );

    expect(saved.code).toBe(0);
    expect(routed.code).toBe(3);
    expect(routed.stderr).toContain("run without --model");
  });

  it("checks a folder with a manifest against it", async () => {
    await fixtures.write(
      "listed/manifest.json",
      JSON.stringify({
        name: "tiny",
        version: "1",
        license: "test",
        dimension: 8,
        files: [{ path: "model.onnx", bytes: 1, sha256: "0".repeat(64) }],
        sources: [],
        command: "none",
      }),
    );
    await fixtures.write("listed/model.onnx", tinyBertModel().bytes);
    const run = await runCli(
      ["compress", "notes.txt", "--ratio", "3", "--model", "listed"],
      { cwd: fixtures.path },
    );

    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /manifest\.json does not list tokenizer\.json, encoder\.json/,
    );
  });

  it("rejects an empty model path", async () => {
    const run = await runCli(
      ["compress", "notes.txt", "--ratio", "3", "--model", ""],
      { cwd: fixtures.path },
    );

    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--model needs the path of a model folder");
  });

  it("names a folder without a model", async () => {
    const run = await runCli(
      ["compress", "notes.txt", "--ratio", "3", "--model", "missing"],
      { cwd: fixtures.path },
    );

    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /^rfcc: The model folder .*missing was not found/m,
    );
  });
});

describe("rfcc --encoder", () => {
  async function encoderOf(args: readonly string[]): Promise<string> {
    const run = await runCli(
      [
        "compress",
        "notes.txt",
        "--ratio",
        "3",
        "--format",
        "json",
        "--no-vectors",
        ...args,
      ],
      { cwd: fixtures.path },
    );
    expect(run.code).toBe(0);
    return (JSON.parse(run.stdout) as { encoder: { name: string } }).encoder
      .name;
  }

  it("uses the built-in model unless told otherwise", async () => {
    expect(await encoderOf([])).toBe("retrieval-free-static");
    expect(await encoderOf(["--encoder", "built-in"])).toBe(
      "retrieval-free-static",
    );
    expect(await encoderOf(["--encoder", "hashing"])).toBe("hashing");
    expect(await encoderOf(["--encoder", "none"])).toBe("none");
  });

  it("routes a file of the built-in model without --model", async () => {
    const saved = await runCli(
      [
        "compress",
        "notes.txt",
        "--ratio",
        "3",
        "--mega-tokens",
        "built-in.rfmt",
        "--quiet",
      ],
      { cwd: fixtures.path },
    );
    const routed = await runCli(
      ["route", "built-in.rfmt", "--query", "the cat", "--top", "1"],
      { cwd: fixtures.path },
    );

    expect(saved.code).toBe(0);
    expect(routed.code).toBe(0);
    expect(routed.stdout).toMatch(/^1\. notes\.txt, characters /);
  });

  it("refuses --encoder together with --model", async () => {
    const run = await runCli(
      [
        "compress",
        "notes.txt",
        "--ratio",
        "3",
        "--encoder",
        "hashing",
        "--model",
        "model",
      ],
      { cwd: fixtures.path },
    );

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "option '--model <DIR>' cannot be used with option '--encoder <NAME>'",
    );
  });

  it("refuses --mega-tokens with --encoder none", async () => {
    const run = await runCli(
      [
        "compress",
        "notes.txt",
        "--ratio",
        "3",
        "--encoder",
        "none",
        "--mega-tokens",
        "none.rfmt",
      ],
      { cwd: fixtures.path },
    );

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "--mega-tokens needs vectors, and --encoder none computes none",
    );
  });
});
