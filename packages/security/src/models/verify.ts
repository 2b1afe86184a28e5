import { createPublicKey, KeyObject, verify } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";

import {
  describeValue,
  isSecurityError,
  SecurityError,
  SecurityErrorCode,
  type SecurityIssue,
} from "../errors.js";
import { checkModelFiles, type VerifiedModelFile } from "./files.js";
import {
  MANIFEST_FILE,
  modelManifestIssues,
  parseModelSignature,
  SIGNATURE_FILE,
  type ModelManifest,
  type ModelSignature,
} from "./manifest.js";

/** A public key that may sign model manifests, and the id that names it. */
export interface TrustedModelKey {
  readonly keyId: string;
  /** An Ed25519 public key, as a KeyObject or in PEM. */
  readonly publicKey: KeyObject | string;
}

/** An audit log that records verified and refused model loads. */
export interface ModelAuditLog {
  append(entry: {
    actor: string;
    action: string;
    outcome: string;
    target?: string;
    details?: { readonly [field: string]: string | number };
  }): Promise<unknown>;
}

/** Options of {@link verifyModel}. */
export interface VerifyModelOptions {
  /**
   * Sources a model may come from. A string matches the manifest's
   * `source` exactly, or as a prefix when it ends with `*`; a RegExp is
   * tested against it. An empty list allows no model.
   */
  readonly allowedSources: readonly (string | RegExp)[];
  /** Keys whose signatures are accepted. @default [] */
  readonly trustedKeys?: readonly TrustedModelKey[];
  /** Refuse a model whose manifest carries no valid signature. @default false */
  readonly requireSignature?: boolean;
  /** Records each verified or refused load. @default undefined */
  readonly audit?: ModelAuditLog;
  /** The actor named in audit entries. @default "model-loader" */
  readonly actor?: string;
  /**
   * Keep the verified bytes of every file in the result, so the caller
   * loads exactly what was hashed. @default false
   */
  readonly keepBytes?: boolean;
}

/** The outcome of a successful {@link verifyModel}. */
export interface VerifiedModel {
  readonly folder: string;
  readonly manifest: ModelManifest;
  /**
   * `verified` when a trusted key's signature matched, `unchecked` when a
   * signature exists but no trusted keys were given, `absent` otherwise.
   */
  readonly signature: "verified" | "unchecked" | "absent";
  /** The id of the key that signed the manifest, when verified. */
  readonly keyId?: string;
  readonly files: readonly VerifiedModelFile[];
}

function optionIssues(options: VerifyModelOptions): SecurityIssue[] {
  const received: unknown = options;
  if (typeof received !== "object" || received === null) {
    return [
      {
        path: "",
        value: received,
        message: `The options must be an object such as { allowedSources: ["https://models.example.com/*"] } (received ${describeValue(received)}).`,
      },
    ];
  }
  const issues: SecurityIssue[] = [];
  const sources: unknown = options.allowedSources;
  if (
    !Array.isArray(sources) ||
    !sources.every((rule) => typeof rule === "string" || rule instanceof RegExp)
  ) {
    issues.push({
      path: "allowedSources",
      value: sources,
      message: `allowedSources must be a list of strings or RegExps, such as ["https://models.example.com/*"] (received ${describeValue(sources)}).`,
    });
  }
  issues.push(...keyIssues(options));
  return issues;
}

function keyIssues(options: VerifyModelOptions): SecurityIssue[] {
  const issues: SecurityIssue[] = [];
  const keys: unknown = options.trustedKeys ?? [];
  if (!Array.isArray(keys)) {
    issues.push({
      path: "trustedKeys",
      value: keys,
      message: `trustedKeys must be a list of { keyId, publicKey } (received ${describeValue(keys)}).`,
    });
  } else {
    keys.forEach((key: unknown, index) => {
      if (!isTrustedKey(key)) {
        issues.push({
          path: `trustedKeys[${index}]`,
          value: key,
          message: `trustedKeys[${index}] must be { keyId, publicKey } with a non-empty keyId and an Ed25519 public key as a KeyObject or PEM.`,
        });
      }
    });
  }
  if (
    options.requireSignature === true &&
    (!Array.isArray(keys) || keys.length === 0)
  ) {
    issues.push({
      path: "requireSignature",
      value: true,
      message:
        "requireSignature needs at least one entry in trustedKeys. Add the key that signs the manifests, or leave requireSignature out.",
    });
  }
  return issues;
}

