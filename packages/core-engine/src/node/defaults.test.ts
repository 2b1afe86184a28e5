import { describe, expect, it } from "vitest";

import { compress as compressWithHashing } from "../compress.js";
import { CoreEngineErrorCode } from "../errors.js";
import { catchCoreEngineError } from "../test-support/errors.js";
import { loadBuiltInEncoder } from "./built-in-model.js";
import {
  compress,
  loadDefaultEncoder,
  loadDefaultWordInformation,
  route,
} from "./defaults.js";

const text = [
  "The harbour master closed the port at dawn because a storm was coming.",
  "Fishing boats stayed at their moorings for three days.",
  "On the fourth day the wind dropped and the ferries sailed again.",
  "The town council later paid for a new breakwater of granite blocks.",
  "Tourists returned in the summer, and the cafes on the quay reopened.",
  "The lighthouse keeper wrote down every ship that passed the headland.",
].join(" ");

describe("the Node.js default encoder", () => {
  it("compresses with the built-in model when the encoder is left out", async () => {
    const encoder = await loadBuiltInEncoder();
    const result = await compress(text, { ratio: 2 });
    const explicit = await compressWithHashing(text, { ratio: 2, encoder });

    expect(result.encoder.id).toBe(encoder.id);
    expect(result.encoder.name).toBe("retrieval-free-static");
    expect(result.megaTokens?.encoder.id).toBe(encoder.id);
    expect(result.text).toBe(explicit.text);
    expect(result.spans).toEqual(explicit.spans);
  });

  it("loads the model once per process", async () => {
    const first = await loadDefaultEncoder();
    const second = await loadDefaultEncoder();

    expect(second).toBe(first);
  });

  it("keeps an encoder given in the options", async () => {
    const hashing = await compress(text, { ratio: 2, encoder: "hashing" });
    const lexical = await compress(text, { ratio: 2, encoder: "none" });

    expect(hashing.encoder.id).toBe("hashing-v1:dim=256:seed=0");
    expect(lexical.encoder.dimension).toBe(0);
  });

  it("reports invalid options before loading anything", async () => {
    const error = await catchCoreEngineError(() =>
      compress(text, { ratio: 0.5 }),
    );

    expect(error.code).toBe(CoreEngineErrorCode.INVALID_OPTIONS);
    expect(error.message).toContain("ratio must be a finite number");
  });

  it("stops before compressing when the signal has fired", async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await catchCoreEngineError(() =>
      compress(text, { ratio: 2, signal: controller.signal }),
    );

    expect(error.code).toBe(CoreEngineErrorCode.ABORTED);
  });

  it("routes a set of the built-in model without an encoder in the options", async () => {
    const { megaTokens } = await compress(text, { ratio: 2 });
    if (megaTokens === undefined) {
      throw new Error("The compression built no mega-tokens.");
    }
    const encoder = await loadDefaultEncoder();
    const routed = await route(megaTokens, "Who paid for the breakwater?", {
      k: 2,
    });
    const explicit = await route(megaTokens, "Who paid for the breakwater?", {
      k: 2,
      encoder,
    });

    expect(routed.top.map((entry) => entry.token.index)).toEqual(
      explicit.top.map((entry) => entry.token.index),
    );
    expect(Array.from(routed.weights)).toEqual(Array.from(explicit.weights));
  });

  it("routes a set of the hashing encoder without loading a model for it", async () => {
    const { megaTokens } = await compress(text, {
      ratio: 2,
      encoder: "hashing",
    });
    if (megaTokens === undefined) {
      throw new Error("The compression built no mega-tokens.");
    }
    const routed = await route(megaTokens, "storm", { k: 1 });

    expect(routed.top).toHaveLength(1);
  });
});

describe("the Node.js default word information", () => {
  it("prunes with the built-in model's word statistics", async () => {
    const information = await loadDefaultWordInformation();
    const byDefault = await compress(text, {
      ratio: 1.5,
      granularity: "token",
    });
    const explicit = await compress(text, {
      ratio: 1.5,
      granularity: "token",
      wordInformation: information,
    });

    expect(information.bits.get("the")).toBeLessThan(5);
    expect(byDefault.text).toBe(explicit.text);
    expect(byDefault.budgetMet).toBe(true);
  });
});
