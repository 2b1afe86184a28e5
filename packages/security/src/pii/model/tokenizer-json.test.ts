import { wordPieceTokenizerJson } from "@retrieval-free/onnx-graph";
import { describe, expect, it } from "vitest";

import { SecurityErrorCode } from "../../errors.js";
import { captureSecurityError } from "./test-support/capture-error.js";
import { readWordPieceSettings } from "./tokenizer-json.js";

function bertJson(): Record<string, unknown> {
  return wordPieceTokenizerJson({
    vocabulary: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "ada"],
    unknownToken: "[UNK]",
    specialTokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]"],
    stripAccents: null,
    template: { cls: "[CLS]", sep: "[SEP]" },
  });
}

describe("readWordPieceSettings", () => {
  it("reads template tokens and vocabulary", () => {
    const settings = readWordPieceSettings(bertJson(), "tokenizer.json");
    expect(settings.prefixIds).toEqual([2]);
    expect(settings.suffixIds).toEqual([3]);
    expect(settings.padId).toBe(0);
    expect(settings.unknownId).toBe(1);
    expect(settings.vocabulary.get("ada")).toBe(4);
    expect(settings.continuationPrefix).toBe("##");
    expect(settings.maxCharactersPerWord).toBe(100);
  });

  it("follows lowercase when strip_accents is null", () => {
    const json = bertJson();
    const uncased = readWordPieceSettings(json, "tokenizer.json");
    expect(uncased.normalizer.stripAccents).toBe(true);
    (json.normalizer as Record<string, unknown>).lowercase = false;
    const cased = readWordPieceSettings(json, "tokenizer.json");
    expect(cased.normalizer.lowercase).toBe(false);
    expect(cased.normalizer.stripAccents).toBe(false);
  });

  it("reads BertProcessing, also in a Sequence", () => {
    const json = bertJson();
    const bert = {
      type: "BertProcessing",
      cls: ["[CLS]", 2],
      sep: ["[SEP]", 3],
    };
    json.post_processor = bert;
    const direct = readWordPieceSettings(json, "tokenizer.json");
    expect([direct.prefixIds, direct.suffixIds]).toEqual([[2], [3]]);
    json.post_processor = { type: "Sequence", processors: [bert] };
    const nested = readWordPieceSettings(json, "tokenizer.json");
    expect([nested.prefixIds, nested.suffixIds]).toEqual([[2], [3]]);
  });

  it("adds no special tokens without a post-processor", () => {
    const json = { ...bertJson(), post_processor: null, normalizer: null };
    const settings = readWordPieceSettings(json, "tokenizer.json");
    expect(settings.prefixIds).toEqual([]);
    expect(settings.suffixIds).toEqual([]);
    expect(settings.normalizer.lowercase).toBe(false);
  });

  it.each([
    ["a value that is not a tokenizer", () => [], 'no "model" object'],
    [
      "a BPE model",
      (json: Record<string, unknown>) => ({
        ...json,
        model: { type: "BPE", vocab: {} },
      }),
      "uses a BPE tokenizer model",
    ],
    [
      "an unknown token outside the vocabulary",
      (json: Record<string, unknown>) => ({
        ...json,
        model: { ...(json.model as object), unk_token: "<unk>" },
      }),
      'sets unk_token to "<unk>"',
    ],
    [
      "a Metaspace pre-tokenizer",
      (json: Record<string, unknown>) => ({
        ...json,
        pre_tokenizer: { type: "Metaspace" },
      }),
      "uses the pre_tokenizer Metaspace",
    ],
    [
      "an NFKC normalizer",
      (json: Record<string, unknown>) => ({
        ...json,
        normalizer: { type: "NFKC" },
      }),
      "uses the normalizer NFKC",
    ],
    [
      "a negative token id",
      (json: Record<string, unknown>) => ({
        ...json,
        model: { ...(json.model as object), vocab: { "[UNK]": -1 } },
      }),
      'maps the token "[UNK]" to -1',
    ],
  ])("rejects %s", async (_, change, expected) => {
    const error = await captureSecurityError(() =>
      readWordPieceSettings(change(bertJson()), "/models/ner/tokenizer.json"),
    );
    expect(error.code).toBe(SecurityErrorCode.MODEL_INTEGRITY_FAILED);
    expect(error.message).toContain("/models/ner/tokenizer.json");
    expect(error.message).toContain(expected);
  });
});
