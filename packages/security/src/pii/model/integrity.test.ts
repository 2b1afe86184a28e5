import { generateKeyPairSync } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { SecurityErrorCode } from "../../errors.js";
import { createModelManifest, signModelManifest } from "../../models/sign.js";
import type { ModelAuditLog } from "../../models/verify.js";
import { loadNerRecognizer } from "./load.js";
import { captureSecurityError } from "./test-support/capture-error.js";
import { removeTinyModel, writeTinyNerModel } from "./test-support/tiny-ner.js";

const SOURCE = "https://models.example.com/tiny-ner";

let folder = "";

beforeEach(async () => {
  folder = await writeTinyNerModel();
  await createModelManifest(folder, {
    name: "tiny-ner",
    version: "1.0.0",
    source: SOURCE,
    license: "Apache-2.0",
  });
});

afterEach(async () => {
  await removeTinyModel(folder);
});

describe("loadNerRecognizer with integrity options", () => {
  it("loads a verified model and records the load", async () => {
    const entries: unknown[] = [];
    const audit: ModelAuditLog = {
      append(entry) {
        entries.push(entry);
        return Promise.resolve();
      },
    };
    const ner = await loadNerRecognizer(folder, {
      integrity: { allowedSources: [SOURCE], audit },
    });

    const findings = await ner.recognize("then ada lovelace went to paris");
    await ner.close();

    expect(findings.map((finding) => finding.text)).toEqual([
      "ada lovelace",
      "paris",
    ]);
    expect(entries).toEqual([
      expect.objectContaining({ action: "model.load", outcome: "success" }),
    ]);
  });

  it("refuses a file changed after the manifest was written", async () => {
    await writeFile(join(folder, "config.json"), "{}");

    const error = await captureSecurityError(() =>
      loadNerRecognizer(folder, { integrity: { allowedSources: [SOURCE] } }),
    );

    expect(error.code).toBe(SecurityErrorCode.MODEL_INTEGRITY_FAILED);
    expect(error.message).toContain("config.json does not match");
  });

  it("refuses a model source outside the allow-list", async () => {
    const error = await captureSecurityError(() =>
      loadNerRecognizer(folder, {
        integrity: { allowedSources: ["https://other.example.com/*"] },
      }),
    );

    expect(error.code).toBe(SecurityErrorCode.MODEL_SOURCE_NOT_ALLOWED);
  });

  it("refuses an unsigned model when a signature is required", async () => {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const integrity = {
      allowedSources: [SOURCE],
      trustedKeys: [{ keyId: "k1", publicKey }],
      requireSignature: true,
    };

    const unsigned = await captureSecurityError(() =>
      loadNerRecognizer(folder, { integrity }),
    );
    await signModelManifest(folder, { privateKey, keyId: "k1" });
    const ner = await loadNerRecognizer(folder, { integrity });
    await ner.close();

    expect(unsigned.code).toBe(SecurityErrorCode.MODEL_SIGNATURE_INVALID);
  });

  it("refuses a file that the manifest does not list", async () => {
    await createModelManifest(folder, {
      name: "tiny-ner",
      version: "1.0.0",
      source: SOURCE,
      license: "Apache-2.0",
      files: ["model.onnx", "tokenizer.json"],
    });

    const error = await captureSecurityError(() =>
      loadNerRecognizer(folder, { integrity: { allowedSources: [SOURCE] } }),
    );

    expect(error.code).toBe(SecurityErrorCode.MODEL_INTEGRITY_FAILED);
    expect(error.message).toContain("not listed in the model's manifest.json");
  });
});
