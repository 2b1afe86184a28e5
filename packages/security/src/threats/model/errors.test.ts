import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { SecurityErrorCode } from "../../errors.js";
import { captureSecurityError } from "../../pii/model/test-support/capture-error.js";
import {
  removeTinyModel,
  writeTinyNerModel,
} from "../../pii/model/test-support/tiny-ner.js";
import { loadThreatClassifier } from "./load.js";
import type { LoadThreatClassifierOptions } from "./options.js";
import {
  removeTinyThreatModel,
  writeTinyThreatModel,
} from "./test-support/tiny-classifier.js";
import type { TinyThreatOptions } from "./test-support/tiny-classifier.js";

const folders: string[] = [];

afterEach(async () => {
  await Promise.all(folders.splice(0).map(removeTinyThreatModel));
});

async function freshFolder(options?: TinyThreatOptions): Promise<string> {
  const folder = await writeTinyThreatModel(options);
  folders.push(folder);
  return folder;
}

function loadError(
  folder: unknown,
  options?: LoadThreatClassifierOptions,
): ReturnType<typeof captureSecurityError> {
  return captureSecurityError(() =>
    loadThreatClassifier(folder as string, options),
  );
}

describe("loadThreatClassifier folder errors", () => {
  it.each([undefined, "", "  ", 42])(
    "rejects the folder %j",
    async (folder) => {
      const error = await loadError(folder);

      expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
      expect(error.issues[0]?.path).toBe("folder");
      expect(error.message).toContain("loadThreatClassifier needs the path");
    },
  );

  it("names a folder that does not exist", async () => {
    const folder = join(await freshFolder(), "missing");

    const error = await loadError(folder);

    expect(error.code).toBe(SecurityErrorCode.MODEL_INTEGRITY_FAILED);
    expect(error.message).toContain(`The model folder ${folder} was not found`);
  });

  it.each([
    ["model.onnx", "export the model to ONNX for text classification"],
    ["tokenizer.json", "tokenizer.json was not found"],
    ["config.json", "config.json was not found"],
  ])("names a missing %s", async (file, expected) => {
    const folder = await freshFolder();
    await rm(join(folder, file));

    const error = await loadError(folder);

    expect(error.code).toBe(SecurityErrorCode.MODEL_INTEGRITY_FAILED);
    expect(error.message).toContain(join(folder, file));
    expect(error.message).toContain(expected);
  });

  it.each([
    ["config.json", "{}", 'such as "INJECTION"'],
    ["config.json", "{ id2label", "is not valid JSON"],
    [
      "tokenizer.json",
      '{"model":{"type":"BPE"}}',
      "loadThreatClassifier supports WordPiece",
    ],
    ["model.onnx", "not a model", "exported for text classification"],
  ])("names an invalid %s: %s", async (file, content, expected) => {
    const folder = await freshFolder();
    await writeFile(join(folder, file), content);

    const error = await loadError(folder);

    expect(error.code).toBe(SecurityErrorCode.MODEL_INTEGRITY_FAILED);
    expect(error.message).toContain(join(folder, file));
    expect(error.message).toContain(expected);
  });
});

describe("loadThreatClassifier model errors", () => {
  it("rejects a config with more labels than outputs", async () => {
    const folder = await freshFolder({
      config: {
        id2label: { 0: "SAFE", 1: "INJECTION", 2: "JAILBREAK" },
        max_position_embeddings: 64,
      },
    });

    const error = await loadError(folder);

    expect(error.code).toBe(SecurityErrorCode.MODEL_INTEGRITY_FAILED);
    expect(error.message).toContain("returns 2 scores per sentence");
    expect(error.message).toContain("lists 3 labels");
  });

  it("rejects a token-classification model", async () => {
    const folder = await writeTinyNerModel();

    const error = await loadError(folder, { threatLabels: ["B-PER"] });
    await removeTinyModel(folder);

    expect(error.code).toBe(SecurityErrorCode.MODEL_INTEGRITY_FAILED);
    expect(error.message).toContain("shape [batch, labels]");
  });

  it("rejects a maxLength beyond the model's limit", async () => {
    const folder = await freshFolder();

    const error = await loadError(folder, { maxLength: 65 });

    expect(error.code).toBe(SecurityErrorCode.MODEL_INTEGRITY_FAILED);
    expect(error.message).toContain("up to 65 tokens");
    expect(error.message).toContain("maxLength");
  });

  it("rejects threat labels the model lacks", async () => {
    const folder = await freshFolder();

    const error = await loadError(folder, { threatLabels: ["JAILBREAK"] });

    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.message).toContain(join(folder, "config.json"));
    expect(error.message).toContain("use one of SAFE, INJECTION");
  });
});

describe("loadThreatClassifier option errors", () => {
  it("lists every invalid option at once", async () => {
    const error = await loadError("/no/model/needed", {
      name: "",
      threatLabels: [],
      maxLength: 2,
      batchSize: 0,
      threads: 1.5,
      integrity: "yes",
      colour: "red",
    } as unknown as LoadThreatClassifierOptions);

    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.issues.map((issue) => issue.path)).toEqual([
      "colour",
      "name",
      "threatLabels",
      "maxLength",
      "batchSize",
      "threads",
      "integrity",
    ]);
    expect(error.message).toContain("7 invalid options");
  });

  it.each([null, "fast", [1]])("rejects the options %j", async (options) => {
    const error = await loadError(
      "/no/model/needed",
      options as unknown as LoadThreatClassifierOptions,
    );

    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
  });

  it.each([
    ["threatLabels", ["INJECTION", ""]],
    ["threatLabels", "INJECTION"],
    ["maxLength", 70_000],
    ["batchSize", 2.5],
    ["threads", 0],
  ])("rejects %s %j", async (path, value) => {
    const error = await loadError("/no/model/needed", { [path]: value });

    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.issues.map((issue) => issue.path)).toEqual([path]);
  });
});
