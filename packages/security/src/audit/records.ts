import { exceedsJsonDepth, isSha256Hex, MAX_JSON_DEPTH } from "./canonical.js";
import type { AuditCheckpoint, AuditEntry } from "./types.js";

const REQUIRED_TEXT = ["time", "actor", "action", "outcome"] as const;
const OPTIONAL_TEXT = [
  "target",
  "keyId",
  "tenant",
  "requestId",
  "subject",
] as const;

/** Maximum nesting of a whole record: the record around `details`. */
const MAX_RECORD_DEPTH = MAX_JSON_DEPTH + 1;
const tooDeep = `the record nests arrays and objects more than ${MAX_RECORD_DEPTH} levels deep`;

/**
 * Checks that a parsed record has the fields of an entry and returns it,
 * or returns the reason it is not one. Unknown fields are kept, so they
 * count in the hash and an added field shows as a modification. A record
 * nested deeper than an append accepts is rejected, so hashing a returned
 * entry never exhausts the call stack.
 */
export function parseEntry(value: unknown): AuditEntry | string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return "the record is not a JSON object";
  }
  if (exceedsJsonDepth(value, MAX_RECORD_DEPTH)) {
    return tooDeep;
  }
  const record = value as Record<string, unknown>;
  if (!isIndex(record.index)) {
    return "the index is not a non-negative integer";
  }
  for (const field of REQUIRED_TEXT) {
    if (typeof record[field] !== "string") {
      return `the field ${field} is missing or not a string`;
    }
  }
  for (const field of OPTIONAL_TEXT) {
    if (record[field] !== undefined && typeof record[field] !== "string") {
      return `the field ${field} is not a string`;
    }
  }
  if (!isSha256Hex(record.prevHash) || !isSha256Hex(record.hash)) {
    return "prevHash or hash is not a SHA-256 hash in hexadecimal";
  }
  if (record.personal !== undefined && !isEncrypted(record.personal)) {
    return "the personal field is not encrypted personal data";
  }
  return record as unknown as AuditEntry;
}

/** Checks a parsed checkpoint record like {@link parseEntry}. */
export function parseCheckpoint(value: unknown): AuditCheckpoint | string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return "the record is not a JSON object";
  }
  if (exceedsJsonDepth(value, MAX_RECORD_DEPTH)) {
    return tooDeep;
  }
  const record = value as Record<string, unknown>;
  if (!isIndex(record.index) || !isIndex(record.count)) {
    return "index or count is not a non-negative integer";
  }
  if (!isSha256Hex(record.hash)) {
    return "the hash is not a SHA-256 hash in hexadecimal";
  }
  for (const field of ["time", "keyId", "signature"] as const) {
    if (typeof record[field] !== "string") {
      return `the field ${field} is missing or not a string`;
    }
  }
  return record as unknown as AuditCheckpoint;
}

/** Returns the checkpoint fields that the signature covers, in a new object. */
export function checkpointFields(
  checkpoint: AuditCheckpoint,
): Omit<AuditCheckpoint, "signature"> {
  const { index, hash, count, time, keyId } = checkpoint;
  return { index, hash, count, time, keyId };
}

function isIndex(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function isEncrypted(value: unknown): boolean {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const record = value as Record<string, unknown>;
  return (
    record.alg === "AES-256-GCM" &&
    typeof record.iv === "string" &&
    typeof record.tag === "string" &&
    typeof record.ciphertext === "string"
  );
}
