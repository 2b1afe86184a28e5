import { defineProject } from "vitest/config";

/**
 * Creates the Vitest project settings that every package shares: tests sit
 * next to their module as `*.test.ts` under `src/`, and they run in Node.
 *
 * @param {string} name Project name shown in the Vitest report.
 * @param {{ testTimeout?: number }} [options] Per-project overrides.
 */
export function definePackageProject(name, options = {}) {
  return defineProject({
    test: {
      name,
      environment: "node",
      include: ["src/**/*.test.ts"],
      testTimeout: options.testTimeout ?? 30_000,
    },
  });
}
