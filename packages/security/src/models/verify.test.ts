import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { openAuditLog } from "../audit/log.js";
import { SecurityErrorCode } from "../errors.js";
import { MANIFEST_FILE, SIGNATURE_FILE } from "./manifest.js";
import { createModelManifest, signModelManifest } from "./sign.js";
import {
  isSourceAllowed,
  verifyModel,
  type ModelAuditLog,
  type VerifyModelOptions,
} from "./verify.js";

const SOURCE = "https://models.example.com/acme/ner-small";
const ALLOWED = ["https://models.example.com/acme/*"];

let folder: string;

async function writeModel(files: Record<string, string | Buffer>) {
  for (const [name, content] of Object.entries(files)) {
    await writeFile(join(folder, name), content);
  }
  return createModelManifest(folder, {
    name: "ner-small",
    version: "1.0.0",
    source: SOURCE,
    license: "Apache-2.0",
  });
}

async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return (error as { code?: unknown } | undefined)?.code;
}

function recordingAudit() {
  const entries: Parameters<ModelAuditLog["append"]>[0][] = [];
  const audit: ModelAuditLog = {
    append(entry) {
      entries.push(entry);
      return Promise.resolve();
    },
  };
  return { audit, entries };
}

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "rf-model-"));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe("verifyModel", () => {
  it("verifies an unsigned model from an allowed source", async () => {
    await writeModel({ "model.onnx": "weights", "config.json": "{}" });
    const verified = await verifyModel(folder, { allowedSources: ALLOWED });
    expect(verified.signature).toBe("absent");
    expect(verified.files.map((file) => file.path)).toEqual([
      "config.json",
      "model.onnx",
    ]);
    expect(verified.files[0]?.data).toBeUndefined();
  });

  it("keeps the hashed bytes when asked", async () => {
    await writeModel({ "model.onnx": "weights" });
    const verified = await verifyModel(folder, {
      allowedSources: ALLOWED,
      keepBytes: true,
    });
    expect(Buffer.from(verified.files[0]?.data ?? []).toString()).toBe(
      "weights",
    );
  });

  it("refuses a source outside the allow-list and records the refusal", async () => {
    await writeModel({ "model.onnx": "weights" });
    const { audit, entries } = recordingAudit();
    const code = await codeOf(
      verifyModel(folder, {
        allowedSources: ["https://models.example.com/other/*"],
        audit,
      }),
    );
    expect(code).toBe(SecurityErrorCode.MODEL_SOURCE_NOT_ALLOWED);
    expect(entries).toEqual([
      expect.objectContaining({
        action: "model.load",
        outcome: "failure",
        details: expect.objectContaining({
          code: SecurityErrorCode.MODEL_SOURCE_NOT_ALLOWED,
        }) as unknown,
      }),
    ]);
  });

  it("records each verified load in the audit log", async () => {
    await writeModel({ "model.onnx": "weights" });
    const { audit, entries } = recordingAudit();
    await verifyModel(folder, { allowedSources: ALLOWED, audit, actor: "svc" });
    expect(entries).toEqual([
      {
        actor: "svc",
        action: "model.load",
        outcome: "success",
        target: "ner-small@1.0.0",
        details: { folder, source: SOURCE, signature: "absent", files: 1 },
      },
    ]);
  });

  it("refuses a file changed after the manifest was written", async () => {
    await writeModel({ "model.onnx": "weights" });
    await writeFile(join(folder, "model.onnx"), "weightz");
    const error = await verifyModel(folder, { allowedSources: ALLOWED }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({
      code: SecurityErrorCode.MODEL_INTEGRITY_FAILED,
    });
    expect(String(error)).toContain("model.onnx does not match");
  });

  it("refuses a missing file and a link that leaves the folder", async () => {
    await writeModel({ "model.onnx": "weights" });
    await rm(join(folder, "model.onnx"));
    expect(await codeOf(verifyModel(folder, { allowedSources: ALLOWED }))).toBe(
      SecurityErrorCode.MODEL_INTEGRITY_FAILED,
    );

    const outside = await mkdtemp(join(tmpdir(), "rf-outside-"));
    await writeFile(join(outside, "model.onnx"), "weights");
    await symlink(join(outside, "model.onnx"), join(folder, "model.onnx"));
    const error = await verifyModel(folder, { allowedSources: ALLOWED }).catch(
      (caught: unknown) => caught,
    );
    await rm(outside, { recursive: true, force: true });
    expect(String(error)).toContain("outside the model folder");
  });

  it("lists every problem of an invalid manifest", async () => {
    await writeFile(
      join(folder, MANIFEST_FILE),
      JSON.stringify({
        name: "x",
        version: "1",
        license: "MIT",
        files: [
          { path: "../escape", bytes: 1, sha256: "0".repeat(64) },
          { path: "a", bytes: -1, sha256: "xyz" },
          { path: "a", bytes: 1, sha256: "0".repeat(64) },
        ],
      }),
    );
    const error = (await verifyModel(folder, {
      allowedSources: ALLOWED,
    }).catch((caught: unknown) => caught)) as { issues: { path: string }[] };
    expect(error.issues.map((issue) => issue.path)).toEqual([
      "source",
      "files[0].path",
      "files[1].bytes",
      "files[1].sha256",
      "files[2].path",
    ]);
  });

  it("validates its options all at once", async () => {
    const options = {
      allowedSources: "https://models.example.com",
      requireSignature: true,
    } as unknown as VerifyModelOptions;
    const error = (await verifyModel(folder, options).catch(
      (caught: unknown) => caught,
    )) as { code: string; issues: unknown[] };
    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.issues).toHaveLength(2);
  });
});

