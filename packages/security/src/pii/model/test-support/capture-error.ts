import { isSecurityError } from "../../../errors.js";
import type { SecurityError } from "../../../errors.js";

/**
 * Runs an action that must fail with a {@link SecurityError} and returns
 * the error. Any other outcome fails the test.
 */
export async function captureSecurityError(
  action: () => unknown,
): Promise<SecurityError> {
  try {
    await action();
  } catch (error) {
    if (isSecurityError(error)) {
      return error;
    }
    throw error;
  }
  throw new Error("The action did not throw.");
}
