import { afterEach, describe, expect, it, vi } from "vitest";

import { compress as compressWithHashing } from "../compress.js";
import { CoreEngineErrorCode } from "../errors.js";
import type { MegaTokenSet } from "../mega-tokens/types.js";
import { catchCoreEngineError } from "../test-support/errors.js";
import { compress, loadDefaultEncoder, route } from "./defaults.js";

// The native package fails to load, as on a platform that ONNX Runtime
// publishes no binary for.
vi.mock("onnxruntime-node", () => {
  throw new Error("no prebuilt binary for this platform");
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the Node.js default encoder without ONNX Runtime", () => {
  it("falls back to the hashing encoder and says why", async () => {
    const warnings = vi
      .spyOn(process, "emitWarning")
      .mockImplementation(() => undefined);

    const result = await compress(
      "Ships wait in the harbour. The storm passes.",
      {
        ratio: 2,
      },
    );
    const encoder = await loadDefaultEncoder();

    expect(result.encoder.id).toBe("hashing-v1:dim=256:seed=0");
    expect(encoder.id).toBe("hashing-v1:dim=256:seed=0");
    expect(warnings).toHaveBeenCalledTimes(1);
    const [message, options] = warnings.mock.calls[0] ?? [];
    expect(String(message)).toContain("onnxruntime-node could not be loaded");
    expect(String(message)).toContain("uses the hashing encoder");
    expect(options).toEqual({ code: "RETRIEVAL_FREE_HASHING_FALLBACK" });
  });

  it("says that ONNX Runtime is missing when routing a set of the model", async () => {
    vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    const set = {
      ...(
        await compressWithHashing(
          "Ships wait in the harbour. The storm passes.",
          {
            ratio: 2,
          },
        )
      ).megaTokens,
      encoder: {
        id: "onnx:retrieval-free-static@1.1.0:sha256=0:pool=output:max=512",
        dimension: 256,
      },
    } as MegaTokenSet;
    const error = await catchCoreEngineError(() => route(set, "storm"));

    expect(error.code).toBe(CoreEngineErrorCode.RUNTIME_UNAVAILABLE);
    expect(error.message).toContain(
      "which cannot run here: onnxruntime-node could not be loaded",
    );
  });
});