describe("verifyModel with signatures", () => {
  const trusted = generateKeyPairSync("ed25519");
  const other = generateKeyPairSync("ed25519");
  const trustedKeys = [{ keyId: "release-2026", publicKey: trusted.publicKey }];

  it("verifies a manifest signed by a trusted key", async () => {
    await writeModel({ "model.onnx": "weights" });
    await signModelManifest(folder, {
      privateKey: trusted.privateKey,
      keyId: "release-2026",
    });
    const verified = await verifyModel(folder, {
      allowedSources: ALLOWED,
      trustedKeys,
      requireSignature: true,
    });
    expect(verified).toMatchObject({
      signature: "verified",
      keyId: "release-2026",
    });
  });

  it("refuses an unsigned model when signatures are required", async () => {
    await writeModel({ "model.onnx": "weights" });
    const options = { allowedSources: ALLOWED, trustedKeys };
    await expect(verifyModel(folder, options)).resolves.toMatchObject({
      signature: "absent",
    });
    expect(
      await codeOf(verifyModel(folder, { ...options, requireSignature: true })),
    ).toBe(SecurityErrorCode.MODEL_SIGNATURE_INVALID);
  });

  it("refuses a signature by another key under a trusted key's id", async () => {
    await writeModel({ "model.onnx": "weights" });
    await signModelManifest(folder, {
      privateKey: other.privateKey,
      keyId: "release-2026",
    });
    expect(
      await codeOf(
        verifyModel(folder, { allowedSources: ALLOWED, trustedKeys }),
      ),
    ).toBe(SecurityErrorCode.MODEL_SIGNATURE_INVALID);
  });

  it("refuses a manifest edited after it was signed", async () => {
    await writeModel({ "model.onnx": "weights" });
    await signModelManifest(folder, {
      privateKey: trusted.privateKey,
      keyId: "release-2026",
    });
    const path = join(folder, MANIFEST_FILE);
    const text = await readFile(path, "utf8");
    await writeFile(path, text.replace("Apache-2.0", "MIT"));
    const error = await verifyModel(folder, {
      allowedSources: ALLOWED,
      trustedKeys,
    }).catch((caught: unknown) => caught);
    expect(String(error)).toContain("does not verify");
  });

  it("reports a damaged signature file", async () => {
    await writeModel({ "model.onnx": "weights" });
    await writeFile(join(folder, SIGNATURE_FILE), "not json");
    expect(
      await codeOf(
        verifyModel(folder, { allowedSources: ALLOWED, trustedKeys }),
      ),
    ).toBe(SecurityErrorCode.MODEL_SIGNATURE_INVALID);
  });

  it("rejects a signing key that is not Ed25519", async () => {
    await writeModel({ "model.onnx": "weights" });
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
    expect(
      await codeOf(
        signModelManifest(folder, { privateKey: rsa.privateKey, keyId: "k" }),
      ),
    ).toBe(SecurityErrorCode.INVALID_OPTIONS);
  });
});