function isTrustedKey(value: unknown): value is TrustedModelKey {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const { keyId, publicKey } = value as Record<string, unknown>;
  return (
    typeof keyId === "string" &&
    keyId.trim() !== "" &&
    (typeof publicKey === "string" || publicKey instanceof KeyObject)
  );
}

function fail(
  code: SecurityErrorCode,
  message: string,
  options: { cause?: unknown; issues?: readonly SecurityIssue[] } = {},
): never {
  throw new SecurityError(code, message, options);
}

/** Tells whether a source matches one rule of an allow-list. */
export function isSourceAllowed(
  source: string,
  rules: readonly (string | RegExp)[],
): boolean {
  return rules.some((rule) => {
    if (rule instanceof RegExp) {
      rule.lastIndex = 0;
      return rule.test(source);
    }
    return rule.endsWith("*")
      ? source.startsWith(rule.slice(0, -1))
      : source === rule;
  });
}

/** Explains why a model folder's manifest could not be read. */
function unreadableManifest(folder: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const path = join(folder, MANIFEST_FILE);
  if (code === "ENOENT") {
    return existsSync(folder)
      ? `The model folder ${folder} has no ${MANIFEST_FILE}; write one with createModelManifest.`
      : `The model folder ${folder} was not found; pass the folder that holds the model and its ${MANIFEST_FILE}.`;
  }
  if (code === "ELOOP") {
    return `${path} is a loop of symbolic links; point it at a real file.`;
  }
  if (code === "EISDIR") {
    return `${path} is a folder, not a file; write the manifest with createModelManifest.`;
  }
  if (error instanceof SyntaxError) {
    return `${path} is not valid JSON (${error.message}); write it again with createModelManifest.`;
  }
  return `${path} could not be read (${String(code ?? error)}); check its permissions.`;
}

async function readManifest(folder: string): Promise<{
  manifest: ModelManifest;
  bytes: Buffer;
}> {
  let bytes: Buffer;
  let parsed: unknown;
  try {
    bytes = await readFile(join(folder, MANIFEST_FILE));
    parsed = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    return fail(
      SecurityErrorCode.MODEL_INTEGRITY_FAILED,
      unreadableManifest(folder, error),
      { cause: error },
    );
  }
  const issues = modelManifestIssues(parsed);
  if (issues.length > 0) {
    fail(
      SecurityErrorCode.MODEL_INTEGRITY_FAILED,
      `${join(folder, MANIFEST_FILE)} is not a valid model manifest: ${issues
        .map((issue) => `${issue.path || "(root)"}: ${issue.message}`)
        .join(" ")}`,
      { issues },
    );
  }
  return { manifest: parsed as ModelManifest, bytes };
}

function checkSources(
  manifest: ModelManifest,
  rules: readonly (string | RegExp)[],
): void {
  const sources = [
    manifest.source,
    ...manifest.files.flatMap((file) => file.source ?? []),
  ];
  const refused = sources.find((source) => !isSourceAllowed(source, rules));
  if (refused !== undefined) {
    fail(
      SecurityErrorCode.MODEL_SOURCE_NOT_ALLOWED,
      `The model ${manifest.name} comes from ${describeValue(refused)}, ` +
        "which allowedSources does not list. Add the source to the " +
        "allow-list if you trust it.",
    );
  }
}

