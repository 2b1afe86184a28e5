/** Settings of a tokenizer.json with the BERT layout. */
export interface WordPieceTokenizerOptions {
  /** Tokens in id order. */
  readonly vocabulary: readonly string[];
  readonly unknownToken: string;
  /** Tokens listed as special added tokens, in this order. */
  readonly specialTokens: readonly string[];
  /** BertNormalizer's `strip_accents`; null follows `lowercase`. */
  readonly stripAccents: boolean | null;
  /** Token that pads batches, written as the padding settings. */
  readonly padToken?: string;
  /** Tokens put before and after every text by a template post-processor. */
  readonly template?: { readonly cls: string; readonly sep: string };
}

/**
 * Returns a tokenizer.json in the Hugging Face format with the BERT
 * layout: BertNormalizer (lower case), BertPreTokenizer and a WordPiece
 * model with "##" continuations.
 */
export function wordPieceTokenizerJson(
  options: WordPieceTokenizerOptions,
): Record<string, unknown> {
  const vocab: Record<string, number> = {};
  options.vocabulary.forEach((token, id) => {
    vocab[token] = id;
  });
  const special = (content: string) => ({
    id: vocab[content],
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const { padToken, template } = options;
  return {
    version: "1.0",
    truncation: null,
    padding:
      padToken === undefined
        ? null
        : {
            strategy: "BatchLongest",
            direction: "Right",
            pad_to_multiple_of: null,
            pad_id: vocab[padToken],
            pad_type_id: 0,
            pad_token: padToken,
          },
    added_tokens: options.specialTokens.map(special),
    normalizer: {
      type: "BertNormalizer",
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: options.stripAccents,
      lowercase: true,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor:
      template === undefined
        ? null
        : {
            type: "TemplateProcessing",
            single: [
              { SpecialToken: { id: template.cls, type_id: 0 } },
              { Sequence: { id: "A", type_id: 0 } },
              { SpecialToken: { id: template.sep, type_id: 0 } },
            ],
            pair: [],
            special_tokens: {
              [template.cls]: {
                id: template.cls,
                ids: [vocab[template.cls]],
                tokens: [template.cls],
              },
              [template.sep]: {
                id: template.sep,
                ids: [vocab[template.sep]],
                tokens: [template.sep],
              },
            },
          },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: {
      type: "WordPiece",
      unk_token: options.unknownToken,
      continuing_subword_prefix: "##",
      max_input_chars_per_word: 100,
      vocab,
    },
  };
}
