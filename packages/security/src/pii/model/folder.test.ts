import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { SecurityErrorCode } from "../../errors.js";
import { readModelFolder } from "./folder.js";
import { loadNerRecognizer } from "./load.js";
import { captureSecurityError } from "./test-support/capture-error.js";
import { removeTinyModel, writeTinyNerModel } from "./test-support/tiny-ner.js";

const folders: string[] = [];

/** Writes a fresh tiny model folder that a test may damage. */
async function freshFolder(
  options: Parameters<typeof writeTinyNerModel>[0] = {},
): Promise<string> {
  const folder = await writeTinyNerModel(options);
  folders.push(folder);
  return folder;
}

async function loadError(
  folder: string,
  options: Parameters<typeof loadNerRecognizer>[1] = {},
) {
  return captureSecurityError(() => loadNerRecognizer(folder, options));
}

let valid = "";

beforeAll(async () => {
  valid = await freshFolder();
});

afterAll(async () => {
  await Promise.all(folders.map(removeTinyModel));
});

describe("readModelFolder", () => {
  it("reads the files, the labels and the length", async () => {
    const files = await readModelFolder(valid);
    expect(files.labels).toHaveLength(9);
    expect(files.maxLength).toBe(64);
    expect(files.sources.model).toBe(join(valid, "model.onnx"));
    expect(files.model.length).toBeGreaterThan(0);
  });

  it("prefers the tokenizer's model_max_length", async () => {
    const folder = await freshFolder();
    await writeFile(
      join(folder, "tokenizer_config.json"),
      JSON.stringify({ model_max_length: 32 }),
    );
    expect((await readModelFolder(folder)).maxLength).toBe(32);
    await writeFile(
      join(folder, "tokenizer_config.json"),
      JSON.stringify({ model_max_length: 1e30 }),
    );
    expect((await readModelFolder(folder)).maxLength).toBe(64);
  });

  it("finds the model under onnx/", async () => {
    const folder = await freshFolder();
    await mkdir(join(folder, "onnx"));
    await writeFile(
      join(folder, "onnx", "model.onnx"),
      await readFile(join(folder, "model.onnx")),
    );
    await rm(join(folder, "model.onnx"));
    const files = await readModelFolder(folder);
    expect(files.sources.model).toBe(join(folder, "onnx", "model.onnx"));
  });
});

describe("loadNerRecognizer on an invalid folder", () => {
  it("names a folder that does not exist", async () => {
    const missing = join(valid, "missing");
    const error = await loadError(missing);
    expect(error.code).toBe(SecurityErrorCode.MODEL_INTEGRITY_FAILED);
    expect(error.message).toContain(
      `The model folder ${missing} was not found`,
    );
  });

  it("names a file passed as the folder", async () => {
    const file = join(valid, "config.json");
    const error = await loadError(file);
    expect(error.code).toBe(SecurityErrorCode.MODEL_INTEGRITY_FAILED);
    expect(error.message).toContain(`${file} is not a folder`);
  });

  it.each([
    ["model.onnx", "has no model.onnx", "export the model to ONNX"],
    ["tokenizer.json", "tokenizer.json was not found", "save_pretrained"],
    ["config.json", "config.json was not found", "id2label"],
  ])("names a missing %s", async (file, expected, fix) => {
    const folder = await freshFolder();
    await rm(join(folder, file));
    const error = await loadError(folder);
    expect(error.code).toBe(SecurityErrorCode.MODEL_INTEGRITY_FAILED);
    expect(error.message).toContain(expected);
    expect(error.message).toContain(fix);
  });

  it("names a config.json that is a folder", async () => {
    const folder = await freshFolder();
    await rm(join(folder, "config.json"));
    await mkdir(join(folder, "config.json"));
    const error = await loadError(folder);
    expect(error.message).toContain("config.json is not a regular file");
  });

  it.each([
    ["config.json", "{ id2label: ", "is not valid JSON"],
    ["tokenizer.json", "not json", "is not valid JSON"],
    ["config.json", "{}", 'has no "id2label" object'],
    [
      "config.json",
      '{"id2label":{"0":"O","2":"B-PER"}}',
      "no label for index 1",
    ],
    ["config.json", '{"id2label":{"0":"O","1":""}}', "no label for index 1"],
    ["tokenizer.json", '{"model":{"type":"BPE"}}', "uses a BPE tokenizer"],
  ])("names an invalid %s: %s", async (file, content, expected) => {
    const folder = await freshFolder();
    await writeFile(join(folder, file), content);
    const error = await loadError(folder);
    expect(error.code).toBe(SecurityErrorCode.MODEL_INTEGRITY_FAILED);
    expect(error.message).toContain(join(folder, file));
    expect(error.message).toContain(expected);
  });

  it("reads a config.json with a byte order mark", async () => {
    const folder = await freshFolder();
    const path = join(folder, "config.json");
    await writeFile(path, `\uFEFF${await readFile(path, "utf8")}`);
    expect((await readModelFolder(folder)).labels[0]).toBe("O");
  });

  it("names a model.onnx that is not a model", async () => {
    const folder = await freshFolder();
    await writeFile(join(folder, "model.onnx"), "not a model");
    const error = await loadError(folder);
    expect(error.code).toBe(SecurityErrorCode.MODEL_INTEGRITY_FAILED);
    expect(error.message).toContain("could not be loaded by ONNX Runtime");
  });

  it("names an empty model.onnx", async () => {
    const folder = await freshFolder();
    await writeFile(join(folder, "model.onnx"), "");
    const error = await loadError(folder);
    expect(error.message).toContain("model.onnx is empty");
  });

  it("names a mismatched label count", async () => {
    const folder = await freshFolder({
      config: {
        id2label: { 0: "O", 1: "B-PER", 2: "I-PER" },
        max_position_embeddings: 64,
      },
    });
    const error = await loadError(folder);
    expect(error.code).toBe(SecurityErrorCode.MODEL_INTEGRITY_FAILED);
    expect(error.message).toContain("returns 9 scores per token");
    expect(error.message).toContain("lists 3 labels");
  });

  it("raises when no label maps to a kind", async () => {
    const folder = await freshFolder({
      labels: ["O", "B-ORG", "I-ORG"],
      tokens: { acme: { label: "B-ORG", logit: 6 } },
    });
    const error = await loadError(folder);
    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.message).toContain("(ORG)");
    expect(error.issues[0]?.path).toBe("entityTypes");
  });
});

describe("loadNerRecognizer options", () => {
  it("lists every invalid option at once", async () => {
    const error = await loadError(valid, {
      minScore: 2,
      maxLength: 2.5,
      aggregation: "mean",
      entityTypes: { ORG: "COMPANY" },
      batchSize: 0,
      colour: "red",
    } as never);
    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.issues.map((issue) => issue.path).sort()).toEqual([
      "aggregation",
      "batchSize",
      "colour",
      "entityTypes",
      "maxLength",
      "minScore",
    ]);
    expect(error.message).toContain("6 invalid options");
  });

  it("rejects an overlap as long as a window", async () => {
    const error = await loadError(valid, { maxLength: 10, windowOverlap: 8 });
    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.issues[0]?.path).toBe("windowOverlap");
    expect(error.message).toContain("less than the 8 text tokens");
  });

  it("rejects a non-string folder", async () => {
    const error = await loadError(42 as unknown as string);
    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.issues[0]?.path).toBe("folder");
  });
});
