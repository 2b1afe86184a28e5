import {
  createHash,
  createPrivateKey,
  randomBytes,
  sign,
  type KeyObject,
} from "node:crypto";
import {
  readdir,
  readFile,
  realpath,
  rename,
  stat,
  writeFile,
} from "node:fs/promises";
import { join, relative, sep } from "node:path";

import {
  SecurityError,
  SecurityErrorCode,
  type SecurityIssue,
} from "../errors.js";
import {
  MANIFEST_FILE,
  modelManifestIssues,
  SIGNATURE_FILE,
  type ModelManifest,
  type ModelSignature,
} from "./manifest.js";

/** Fields that {@link createModelManifest} writes besides the file list. */
export interface CreateModelManifestOptions {
  readonly name: string;
  readonly version: string;
  /** Origin of the model, such as the URL it was downloaded from. */
  readonly source: string;
  readonly license: string;
  /**
   * Paths of the files to list, relative to the folder. @default every
   * regular file in the folder and its subfolders, and every symbolic
   * link to one inside the folder, except the manifest and its signature
   */
  readonly files?: readonly string[];
  /** Further fields to keep in the manifest, such as a description. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Writes a file through a temporary name, so readers never see half. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}

/**
 * Tells whether a symbolic link leads to a regular file inside the
 * folder, which verifyModel accepts; a link that leads out is refused.
 */
async function linkedFileInside(root: string, path: string): Promise<boolean> {
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return false;
  }
  if (!real.startsWith(root + sep)) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_OPTIONS,
      `${path} is a symbolic link to ${real}, outside the model folder, which verifyModel refuses. Copy the file into the folder (for a Hugging Face cache, download with --local-dir).`,
    );
  }
  return (await stat(real)).isFile();
}

async function listFiles(folder: string): Promise<string[]> {
  const root = await realpath(folder);
  const entries = await readdir(folder, {
    recursive: true,
    withFileTypes: true,
  });
  const paths: string[] = [];
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    if (
      entry.isFile() ||
      (entry.isSymbolicLink() && (await linkedFileInside(root, path)))
    ) {
      paths.push(relative(folder, path).split(sep).join("/"));
    }
  }
  return paths
    .filter((path) => path !== MANIFEST_FILE && path !== SIGNATURE_FILE)
    .sort();
}

/**
 * Hashes the model files in a folder and writes its `manifest.json`,
 * replacing any earlier manifest (and leaving its signature stale).
 */
export async function createModelManifest(
  folder: string,
  options: CreateModelManifestOptions,
): Promise<ModelManifest> {
  const paths = options.files ?? (await listFiles(folder));
  const files = [];
  for (const path of paths) {
    const bytes = await readFile(join(folder, path));
    files.push({
      path,
      bytes: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
    });
  }
  const manifest: ModelManifest = {
    ...options.extra,
    name: options.name,
    version: options.version,
    source: options.source,
    license: options.license,
    files,
  };
  const issues = modelManifestIssues(manifest);
  if (issues.length > 0) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_OPTIONS,
      `Cannot write a manifest for ${folder}: ${issues
        .map((issue) => `${issue.path}: ${issue.message}`)
        .join(" ")}`,
      { issues },
    );
  }
  await writeAtomically(
    join(folder, MANIFEST_FILE),
    `${JSON.stringify(manifest, null, 2)}\n`,
  );
  return manifest;
}

function signingIssues(key: KeyObject, keyId: unknown): SecurityIssue[] {
  const issues: SecurityIssue[] = [];
  if (key.type !== "private" || key.asymmetricKeyType !== "ed25519") {
    issues.push({
      path: "privateKey",
      value: `${key.type} ${String(key.asymmetricKeyType)} key`,
      message:
        'Pass an Ed25519 private key, as from generateKeyPairSync("ed25519").',
    });
  }
  if (typeof keyId !== "string" || keyId.trim() === "") {
    issues.push({
      path: "keyId",
      value: keyId,
      message: "Name the key, so verifiers know which public key to use.",
    });
  }
  return issues;
}

/**
 * Signs the exact bytes of a folder's `manifest.json` with an Ed25519
 * private key and writes the detached signature to `manifest.json.sig`.
 */
export async function signModelManifest(
  folder: string,
  options: { readonly privateKey: KeyObject | string; readonly keyId: string },
): Promise<ModelSignature> {
  const key =
    typeof options.privateKey === "string"
      ? createPrivateKey(options.privateKey)
      : options.privateKey;
  const issues = signingIssues(key, options.keyId);
  if (issues.length > 0) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_OPTIONS,
      `Cannot sign the manifest in ${folder}: ${issues
        .map((issue) => `${issue.path}: ${issue.message}`)
        .join(" ")}`,
      { issues },
    );
  }
  const bytes = await readFile(join(folder, MANIFEST_FILE));
  const signature: ModelSignature = {
    algorithm: "ed25519",
    keyId: options.keyId,
    signature: sign(null, bytes, key).toString("base64"),
  };
  await writeAtomically(
    join(folder, SIGNATURE_FILE),
    `${JSON.stringify(signature, null, 2)}\n`,
  );
  return signature;
}
