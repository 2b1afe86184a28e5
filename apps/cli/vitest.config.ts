import { definePackageProject } from "@retrieval-free/vitest-config";

export default definePackageProject("cli", { testTimeout: 120_000 });
