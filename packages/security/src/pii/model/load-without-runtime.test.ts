import { describe, expect, it, vi } from "vitest";

import { SecurityErrorCode } from "../../errors.js";
import { loadNerRecognizer } from "./load.js";
import { captureSecurityError } from "./test-support/capture-error.js";

// Makes the import fail as it does where the optional peer dependency
// is not installed.
vi.mock("onnxruntime-node", () => {
  throw Object.assign(new Error("Cannot find package 'onnxruntime-node'"), {
    code: "ERR_MODULE_NOT_FOUND",
  });
});

describe("loadNerRecognizer without onnxruntime-node", () => {
  it("raises DEPENDENCY_MISSING with the install command", async () => {
    const error = await captureSecurityError(() =>
      loadNerRecognizer("/no/model/needed"),
    );
    expect(error.code).toBe(SecurityErrorCode.DEPENDENCY_MISSING);
    expect(error.message).toContain("onnxruntime-node");
    expect(error.message).toContain("npm install onnxruntime-node@~1.31.1");
  });
});
