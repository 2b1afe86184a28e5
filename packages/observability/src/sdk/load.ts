import { ObservabilityError, ObservabilityErrorCode } from "../errors.js";

function isModuleNotFound(error: unknown, name: string): boolean {
  if (typeof error !== "object" || error === null) {
    return false;
  }
  const code = (error as { code?: unknown }).code;
  const message = (error as { message?: unknown }).message;
  return (
    (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") &&
    typeof message === "string" &&
    message.includes(name)
  );
}

/**
 * Imports an optional peer dependency by name. Throws DEPENDENCY_MISSING,
 * naming the package and the install command, when it is not installed;
 * other import failures are passed on unchanged.
 */
export async function importOptionalPeer<T>(name: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (error) {
    if (isModuleNotFound(error, name)) {
      throw new ObservabilityError(
        ObservabilityErrorCode.DEPENDENCY_MISSING,
        `Package ${name} is missing; install it next to @retrieval-free/observability (pnpm add ${name}).`,
        { cause: error },
      );
    }
    throw error;
  }
}
