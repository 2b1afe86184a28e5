import { describe, expect, it } from "vitest";

import { SecurityErrorCode } from "../../errors.js";
import { loadOnnxRuntime } from "./runtime.js";
import { captureSecurityError } from "./test-support/capture-error.js";

function moduleNotFound(): Error {
  return Object.assign(
    new Error("Cannot find package 'onnxruntime-node' imported from here"),
    { code: "ERR_MODULE_NOT_FOUND" },
  );
}

describe("loadOnnxRuntime", () => {
  it("loads the installed onnxruntime-node", async () => {
    const runtime = await loadOnnxRuntime();
    expect(typeof runtime.InferenceSession.create).toBe("function");
    expect(typeof runtime.Tensor).toBe("function");
  });

  it("names the install command when missing", async () => {
    const error = await captureSecurityError(() =>
      loadOnnxRuntime(() => Promise.reject(moduleNotFound())),
    );
    expect(error.code).toBe(SecurityErrorCode.DEPENDENCY_MISSING);
    expect(error.message).toContain("is not installed");
    expect(error.message).toContain("npm install onnxruntime-node@~1.31.1");
    expect(error.cause).toBeInstanceOf(Error);
  });

  it("reports why the package failed to load", async () => {
    const error = await captureSecurityError(() =>
      loadOnnxRuntime(() =>
        Promise.reject(new Error("libonnxruntime.so: cannot open")),
      ),
    );
    expect(error.code).toBe(SecurityErrorCode.DEPENDENCY_MISSING);
    expect(error.message).toContain("libonnxruntime.so: cannot open");
  });

  it("rejects a module without InferenceSession", async () => {
    const error = await captureSecurityError(() =>
      loadOnnxRuntime(() => Promise.resolve({ Tensor: () => undefined })),
    );
    expect(error.code).toBe(SecurityErrorCode.DEPENDENCY_MISSING);
  });
});
