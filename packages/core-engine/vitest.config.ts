import { definePackageProject } from "@retrieval-free/vitest-config";

export default definePackageProject("core-engine", { testTimeout: 120_000 });