describe("verifyModel and pickle-based formats", () => {
  it("refuses a listed PyTorch file by its name before reading it", async () => {
    await writeModel({ "model.pt": "anything" });
    expect(await codeOf(verifyModel(folder, { allowedSources: ALLOWED }))).toBe(
      SecurityErrorCode.MODEL_FORMAT_REFUSED,
    );
  });

  it("refuses pickle bytes under a harmless name", async () => {
    const pickle = Buffer.from([0x80, 0x04, 0x95, 0x10, 0x00]);
    await writeModel({ "pytorch_model.bin": pickle });
    const error = await verifyModel(folder, { allowedSources: ALLOWED }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({
      code: SecurityErrorCode.MODEL_FORMAT_REFUSED,
    });
    expect(String(error)).toContain("Python pickle");
  });

  it("refuses a ZIP archive that holds a pickle", async () => {
    const zip = Buffer.concat([
      Buffer.from([0x50, 0x4b, 0x03, 0x04]),
      Buffer.alloc(26),
      Buffer.from("archive/data.pkl"),
    ]);
    await writeModel({ "weights.bin": zip });
    expect(await codeOf(verifyModel(folder, { allowedSources: ALLOWED }))).toBe(
      SecurityErrorCode.MODEL_FORMAT_REFUSED,
    );
  });
});

describe("verifyModel with the audit log", () => {
  it("appends each load to a hash-chained audit log", async () => {
    await writeModel({ "model.onnx": "weights" });
    const log = await openAuditLog({
      store: { jsonl: join(folder, "audit.jsonl") },
    });

    await verifyModel(folder, { allowedSources: ALLOWED, audit: log });
    await codeOf(verifyModel(folder, { allowedSources: [], audit: log }));
    const records = await log.read();
    const verified = await log.verify();
    await log.close();

    expect(records.map((record) => record.entry.outcome)).toEqual([
      "success",
      "failure",
    ]);
    expect(verified.ok).toBe(true);
  });
});

describe("isSourceAllowed", () => {
  it("matches exactly, by a prefix ending in *, or by a RegExp", () => {
    expect(isSourceAllowed("urn:a", ["urn:a"])).toBe(true);
    expect(isSourceAllowed("urn:ab", ["urn:a"])).toBe(false);
    expect(isSourceAllowed("urn:ab", ["urn:a*"])).toBe(true);
    expect(isSourceAllowed("https://x.test/m", [/^https:\/\/x\.test\//u])).toBe(
      true,
    );
    expect(isSourceAllowed("urn:a", [])).toBe(false);
  });
});

describe("the built-in model of the core engine", () => {
  it("carries a manifest in this format that verifies", async () => {
    const builtIn = fileURLToPath(
      new URL("../../../core-engine/model/", import.meta.url),
    );
    const verified = await verifyModel(builtIn, {
      allowedSources: ["urn:retrieval-free:built-in-model"],
    });
    expect(verified.manifest.name).toBe("retrieval-free-static");
    expect(verified.files.map((file) => file.path)).toContain("model.onnx");
  });
});
