import type { Encoder } from "../encoder/encoder.js";
import { HashingEncoder, normalize } from "../encoder/hashing-encoder.js";
import {
  CoreEngineError,
  CoreEngineErrorCode,
  throwIfAborted,
} from "../errors.js";
import { describeValue } from "../options.js";
import { sourceOf } from "./registry.js";
import { MEGA_TOKEN_LEVELS } from "./types.js";
import type { MegaToken, MegaTokenLevel, MegaTokenSet } from "./types.js";

/** Options of {@link route}. */
export interface RouteOptions {
  /**
   * Number of tokens to return in `top`.
   * @default 5
   */
  readonly k?: number;
  /**
   * Level whose tokens compete for `top`.
   * @default "segment"
   */
  readonly level?: MegaTokenLevel;
  /**
   * Softmax temperature of the attention weights; lower is sharper.
   * @default 0.05
   */
  readonly temperature?: number;
  /**
   * Encoder for the query. Required unless the set was built with the
   * built-in hashing encoder, which is recreated from its id.
   */
  readonly encoder?: Encoder;
  readonly signal?: AbortSignal;
}

/** One token chosen by {@link route}. */
export interface RoutedToken {
  readonly token: MegaToken;
  /** Attention weight; the weights of one level sum to 1. */
  readonly weight: number;
  /** Cosine between the query vector and the token vector. */
  readonly score: number;
}

/** Output of {@link route}. */
export interface RouteResult {
  /** Attention weight of every token of the set, by index. */
  readonly weights: Float32Array;
  /** The `k` tokens of the requested level with the largest weights. */
  readonly top: readonly RoutedToken[];
}

/** Share of a token's routing score that comes from its ancestors. */
const ANCESTOR_SHARE = 0.4;

function invalidRouteOption(
  path: string,
  value: unknown,
  message: string,
): CoreEngineError {
  return new CoreEngineError(CoreEngineErrorCode.INVALID_OPTIONS, message, {
    issues: [{ path, value, message }],
  });
}

const ROUTE_OPTION_NAMES = ["k", "level", "temperature", "encoder", "signal"];

function checkRouteArguments(set: unknown, options: unknown): void {
  const candidate = set as Partial<MegaTokenSet> | null;
  if (
    typeof candidate !== "object" ||
    candidate === null ||
    !Array.isArray(candidate.tokens) ||
    typeof candidate.encoder?.id !== "string"
  ) {
    throw new CoreEngineError(
      CoreEngineErrorCode.INVALID_MEGA_TOKENS,
      `route expects a mega-token set such as result.megaTokens or the output of deserializeMegaTokens (received ${describeValue(set)}).`,
    );
  }
  if (
    typeof options !== "object" ||
    options === null ||
    Array.isArray(options)
  ) {
    throw invalidRouteOption(
      "",
      options,
      `Route options must be an object such as { k: 5 } (received ${describeValue(options)}).`,
    );
  }
  const unknown = Object.keys(options).filter(
    (key) => !ROUTE_OPTION_NAMES.includes(key),
  );
  if (unknown.length > 0) {
    throw invalidRouteOption(
      unknown[0] ?? "",
      options,
      `Unknown route option ${unknown.map((key) => `"${key}"`).join(", ")}. Valid options are ${ROUTE_OPTION_NAMES.join(", ")}.`,
    );
  }
}

function checkRouteOptions(options: RouteOptions): {
  k: number;
  level: MegaTokenLevel;
  temperature: number;
} {
  const k = options.k ?? 5;
  const level = options.level ?? "segment";
  const temperature = options.temperature ?? 0.05;
  if (!Number.isInteger(k) || k < 1) {
    throw invalidRouteOption(
      "k",
      k,
      `k must be a whole number of at least 1 (received ${describeValue(k)}).`,
    );
  }
  if (!MEGA_TOKEN_LEVELS.includes(level)) {
    throw invalidRouteOption(
      "level",
      level,
      `level must be one of ${MEGA_TOKEN_LEVELS.join(", ")} (received ${describeValue(level)}).`,
    );
  }
  if (
    typeof temperature !== "number" ||
    !(temperature > 0) ||
    !Number.isFinite(temperature)
  ) {
    throw invalidRouteOption(
      "temperature",
      temperature,
      `temperature must be a number above 0 (received ${describeValue(temperature)}), such as 0.05.`,
    );
  }
  return { k, level, temperature };
}

function resolveEncoder(
  set: MegaTokenSet,
  encoder: Encoder | undefined,
): Encoder {
  if (encoder !== undefined) {
    if (
      encoder.id !== set.encoder.id ||
      encoder.dimension !== set.encoder.dimension
    ) {
      const fix =
        HashingEncoder.fromId(set.encoder.id) === undefined
          ? "pass the encoder that built them."
          : "leave options.encoder out, because routing recreates the built-in hashing encoder that built them.";
      throw new CoreEngineError(
        CoreEngineErrorCode.ENCODER_REQUIRED,
        `The mega-tokens were built with encoder "${set.encoder.id}" (${set.encoder.dimension} dimensions) but routing got "${encoder.id}" (${encoder.dimension}); ${fix}`,
      );
    }
    return encoder;
  }
  const recreated = HashingEncoder.fromId(set.encoder.id);
  if (recreated === undefined) {
    throw new CoreEngineError(
      CoreEngineErrorCode.ENCODER_REQUIRED,
      `The mega-tokens were built with encoder "${set.encoder.id}", which routing cannot recreate; pass it as options.encoder.`,
    );
  }
  return recreated;
}

