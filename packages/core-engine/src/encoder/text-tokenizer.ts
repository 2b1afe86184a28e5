import * as tokenizers from "@huggingface/tokenizers";

/** The part of a Hugging Face tokenizer that the ONNX encoder uses. */
export interface TextTokenizer {
  encode(
    text: string,
    options?: { readonly add_special_tokens?: boolean },
  ): { readonly ids: readonly number[] };
  token_to_id(token: string): number | undefined;
}

type TokenizerConstructor = new (json: object, config: object) => TextTokenizer;

// The package's type declarations use import paths without file
// extensions, which NodeNext resolution cannot follow, so the class is
// typed here by the part of its interface in use.
const HuggingFaceTokenizer = (
  tokenizers as unknown as { readonly Tokenizer: TokenizerConstructor }
).Tokenizer;

/**
 * Loads a tokenizer from the parsed contents of `tokenizer.json` and, when
 * present, `tokenizer_config.json`. Runs in Node.js and in browsers.
 */
export function createTextTokenizer(
  json: object,
  config: object = {},
): TextTokenizer {
  return new HuggingFaceTokenizer(json, config);
}
