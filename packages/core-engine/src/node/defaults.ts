import { compress as compressWithOptions } from "../compress.js";
import type { Encoder } from "../encoder/encoder.js";
import { HashingEncoder } from "../encoder/hashing-encoder.js";
import {
  CoreEngineError,
  CoreEngineErrorCode,
  isCoreEngineError,
  throwIfAborted,
} from "../errors.js";
import { route as routeWithOptions } from "../mega-tokens/route.js";
import type { RouteOptions, RouteResult } from "../mega-tokens/route.js";
import type { MegaTokenSet } from "../mega-tokens/types.js";
import { resolveOptions } from "../options.js";
import type {
  CompressInput,
  CompressOptions,
  CompressResult,
} from "../types.js";
import type { WordInformation } from "../text/word-information.js";
import { loadBuiltInEncoder, loadWordInformation } from "./built-in-model.js";

let defaultEncoder: Promise<Encoder> | undefined;
/** The error that made the default encoder fall back to hashing, if any. */
let runtimeFailure: CoreEngineError | undefined;
let defaultInformation: Promise<WordInformation> | undefined;

/**
 * Returns the built-in model's word statistics, read and verified once
 * per process; `compress` uses them at `granularity: "token"` when the
 * options give none.
 * @throws {CoreEngineError} `INVALID_MODEL` when the file is missing or
 * changed; a later call reads it again.
 */
export function loadDefaultWordInformation(): Promise<WordInformation> {
  defaultInformation ??= loadWordInformation().catch((error: unknown) => {
    defaultInformation = undefined;
    throw error;
  });
  return defaultInformation;
}

/**
 * Returns the encoder that compression uses in Node.js when `encoder` is
 * left out: the built-in model, verified against its manifest and loaded
 * once per process. Where onnxruntime-node cannot load on the platform,
 * it returns the hashing encoder and emits a process warning with the
 * reason, so `result.encoder` then names the hashing encoder.
 * @throws {CoreEngineError} `INVALID_MODEL` when a file of the built-in
 * model is missing or changed; a later call checks the files again.
 */
export function loadDefaultEncoder(): Promise<Encoder> {
  defaultEncoder ??= loadBuiltInEncoder().catch((error: unknown) => {
    if (
      isCoreEngineError(error) &&
      error.code === CoreEngineErrorCode.RUNTIME_UNAVAILABLE
    ) {
      runtimeFailure = error;
      process.emitWarning(
        `${error.message} Compression uses the hashing encoder instead of the built-in model.`,
        { code: "RETRIEVAL_FREE_HASHING_FALLBACK" },
      );
      return new HashingEncoder();
    }
    defaultEncoder = undefined;
    throw error;
  });
  return defaultEncoder;
}

/**
 * {@link compressWithOptions | compress} with the built-in model as the
 * default encoder: when `options.encoder` is left out, the model from
 * {@link loadDefaultEncoder} is used, and at `granularity: "token"` the
 * model's word statistics unless `options.wordInformation` is given.
 * Options are validated before anything is loaded.
 */
export async function compress(
  input: CompressInput,
  options: CompressOptions,
): Promise<CompressResult> {
  const resolved = resolveOptions(options);
  throwIfAborted(resolved.signal);
  const encoder = resolved.encoder ?? (await loadDefaultEncoder());
  const wordInformation =
    resolved.granularity === "token"
      ? (resolved.wordInformation ?? (await loadDefaultWordInformation()))
      : undefined;
  throwIfAborted(resolved.signal);
  return compressWithOptions(input, {
    ...options,
    encoder,
    ...(wordInformation === undefined ? {} : { wordInformation }),
  });
}

/**
 * {@link routeWithOptions | route} that also recognizes sets built with
 * the built-in model: when `options.encoder` is left out and the set was
 * not built by a hashing encoder, the default encoder is loaded and used
 * if its id is the set's.
 */
export async function route(
  set: MegaTokenSet,
  query: string,
  options: RouteOptions = {},
): Promise<RouteResult> {
  const id: unknown = (set as Partial<MegaTokenSet> | null)?.encoder?.id;
  const given: unknown = (options as RouteOptions | null)?.encoder;
  if (
    given === undefined &&
    typeof id === "string" &&
    HashingEncoder.fromId(id) === undefined
  ) {
    const encoder = await loadDefaultEncoder();
    if (encoder.id === id) {
      return routeWithOptions(set, query, { ...options, encoder });
    }
    if (runtimeFailure !== undefined && id.startsWith("onnx:")) {
      throw new CoreEngineError(
        CoreEngineErrorCode.RUNTIME_UNAVAILABLE,
        `The mega-tokens were built with the ONNX model "${id}", which cannot run here: ${runtimeFailure.message}`,
        { cause: runtimeFailure },
      );
    }
  }
  return routeWithOptions(set, query, options);
}
