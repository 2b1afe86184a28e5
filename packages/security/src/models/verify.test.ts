import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import {
  mkdir,
  mkdtemp,
  readFile,
  rm,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { crc32 } from "node:zlib";

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

  it("starts an option error with the count of invalid options", async () => {
    const errorOf = async (options: unknown) =>
      (await verifyModel(folder, options as VerifyModelOptions).catch(
        (caught: unknown) => caught,
      )) as { code: string; message: string };

    const one = await errorOf({ allowedSources: ALLOWED, trustedKeys: {} });
    const two = await errorOf({
      allowedSources: "https://models.example.com",
      requireSignature: true,
    });
    const none = await errorOf(undefined);

    expect(one.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(one.message).toBe(
      "1 invalid option: trustedKeys must be a list of { keyId, publicKey } (received {}).",
    );
    expect(two.message).toMatch(
      /^2 invalid options: allowedSources must be a list of strings or RegExps, .* requireSignature needs at least one entry in trustedKeys\./u,
    );
    expect(none.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(none.message).toMatch(/^1 invalid option: The options must be /u);
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

/** Builds a ZIP archive of stored (uncompressed) members. */
function storedZip(members: Record<string, Buffer>): Buffer {
  const locals: Buffer[] = [];
  const entries: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(members)) {
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt32LE(crc32(data), 16);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    locals.push(local, Buffer.from(name), data);
    entries.push(entry, Buffer.from(name));
    offset += 30 + name.length + data.length;
  }
  const directory = Buffer.concat(entries);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(members).length, 8);
  end.writeUInt16LE(Object.keys(members).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Builds a version 1 NumPy file with the given header dict literal. */
function npy(header: string, data: Buffer): Buffer {
  const padded = header.padEnd(118, " ") + "\n";
  const length = Buffer.alloc(2);
  length.writeUInt16LE(padded.length, 0);
  return Buffer.concat([
    Buffer.from([0x93]),
    Buffer.from("NUMPY"),
    Buffer.from([1, 0]),
    length,
    Buffer.from(padded, "latin1"),
    data,
  ]);
}

describe("verifyModel and other pickle forms", () => {
  it("refuses a protocol 0 pickle that imports a function", async () => {
    const pickle = Buffer.from("cos\nsystem\n(S'echo hi'\ntR.", "latin1");
    await writeModel({ "model.bin": pickle });
    const error = await verifyModel(folder, { allowedSources: ALLOWED }).catch(
      (caught: unknown) => caught,
    );
    expect(String(error)).toContain("protocol 0 or 1 Python pickle");
  });

  it("refuses a ZIP whose pickle member lies past the first bytes", async () => {
    const zip = storedZip({
      "archive/padding": Buffer.alloc(5000, 120),
      "archive/data.pkl": Buffer.from([0x80, 0x02, 0x2e]),
    });
    await writeModel({ "pytorch_model.bin": zip });
    const error = await verifyModel(folder, { allowedSources: ALLOWED }).catch(
      (caught: unknown) => caught,
    );
    expect(String(error)).toContain("archive/data.pkl");
  });

  it("accepts a ZIP of plain arrays", async () => {
    await writeModel({
      "weights.npz": storedZip({ "w.npy": Buffer.alloc(64) }),
    });
    await expect(
      verifyModel(folder, { allowedSources: ALLOWED }),
    ).resolves.toMatchObject({ signature: "absent" });
  });

  it("tells NumPy object arrays from number arrays", async () => {
    const objects = npy(
      `{"descr": "|O", "fortran_order": False, "shape": (1,), }`,
      Buffer.from([0x80, 0x02]),
    );
    const numbers = npy(
      `{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }`,
      Buffer.from("'O''O'O'O"),
    );
    await writeModel({ "objects.npy": objects });
    expect(await codeOf(verifyModel(folder, { allowedSources: ALLOWED }))).toBe(
      SecurityErrorCode.MODEL_FORMAT_REFUSED,
    );

    await rm(join(folder, "objects.npy"));
    await writeModel({ "numbers.npy": numbers });
    await expect(
      verifyModel(folder, { allowedSources: ALLOWED }),
    ).resolves.toMatchObject({ signature: "absent" });
  });
});

describe("verifyModel and unusual files", () => {
  it("refuses a named pipe listed as a model file without waiting", async () => {
    await writeModel({ "model.onnx": "w" });
    await rm(join(folder, "model.onnx"));
    execFileSync("mkfifo", [join(folder, "model.onnx")]);
    const error = await verifyModel(folder, { allowedSources: ALLOWED }).catch(
      (caught: unknown) => caught,
    );
    expect(String(error)).toContain("not a regular file");
  });

  it("reports a signature path that is a folder", async () => {
    await writeModel({ "model.onnx": "w" });
    await mkdir(join(folder, SIGNATURE_FILE));
    expect(await codeOf(verifyModel(folder, { allowedSources: ALLOWED }))).toBe(
      SecurityErrorCode.MODEL_SIGNATURE_INVALID,
    );
  });

  it("rejects trusted keys that are not key entries", async () => {
    const options = {
      allowedSources: ALLOWED,
      trustedKeys: [null, { keyId: "" }],
    } as unknown as VerifyModelOptions;
    const error = (await verifyModel(folder, options).catch(
      (caught: unknown) => caught,
    )) as { issues: { path: string }[] };
    expect(error.issues.map((issue) => issue.path)).toEqual([
      "trustedKeys[0]",
      "trustedKeys[1]",
    ]);
  });

  it("tells a missing folder from a missing manifest", async () => {
    const missing = await verifyModel(join(folder, "nope"), {
      allowedSources: ALLOWED,
    }).catch((caught: unknown) => caught);
    const empty = await verifyModel(folder, { allowedSources: ALLOWED }).catch(
      (caught: unknown) => caught,
    );
    expect(String(missing)).toContain("was not found");
    expect(String(empty)).toContain("has no manifest.json");
  });
});

describe("createModelManifest and symbolic links", () => {
  it("lists a link to a file inside the folder", async () => {
    await writeFile(join(folder, "real.onnx"), "weights");
    await symlink(join(folder, "real.onnx"), join(folder, "linked.onnx"));
    const manifest = await createModelManifest(folder, {
      name: "m",
      version: "1",
      source: SOURCE,
      license: "MIT",
    });
    expect(manifest.files.map((file) => file.path)).toEqual([
      "linked.onnx",
      "real.onnx",
    ]);
  });

  it("refuses a link that leads out of the folder", async () => {
    const outside = await mkdtemp(join(tmpdir(), "rf-outside-"));
    await writeFile(join(outside, "model.onnx"), "weights");
    await symlink(join(outside, "model.onnx"), join(folder, "model.onnx"));
    const code = await codeOf(
      createModelManifest(folder, {
        name: "m",
        version: "1",
        source: SOURCE,
        license: "MIT",
      }),
    );
    await rm(outside, { recursive: true, force: true });
    expect(code).toBe(SecurityErrorCode.INVALID_OPTIONS);
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
