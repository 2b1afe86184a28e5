import { describe, expect, it, vi } from "vitest";

import { SecurityErrorCode } from "../../errors.js";
import { loadOnnxRuntime } from "../../pii/model/runtime.js";
import { captureSecurityError } from "../../pii/model/test-support/capture-error.js";
import { loadThreatClassifier, TEXT_CLASSIFICATION } from "./load.js";

// Makes the import fail as it does where the optional peer dependency
// is not installed.
vi.mock("onnxruntime-node", () => {
  throw Object.assign(new Error("Cannot find package 'onnxruntime-node'"), {
    code: "ERR_MODULE_NOT_FOUND",
  });
});

describe("loadThreatClassifier without onnxruntime-node", () => {
  it("raises DEPENDENCY_MISSING with the install command", async () => {
    const error = await captureSecurityError(() =>
      loadThreatClassifier("/no/model/needed"),
    );

    expect(error.code).toBe(SecurityErrorCode.DEPENDENCY_MISSING);
    expect(error.message).toContain("onnxruntime-node");
    expect(error.message).toContain("npm install onnxruntime-node@~1.31.1");
  });

  it("names loadThreatClassifier in the message", async () => {
    // vi.mock wraps the error of its factory and drops the code, so this
    // check passes the import failure to loadOnnxRuntime directly.
    const missing = Object.assign(
      new Error("Cannot find package 'onnxruntime-node'"),
      { code: "ERR_MODULE_NOT_FOUND" },
    );

    const error = await captureSecurityError(() =>
      loadOnnxRuntime(() => Promise.reject(missing), TEXT_CLASSIFICATION),
    );

    expect(error.code).toBe(SecurityErrorCode.DEPENDENCY_MISSING);
    expect(error.message).toContain(
      "loadThreatClassifier needs the optional peer dependency onnxruntime-node, which is not installed",
    );
  });
});
