import { describeValue, SecurityError, SecurityErrorCode } from "../errors.js";
import type { ApiKeyRecord, StoredApiKey } from "./types.js";

/**
 * Creates the error for a key that is unknown or whose hash does not
 * match. Both cases get this one message, so a caller cannot learn
 * whether a key id exists.
 */
export function invalidApiKey(): SecurityError {
  return new SecurityError(
    SecurityErrorCode.API_KEY_INVALID,
    "The API key is invalid. Check that it is the whole key as it was " +
      "created, or create a new key.",
  );
}

function isoTime(time: number): string {
  return new Date(time).toISOString();
}

/**
 * Raises API_KEY_INVALID when a key whose hash matched cannot be used at
 * `now`: it is revoked, expired, or replaced and past its grace period.
 * Each limit applies from its own time on, so a key expiring at T fails
 * at T exactly.
 */
export function assertUsable(key: ApiKeyRecord, now: number): void {
  if (key.revokedAt !== null && now >= key.revokedAt) {
    throw new SecurityError(
      SecurityErrorCode.API_KEY_INVALID,
      `The API key ${key.id} was revoked at ${isoTime(key.revokedAt)}. ` +
        "Create a new key.",
    );
  }
  if (key.expiresAt !== null && now >= key.expiresAt) {
    throw new SecurityError(
      SecurityErrorCode.API_KEY_INVALID,
      `The API key ${key.id} expired at ${isoTime(key.expiresAt)}. ` +
        "Create a new key.",
    );
  }
  if (key.graceUntil !== null && now >= key.graceUntil) {
    throw new SecurityError(
      SecurityErrorCode.API_KEY_INVALID,
      `The API key ${key.id} was replaced by key ${String(key.replacedBy)}, ` +
        `and its grace period ended at ${isoTime(key.graceUntil)}. Use the ` +
        "new key.",
    );
  }
}

/**
 * Raises CONFLICT when a key cannot be rotated at `now` because it is
 * revoked, expired or already replaced.
 */
export function assertRotatable(key: ApiKeyRecord, now: number): void {
  let reason: string | undefined;
  if (key.revokedAt !== null) {
    reason = "it is revoked";
  } else if (key.replacedBy !== null) {
    reason = `it was already replaced by key ${key.replacedBy}; rotate that key instead`;
  } else if (key.expiresAt !== null && now >= key.expiresAt) {
    reason = "it has expired";
  }
  if (reason !== undefined) {
    throw new SecurityError(
      SecurityErrorCode.CONFLICT,
      `The API key ${key.id} cannot be rotated because ${reason}. Create a ` +
        "new key if none is usable.",
    );
  }
}

/** Creates the NOT_FOUND error of a key id. */
export function keyNotFound(id: unknown): SecurityError {
  return new SecurityError(
    SecurityErrorCode.NOT_FOUND,
    `No API key has the id ${describeValue(id)}. List the tenant's keys ` +
      "to find the id.",
  );
}

/** Copies a stored key without its hash, for callers. */
export function toRecord(key: StoredApiKey): ApiKeyRecord {
  return {
    id: key.id,
    tenant: key.tenant,
    name: key.name,
    env: key.env,
    scopes: [...key.scopes],
    createdAt: key.createdAt,
    expiresAt: key.expiresAt,
    revokedAt: key.revokedAt,
    lastUsedAt: key.lastUsedAt,
    rotatedFrom: key.rotatedFrom,
    replacedBy: key.replacedBy,
    graceUntil: key.graceUntil,
  };
}