async function encodeQuery(
  encoder: Encoder,
  query: string,
  signal: AbortSignal | undefined,
): Promise<Float32Array> {
  let vectors: Float32Array[];
  try {
    vectors = await encoder.encode(
      [query],
      signal === undefined
        ? { purpose: "query" }
        : { purpose: "query", signal },
    );
  } catch (error) {
    throwIfAborted(signal);
    throw new CoreEngineError(
      CoreEngineErrorCode.ENCODER_FAILED,
      `Encoder "${encoder.id}" failed to encode the query.`,
      { cause: error },
    );
  }
  const vector = vectors[0];
  if (
    !(vector instanceof Float32Array) ||
    vector.length !== encoder.dimension
  ) {
    throw new CoreEngineError(
      CoreEngineErrorCode.ENCODER_FAILED,
      `Encoder "${encoder.id}" returned no vector of dimension ${encoder.dimension} for the query.`,
    );
  }
  const copy = new Float32Array(vector);
  normalize(copy);
  return copy;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < a.length; index++) {
    sum += (a[index] as number) * (b[index] as number);
  }
  return sum;
}

/**
 * Routes a query through a mega-token hierarchy without any index: each
 * token's score is its cosine to the query, blended with its ancestors'
 * scores, and the weights of each level are a softmax over those scores.
 * An empty query ranks tokens by salience.
 */
export async function route(
  set: MegaTokenSet,
  query: string,
  options: RouteOptions = {},
): Promise<RouteResult> {
  checkRouteArguments(set, options);
  const { k, level, temperature } = checkRouteOptions(options);
  if (typeof query !== "string") {
    throw invalidRouteOption(
      "query",
      query,
      `The query must be a string (received ${describeValue(query)}).`,
    );
  }
  const tokens = set.tokens;
  const scores = new Float64Array(tokens.length);
  const pathScores = new Float64Array(tokens.length);
  if (query.trim().length === 0) {
    tokens.forEach((token) => (scores[token.index] = token.salience));
  } else {
    const vector = await encodeQuery(
      resolveEncoder(set, options.encoder),
      query,
      options.signal,
    );
    tokens.forEach(
      (token) => (scores[token.index] = cosine(vector, token.vector)),
    );
  }
  // Tokens are ordered coarsest first, so every parent is scored before
  // its children. Without a query, each token keeps its own salience.
  const share = query.trim().length === 0 ? 0 : ANCESTOR_SHARE;
  for (const token of tokens) {
    const own = scores[token.index] as number;
    pathScores[token.index] =
      token.parent < 0
        ? own
        : (1 - share) * own + share * (pathScores[token.parent] as number);
  }
  const weights = softmaxByLevel(tokens, pathScores, temperature);
  const top = tokens
    .filter((token) => token.level === level)
    .sort((a, b) => (weights[b.index] as number) - (weights[a.index] as number))
    .slice(0, k)
    .map((token) => ({
      token,
      weight: weights[token.index] as number,
      score: scores[token.index] as number,
    }));
  return { weights, top };
}

function softmaxByLevel(
  tokens: readonly MegaToken[],
  scores: Float64Array,
  temperature: number,
): Float32Array {
  const weights = new Float32Array(tokens.length);
  for (const level of MEGA_TOKEN_LEVELS) {
    let max = Number.NEGATIVE_INFINITY;
    for (const token of tokens) {
      if (token.level === level) {
        max = Math.max(max, scores[token.index] as number);
      }
    }
    let sum = 0;
    for (const token of tokens) {
      if (token.level === level) {
        const value = Math.exp(
          ((scores[token.index] as number) - max) / temperature,
        );
        weights[token.index] = value;
        sum += value;
      }
    }
    for (const token of tokens) {
      if (token.level === level && sum > 0) {
        weights[token.index] = (weights[token.index] as number) / sum;
      }
    }
  }
  return weights;
}

/**
 * Returns the exact source text of a mega-token: its spans sliced from its
 * document, joined by a line with an ellipsis when there are several. Pass
 * the set when the token comes from elsewhere than `compress` or
 * `deserializeMegaTokens` in this process.
 */
export function expand(token: MegaToken, set?: MegaTokenSet): string {
  const text =
    set?.documents.find((document) => document.id === token.documentId)?.text ??
    sourceOf(token);
  if (text === undefined) {
    throw new CoreEngineError(
      CoreEngineErrorCode.INVALID_MEGA_TOKENS,
      `The source text of mega-token ${token.index} (document "${token.documentId}") is unknown; pass its set as the second argument.`,
    );
  }
  return token.spans
    .map((span) => text.slice(span.start, span.end))
    .join("\n…\n");
}
