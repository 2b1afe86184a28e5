import { describeValue, type SecurityIssue } from "../errors.js";

/** One file of a model, as its manifest lists it. */
export interface ModelManifestFile {
  /** Path relative to the model folder, with `/` separators. */
  readonly path: string;
  /** Size in bytes. */
  readonly bytes: number;
  /** SHA-256 of the file's bytes, 64 lowercase hexadecimal digits. */
  readonly sha256: string;
  /** Origin of this file, when it differs from the model's source. */
  readonly source?: string;
  /** The file's license, when it differs from the model's license. */
  readonly license?: string;
}

/**
 * The `manifest.json` of a model folder: what the model is, where it came
 * from, under which license, and the SHA-256 of every file loading reads.
 * Other fields (description, training settings) are kept as they are.
 */
export interface ModelManifest {
  readonly name: string;
  readonly version: string;
  /** Origin of the model: a URL or URN checked against allow-lists. */
  readonly source: string;
  readonly license: string;
  readonly files: readonly ModelManifestFile[];
  readonly [field: string]: unknown;
}

/** The detached signature of a manifest, stored in `manifest.json.sig`. */
export interface ModelSignature {
  readonly algorithm: "ed25519";
  /** Names the public key that verifies the signature. */
  readonly keyId: string;
  /** Ed25519 signature of the exact bytes of manifest.json, in base64. */
  readonly signature: string;
}

/** The file name of a model's manifest inside its folder. */
export const MANIFEST_FILE = "manifest.json";

/** The file name of a manifest's detached signature. */
export const SIGNATURE_FILE = "manifest.json.sig";

const SHA256 = /^[0-9a-f]{64}$/u;
const FIX = "Rebuild the manifest with createModelManifest.";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}

/**
 * Tells whether a manifest path stays inside the model folder: relative,
 * `/`-separated, with no empty, `.` or `..` segment.
 */
export function isSafeModelPath(path: string): boolean {
  if (path === "" || path.startsWith("/") || path.includes("\\")) {
    return false;
  }
  return path
    .split("/")
    .every((part) => part !== "" && part !== "." && part !== "..");
}

function fileIssues(file: unknown, at: string): SecurityIssue[] {
  if (!isRecord(file)) {
    return [{ path: at, value: file, message: `Expected an object. ${FIX}` }];
  }
  const issues: SecurityIssue[] = [];
  const problem = (field: string, message: string) =>
    issues.push({ path: `${at}.${field}`, value: file[field], message });
  if (typeof file.path !== "string" || !isSafeModelPath(file.path)) {
    problem("path", "Expected a relative path inside the model folder.");
  }
  if (!Number.isSafeInteger(file.bytes) || (file.bytes as number) < 0) {
    problem("bytes", "Expected the file size as a whole number of bytes.");
  }
  if (typeof file.sha256 !== "string" || !SHA256.test(file.sha256)) {
    problem("sha256", "Expected 64 lowercase hexadecimal digits.");
  }
  for (const field of ["source", "license"]) {
    if (file[field] !== undefined && !text(file[field])) {
      problem(field, "Expected a non-empty string or no field.");
    }
  }
  return issues;
}

function filesIssues(files: unknown): SecurityIssue[] {
  if (!Array.isArray(files) || files.length === 0) {
    return [
      { path: "files", value: files, message: `List every file. ${FIX}` },
    ];
  }
  const issues = files.flatMap((file, index) =>
    fileIssues(file, `files[${index}]`),
  );
  const seen = new Set<unknown>();
  files.forEach((file: unknown, index) => {
    const path = isRecord(file) ? file.path : undefined;
    if (seen.has(path)) {
      issues.push({
        path: `files[${index}].path`,
        value: path,
        message: "The path is listed twice; list each file once.",
      });
    }
    seen.add(path);
  });
  return issues;
}

/**
 * Checks the form of a parsed manifest and returns every problem found;
 * an empty list means the value is a {@link ModelManifest}.
 */
export function modelManifestIssues(value: unknown): SecurityIssue[] {
  if (!isRecord(value)) {
    return [{ path: "", value, message: `Expected a JSON object. ${FIX}` }];
  }
  const issues: SecurityIssue[] = [];
  for (const field of ["name", "version", "source", "license"]) {
    if (!text(value[field])) {
      issues.push({
        path: field,
        value: value[field],
        message: `Expected a non-empty string; every manifest names its ${field}.`,
      });
    }
  }
  return [...issues, ...filesIssues(value.files)];
}

/** Parses a detached signature file's JSON, or returns why it is invalid. */
export function parseModelSignature(value: unknown): ModelSignature | string {
  if (!isRecord(value)) {
    return `expected a JSON object, got ${describeValue(value)}`;
  }
  if (value.algorithm !== "ed25519") {
    return `the algorithm ${describeValue(value.algorithm)} is not "ed25519"`;
  }
  if (!text(value.keyId)) {
    return "keyId must name the signing key";
  }
  if (typeof value.signature !== "string" || value.signature === "") {
    return "signature must hold the base64 signature";
  }
  return {
    algorithm: "ed25519",
    keyId: value.keyId,
    signature: value.signature,
  };
}
