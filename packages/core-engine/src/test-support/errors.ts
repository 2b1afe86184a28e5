import { isCoreEngineError } from "../errors.js";
import type { CoreEngineError } from "../errors.js";

/**
 * Runs an action that must fail and returns its `CoreEngineError`.
 * Throws when the action succeeds or fails with any other error, so the
 * test reports what happened instead.
 */
export async function catchCoreEngineError(
  action: () => unknown,
): Promise<CoreEngineError> {
  try {
    await action();
  } catch (error) {
    if (isCoreEngineError(error)) {
      return error;
    }
    throw new Error("The action failed with an error of another type.", {
      cause: error,
    });
  }
  throw new Error("The action succeeded, but it was expected to fail.");
}
