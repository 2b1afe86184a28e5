import { createRequire } from "node:module";

/**
 * Reads the version of this package from its package.json, which sits one
 * folder above both `src/` and `dist/`.
 */
export function readVersion(): string {
  const require = createRequire(import.meta.url);
  const manifest = require("../package.json") as { version?: unknown };
  return typeof manifest.version === "string" ? manifest.version : "unknown";
}
