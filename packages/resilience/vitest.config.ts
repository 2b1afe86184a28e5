import { definePackageProject } from "@retrieval-free/vitest-config";

export default definePackageProject("resilience");
