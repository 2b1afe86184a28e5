export { compress } from "./compress.js";
export type {
  CompressInput,
  CompressOptions,
  CompressRequest,
  CompressResult,
  CompressStage,
  CompressTimings,
  EncoderInfo,
  Granularity,
  DocumentFormat,
  DocumentStats,
  InputDocument,
  ProgressEvent,
  Span,
} from "./types.js";
export {
  CoreEngineError,
  CoreEngineErrorCode,
  isCoreEngineError,
} from "./errors.js";
export type { CoreEngineErrorOptions, ValidationIssue } from "./errors.js";
export { resolveOptions } from "./options.js";
export type { ResolvedOptions } from "./options.js";
export { detectFormat, normalizeInput, STRING_INPUT_ID } from "./input.js";
export { BUILT_IN_TOKENIZERS, loadTokenizer } from "./tokenizer.js";
export type {
  BuiltInTokenizerName,
  CustomTokenCounter,
  TokenCounter,
} from "./tokenizer.js";
export { segmentDocuments } from "./segment/index.js";
export type {
  Block,
  BlockKind,
  Corpus,
  CorpusDocument,
  Section,
  SegmentableDocument,
  Unit,
  UnitKind,
} from "./segment/index.js";
export { isFalseSentenceBreak } from "./segment/sentences.js";
export { plainHeadingLevel } from "./segment/plain.js";
export { parseMarkdown } from "./segment/markdown.js";
export { findProtectedClass, PROTECTED_CLASSES } from "./segment/protected.js";
export type { ProtectedClass, Range } from "./segment/protected.js";
export { textToTerms } from "./text/terms.js";
export {
  bitsOfWord,
  foldWord,
  parseWordInformation,
  wordInformationOf,
} from "./text/word-information.js";
export type { WordInformation } from "./text/word-information.js";
export type { EncodeOptions, Encoder } from "./encoder/encoder.js";
export { HashingEncoder } from "./encoder/hashing-encoder.js";
export type { HashingEncoderOptions } from "./encoder/hashing-encoder.js";
export { OnnxEncoder } from "./encoder/onnx-encoder.js";
export type {
  OnnxEncoderInit,
  OnnxModelSources,
  OnnxRuntime,
} from "./encoder/onnx-encoder.js";
export {
  DEFAULT_MAX_LENGTH,
  parseOnnxEncoderConfig,
} from "./encoder/onnx-config.js";
export type {
  OnnxEncoderConfig,
  OnnxEncoderConfigInput,
  OnnxPooling,
} from "./encoder/onnx-config.js";
export { assemble, automaticSeparator } from "./assemble.js";
export type {
  Assembled,
  AssembledDocument,
  AssembleSettings,
} from "./assemble.js";
export { buildMegaTokens } from "./mega-tokens/build.js";
export { expand, route } from "./mega-tokens/route.js";
export type {
  RouteOptions,
  RouteResult,
  RoutedToken,
} from "./mega-tokens/route.js";
export {
  deserializeMegaTokens,
  MEGA_TOKENS_FORMAT_VERSION,
  MEGA_TOKENS_MAGIC,
  megaTokensToJSON,
  serializeMegaTokens,
} from "./mega-tokens/serialize.js";
export type { MegaTokensJSONOptions } from "./mega-tokens/serialize.js";
export { MEGA_TOKEN_LEVELS } from "./mega-tokens/types.js";
export type {
  MegaToken,
  MegaTokenLevel,
  MegaTokenSet,
  SourceSpan,
} from "./mega-tokens/types.js";
