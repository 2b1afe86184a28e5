import { writeFile } from "node:fs/promises";
import { join } from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { SecurityErrorCode } from "../../errors.js";
import { createModelManifest } from "../../models/sign.js";
import type { ModelAuditLog } from "../../models/verify.js";
import { captureSecurityError } from "../../pii/model/test-support/capture-error.js";
import { loadThreatClassifier } from "./load.js";
import {
  expectedTinyScore,
  removeTinyThreatModel,
  writeTinyThreatModel,
} from "./test-support/tiny-classifier.js";

const SOURCE = "https://models.example.com/tiny-guard";

let folder = "";

async function writeManifest(files?: string[]): Promise<void> {
  await createModelManifest(folder, {
    name: "tiny-guard",
    version: "1.0.0",
    source: SOURCE,
    license: "Apache-2.0",
    ...(files === undefined ? {} : { files }),
  });
}

beforeEach(async () => {
  folder = await writeTinyThreatModel();
  await writeManifest();
});

afterEach(async () => {
  await removeTinyThreatModel(folder);
});

describe("loadThreatClassifier with integrity options", () => {
  it("loads a verified model and records the load", async () => {
    const entries: unknown[] = [];
    const audit: ModelAuditLog = {
      append(entry) {
        entries.push(entry);
        return Promise.resolve();
      },
    };
    const classifier = await loadThreatClassifier(folder, {
      integrity: { allowedSources: [SOURCE], audit },
    });

    const [score] = await classifier.classify(["zorblat"]);
    await classifier.close();

    expect(score).toBeCloseTo(expectedTinyScore(1, 1), 5);
    expect(entries).toEqual([
      expect.objectContaining({ action: "model.load", outcome: "success" }),
    ]);
  });

  it("rejects a file changed after the manifest", async () => {
    await writeFile(
      join(folder, "config.json"),
      JSON.stringify({ id2label: { 0: "INJECTION", 1: "SAFE" } }),
    );

    const error = await captureSecurityError(() =>
      loadThreatClassifier(folder, { integrity: { allowedSources: [SOURCE] } }),
    );

    expect(error.code).toBe(SecurityErrorCode.MODEL_INTEGRITY_FAILED);
    expect(error.message).toContain("config.json does not match");
  });

  it("rejects a source outside the allow-list", async () => {
    const error = await captureSecurityError(() =>
      loadThreatClassifier(folder, {
        integrity: { allowedSources: ["https://other.example.com/*"] },
      }),
    );

    expect(error.code).toBe(SecurityErrorCode.MODEL_SOURCE_NOT_ALLOWED);
  });

  it("rejects a file the manifest does not list", async () => {
    await writeManifest(["model.onnx", "tokenizer.json"]);

    const error = await captureSecurityError(() =>
      loadThreatClassifier(folder, { integrity: { allowedSources: [SOURCE] } }),
    );

    expect(error.code).toBe(SecurityErrorCode.MODEL_INTEGRITY_FAILED);
    expect(error.message).toContain(join(folder, "config.json"));
    expect(error.message).toContain("not listed in the model's manifest.json");
  });
});
