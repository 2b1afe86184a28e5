import { SecurityError, SecurityErrorCode } from "../../errors.js";

/** Tells whether a value is a plain object, not null or an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Returns the message of a thrown value. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Creates the error for a model folder whose files are missing, unreadable
 * or inconsistent. The message names the file and the fix.
 */
export function modelFolderError(
  message: string,
  cause?: unknown,
): SecurityError {
  return new SecurityError(
    SecurityErrorCode.MODEL_INTEGRITY_FAILED,
    message,
    cause === undefined ? {} : { cause },
  );
}
