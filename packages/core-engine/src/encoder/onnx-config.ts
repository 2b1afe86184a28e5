import { z } from "zod";

import { CoreEngineError, CoreEngineErrorCode } from "../errors.js";

/** Pooling mode that turns token vectors into one vector per text. */
export type OnnxPooling = "mean" | "cls" | "output";

/** Settings of an ONNX sentence encoder, as read from its model folder. */
export interface OnnxEncoderConfig {
  /** Model name, part of the encoder id. */
  readonly name: string;
  /** Model version, part of the encoder id when set. */
  readonly version?: string;
  /**
   * `mean`: the mean of the token vectors under the attention mask;
   * `cls`: the vector of the first token; `output`: the graph's own
   * sentence vector (an output of shape `[batch, dimension]`).
   */
  readonly pooling: OnnxPooling;
  /** Whether vectors are scaled to unit length. */
  readonly normalize: boolean;
  /** Maximum tokens per model input, special tokens included; longer texts are windowed. */
  readonly maxLength: number;
  /** Text put before every input, such as `"passage: "` for E5 models. */
  readonly prefix: string;
  /** Text put before a query instead of `prefix`, such as `"query: "`. */
  readonly queryPrefix: string | undefined;
  /**
   * Name of the graph output to read. Defaults to `sentence_embedding` for
   * `output` pooling and `last_hidden_state` otherwise.
   */
  readonly output: string | undefined;
}

/** The `encoder.json` file of a model folder; every field but `pooling` is optional. */
/** Names and versions go into encoder ids, so they are short and plain. */
const LABEL = /^[A-Za-z0-9][\w.+-]{0,99}$/u;

const encoderFileSchema = z.strictObject({
  name: z
    .string()
    .regex(LABEL, "use 1 to 100 letters, digits, '.', '_', '+' or '-'")
    .optional(),
  version: z
    .string()
    .regex(LABEL, "use 1 to 100 letters, digits, '.', '_', '+' or '-'")
    .optional(),
  pooling: z.enum(["mean", "cls", "output"]),
  normalize: z.boolean().optional(),
  maxLength: z.int().min(3).max(65_536).optional(),
  prefix: z.string().max(1000).optional(),
  queryPrefix: z.string().max(1000).optional(),
  output: z.string().min(1).max(1000).optional(),
});

/** Input accepted by {@link parseOnnxEncoderConfig}. */
export type OnnxEncoderConfigInput = z.input<typeof encoderFileSchema>;

/** Maximum length used when neither the config nor the tokenizer sets one. */
export const DEFAULT_MAX_LENGTH = 512;

/** Maximum length of a received value as shown in an error message. */
const MAX_DESCRIBED = 80;

function describe(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? "nothing" : JSON.stringify(value);
  } catch {
    text = typeof value;
  }
  return text.length > MAX_DESCRIBED
    ? `${text.slice(0, MAX_DESCRIBED)}…`
    : text;
}

/**
 * Validates an encoder config (the contents of `encoder.json`) and fills
 * in the defaults. `source` names the file in error messages and
 * `fallbackName` is used when the config has no name.
 * @throws {CoreEngineError} `INVALID_MODEL` listing every invalid field.
 */
export function parseOnnxEncoderConfig(
  value: unknown,
  source: string,
  fallbackName: string,
): OnnxEncoderConfig {
  const parsed = encoderFileSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      if (issue.code === "unrecognized_keys") {
        return `unknown field ${issue.keys.map((key) => `"${key}"`).join(", ")}`;
      }
      const path = issue.path.join(".");
      const received =
        issue.path.length > 0 && typeof value === "object" && value !== null
          ? (value as Record<string, unknown>)[String(issue.path[0])]
          : value;
      return `${path === "" ? "the file" : path} (received ${describe(received)}): ${issue.message}`;
    });
    throw new CoreEngineError(
      CoreEngineErrorCode.INVALID_MODEL,
      `${source} is not a valid encoder config: ${problems.join("; ")}. Use { "pooling": "mean" | "cls" | "output", "normalize": true, "maxLength": 512 } with optional "name", "version", "prefix", "queryPrefix" and "output".`,
    );
  }
  const config = parsed.data;
  return {
    name: config.name ?? fallbackName,
    ...(config.version === undefined ? {} : { version: config.version }),
    pooling: config.pooling,
    normalize: config.normalize ?? true,
    maxLength: config.maxLength ?? DEFAULT_MAX_LENGTH,
    prefix: config.prefix ?? "",
    queryPrefix: config.queryPrefix,
    output: config.output,
  };
}
