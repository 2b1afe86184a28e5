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

/**
 * The loader and the kind of model that the shared model-folder code
 * names in its error messages, so that each loader's errors name the
 * call that failed and the export that it needs.
 */
export interface ModelTask {
  /** Public function that loads the model, such as `loadNerRecognizer`. */
  readonly loader: string;
  /** Hugging Face task of the export, such as `token classification`. */
  readonly task: string;
  /** A model of that task, such as `token classifier`. */
  readonly model: string;
  /** A label of that task, shown as an example of an `id2label` value. */
  readonly exampleLabel: string;
}

/** The task of `loadNerRecognizer`, which the shared code names by default. */
export const TOKEN_CLASSIFICATION: ModelTask = {
  loader: "loadNerRecognizer",
  task: "token classification",
  model: "token classifier",
  exampleLabel: "B-PER",
};
