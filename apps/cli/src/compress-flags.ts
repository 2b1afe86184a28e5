import type {
  BuiltInTokenizerName,
  CompressOptions,
  DocumentFormat,
  Granularity,
  ProtectedClass,
} from "@retrieval-free/core-engine";

import type { CompressFormat } from "./compress-output.js";

/** Values of `--encoder`. */
export const ENCODER_CHOICES = ["built-in", "hashing", "none"] as const;

/** One value of `--encoder`. */
export type EncoderChoice = (typeof ENCODER_CHOICES)[number];

/** Parsed options of `rfcc compress`, as commander returns them. */
export interface CompressFlags {
  readonly ratio?: number;
  readonly targetTokens?: number;
  readonly query?: string;
  readonly format: CompressFormat;
  readonly tokenizer: BuiltInTokenizerName;
  readonly preserve?: RegExp[];
  readonly preserveClass?: ProtectedClass[];
  readonly separator?: string;
  /** "sentence" unless `--granularity` is given. */
  readonly granularity?: Granularity;
  readonly inputFormat?: DocumentFormat;
  /** Path of the mega-token file to write. */
  readonly megaTokens?: string;
  /** False with `--no-vectors`. */
  readonly vectors: boolean;
  readonly quiet?: boolean;
  /** False with `--no-progress`. */
  readonly progress: boolean;
  /** Encoder named with `--encoder`; "built-in" unless given. */
  readonly encoder?: EncoderChoice;
  /** Folder of an ONNX encoder given with `--model`. */
  readonly model?: string;
}

/**
 * Converts the command-line options into engine options. Mega-tokens are
 * built only when they are printed (JSON) or saved (`--mega-tokens`).
 */
export function toCompressOptions(flags: CompressFlags): CompressOptions {
  const preserve = [...(flags.preserve ?? []), ...(flags.preserveClass ?? [])];
  return {
    ratio: flags.ratio,
    targetTokens: flags.targetTokens,
    query: flags.query,
    tokenizer: flags.tokenizer,
    preserve,
    separator: flags.separator,
    granularity: flags.granularity ?? "sentence",
    megaTokens: flags.format === "json" || flags.megaTokens !== undefined,
    // Leaving the encoder out selects the built-in model.
    ...(flags.encoder === "hashing" || flags.encoder === "none"
      ? { encoder: flags.encoder }
      : {}),
  };
}
