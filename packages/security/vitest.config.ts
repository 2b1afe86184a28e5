import { definePackageProject } from "@retrieval-free/vitest-config";

export default definePackageProject("security", { testTimeout: 60_000 });