async function readSignature(folder: string): Promise<ModelSignature | null> {
  const path = join(folder, SIGNATURE_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      return null;
    }
    return fail(
      SecurityErrorCode.MODEL_SIGNATURE_INVALID,
      `${path} could not be read (${String((error as NodeJS.ErrnoException).code ?? error)}); it must be the file that signModelManifest writes.`,
      { cause: error },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  const signature = parseModelSignature(parsed);
  if (typeof signature === "string") {
    fail(
      SecurityErrorCode.MODEL_SIGNATURE_INVALID,
      `${path} is not a valid signature file: ${signature}. Sign the ` +
        "manifest again with signModelManifest.",
    );
  }
  return signature;
}

function checkSignature(
  signature: ModelSignature | null,
  manifestBytes: Buffer,
  options: VerifyModelOptions,
): Pick<VerifiedModel, "signature" | "keyId"> {
  const keys = options.trustedKeys ?? [];
  if (signature === null) {
    if (options.requireSignature === true) {
      fail(
        SecurityErrorCode.MODEL_SIGNATURE_INVALID,
        `The model is unsigned (no ${SIGNATURE_FILE}) and signatures are ` +
          "required. Sign it with signModelManifest and a trusted key.",
      );
    }
    return { signature: "absent" };
  }
  if (keys.length === 0) {
    return { signature: "unchecked" };
  }
  const key = keys.find((candidate) => candidate.keyId === signature.keyId);
  const valid =
    key !== undefined && signatureMatches(key, manifestBytes, signature);
  if (!valid) {
    fail(
      SecurityErrorCode.MODEL_SIGNATURE_INVALID,
      key === undefined
        ? `The manifest is signed by key ${describeValue(signature.keyId)}, which trustedKeys does not list.`
        : `The manifest's signature by key ${describeValue(signature.keyId)} does not verify: the manifest or its signature was changed.`,
    );
  }
  return { signature: "verified", keyId: signature.keyId };
}

function signatureMatches(
  key: TrustedModelKey,
  bytes: Buffer,
  signature: ModelSignature,
): boolean {
  let publicKey: KeyObject;
  try {
    publicKey =
      typeof key.publicKey === "string"
        ? createPublicKey(key.publicKey)
        : key.publicKey;
  } catch (error) {
    return fail(
      SecurityErrorCode.INVALID_OPTIONS,
      `The trusted key ${describeValue(key.keyId)} is not a readable ` +
        "public key; pass an Ed25519 KeyObject or PEM.",
      { cause: error },
    );
  }
  if (publicKey.asymmetricKeyType !== "ed25519") {
    fail(
      SecurityErrorCode.INVALID_OPTIONS,
      `The trusted key ${describeValue(key.keyId)} is of type ` +
        `${String(publicKey.asymmetricKeyType)}; model signatures use Ed25519.`,
    );
  }
  return verify(
    null,
    bytes,
    publicKey,
    Buffer.from(signature.signature, "base64"),
  );
}

async function verifyUnaudited(
  folder: string,
  options: VerifyModelOptions,
): Promise<VerifiedModel> {
  const { manifest, bytes } = await readManifest(folder);
  checkSources(manifest, options.allowedSources);
  const signed = checkSignature(await readSignature(folder), bytes, options);
  const files = await checkModelFiles(folder, manifest, {
    keepBytes: options.keepBytes === true,
  });
  return { folder, manifest, ...signed, files };
}

/**
 * Verifies a model folder before it is loaded: the manifest's form, its
 * source against the allow-list, its Ed25519 signature, and the size and
 * SHA-256 of every listed file; pickle-based files are refused outright.
 * Each verified or refused load is appended to `options.audit`.
 */
export async function verifyModel(
  folder: string,
  options: VerifyModelOptions,
): Promise<VerifiedModel> {
  const issues = optionIssues(options);
  if (issues.length > 0) {
    const count =
      issues.length === 1
        ? "1 invalid option"
        : `${issues.length} invalid options`;
    fail(
      SecurityErrorCode.INVALID_OPTIONS,
      `${count}: ${issues.map((issue) => issue.message).join(" ")}`,
      { issues },
    );
  }
  const actor = options.actor ?? "model-loader";
  try {
    const verified = await verifyUnaudited(folder, options);
    await options.audit?.append({
      actor,
      action: "model.load",
      outcome: "success",
      target: `${verified.manifest.name}@${verified.manifest.version}`,
      details: {
        folder,
        source: verified.manifest.source,
        signature: verified.signature,
        ...(verified.keyId === undefined ? {} : { keyId: verified.keyId }),
        files: verified.files.length,
      },
    });
    return verified;
  } catch (error) {
    await recordRefusal(folder, actor, error, options.audit);
    throw error;
  }
}

async function recordRefusal(
  folder: string,
  actor: string,
  error: unknown,
  audit: ModelAuditLog | undefined,
): Promise<void> {
  await audit?.append({
    actor,
    action: "model.load",
    outcome: "failure",
    target: folder,
    details: {
      folder,
      code: isSecurityError(error) ? error.code : "UNEXPECTED",
      reason: error instanceof Error ? error.message : String(error),
    },
  });
}
