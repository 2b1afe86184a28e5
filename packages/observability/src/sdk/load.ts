import { ObservabilityError, ObservabilityErrorCode } from "../errors.js";

/**
 * Version ranges of the optional peers that `./sdk` loads, as declared in
 * this package's `peerDependencies`. The SDK 2.12 line accepts
 * `@opentelemetry/api` below 1.10, and its 3.x successor needs Node.js 22.
 */
export const SDK_PEER_RANGES: Readonly<Record<string, string>> = {
  "@opentelemetry/api": "~1.9.1",
  "@opentelemetry/resources": "~2.12.1",
  "@opentelemetry/sdk-metrics": "~2.12.1",
  "@opentelemetry/sdk-trace-base": "~2.12.1",
  "@opentelemetry/exporter-prometheus": "~0.223.0",
  "@opentelemetry/exporter-trace-otlp-http": "~0.223.1",
  "@opentelemetry/exporter-metrics-otlp-http": "~0.223.0",
};

/** Returns the install spec of a peer, with its range when one is known. */
function installSpec(name: string): string {
  const range = SDK_PEER_RANGES[name];
  return range === undefined ? name : `${name}@${range}`;
}

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
        `Package ${name} is missing. Install it next to @retrieval-free/observability with \`npm install ${installSpec(name)}\` (or pnpm add); the README lists every SDK peer in one command.`,
        { cause: error },
      );
    }
    throw error;
  }
}
