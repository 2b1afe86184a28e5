import type {
  InferenceSession,
  Tensor,
  TensorConstructor,
} from "onnxruntime-common";

import {
  CoreEngineError,
  CoreEngineErrorCode,
  throwIfAborted,
} from "../errors.js";
import type { EncodeOptions, Encoder } from "./encoder.js";
import type { OnnxEncoderConfig } from "./onnx-config.js";
import { createTextTokenizer } from "./text-tokenizer.js";
import type { TextTokenizer } from "./text-tokenizer.js";
import { CachedWordPiece } from "./wordpiece.js";

/**
 * The parts of an ONNX Runtime package that the encoder uses:
 * `onnxruntime-node` in Node.js, `onnxruntime-web` in a browser.
 */
export interface OnnxRuntime {
  readonly InferenceSession: {
    create(
      model: Uint8Array,
      options?: InferenceSession.SessionOptions,
    ): Promise<InferenceSession>;
  };
  readonly Tensor: TensorConstructor;
}

/** File names shown in error messages, so a message points at the file to fix. */
export interface OnnxModelSources {
  readonly model: string;
  readonly tokenizer: string;
  readonly config: string;
}

/** Everything {@link OnnxEncoder.create} needs, already read into memory. */
export interface OnnxEncoderInit {
  readonly runtime: OnnxRuntime;
  /** Bytes of `model.onnx`. */
  readonly model: Uint8Array;
  /** Parsed `tokenizer.json` (Hugging Face tokenizers format). */
  readonly tokenizer: unknown;
  /** Parsed `tokenizer_config.json`, when the folder has one. */
  readonly tokenizerConfig?: unknown;
  readonly config: OnnxEncoderConfig;
  readonly sources: OnnxModelSources;
  /** Threads ONNX Runtime may use inside one operator. @default 1 */
  readonly threads?: number;
  /** Texts or windows per model call. @default 32 */
  readonly batchSize?: number;
}

const DEFAULT_BATCH_SIZE = 32;
/** Largest accepted batch size; larger ones only cost memory. */
const MAX_BATCH_SIZE = 4096;
/** Largest accepted thread count; ONNX Runtime creates every thread up front. */
const MAX_THREADS = 256;
/** Text whose encoding with and without special tokens reveals them. */
const PROBE_TEXT = "a";

interface SpecialTokens {
  readonly prefix: readonly number[];
  readonly suffix: readonly number[];
  readonly padId: number;
}

/** One model input row: a text's window of token ids with its specials. */
interface Window {
  readonly text: number;
  readonly ids: Int32Array;
  /** Content tokens of the window, its weight in the text's vector. */
  readonly weight: number;
}

type IdType = "int64" | "int32";

function invalidModel(message: string, cause?: unknown): CoreEngineError {
  return new CoreEngineError(
    CoreEngineErrorCode.INVALID_MODEL,
    message,
    cause === undefined ? {} : { cause },
  );
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function loadTokenizer(init: OnnxEncoderInit): TextTokenizer {
  if (!isRecord(init.tokenizer) || !isRecord(init.tokenizer.model)) {
    throw invalidModel(
      `${init.sources.tokenizer} has no "model" object, so it is not a Hugging Face tokenizer.json; save the tokenizer with the model (tokenizer.save_pretrained) and use that file.`,
    );
  }
  const config = isRecord(init.tokenizerConfig) ? init.tokenizerConfig : {};
  try {
    return CachedWordPiece.wrap(
      createTextTokenizer(init.tokenizer, config),
      init.tokenizer,
      config,
    );
  } catch (error) {
    throw invalidModel(
      `${init.sources.tokenizer} could not be loaded as a tokenizer (${reason(error)}); use the tokenizer.json saved with the model.`,
      error,
    );
  }
}

/** Id of a special token named in tokenizer_config.json, such as `pad_token`. */
function namedTokenId(
  tokenizer: TextTokenizer,
  config: unknown,
  key: string,
): number | undefined {
  if (!isRecord(config)) {
    return undefined;
  }
  const entry = config[key];
  const content = isRecord(entry) ? entry.content : entry;
  return typeof content === "string"
    ? tokenizer.token_to_id(content)
    : undefined;
}

/**
 * Finds the special tokens the tokenizer adds around a text, by encoding
 * a probe with and without them, and the id used for padding: the
 * tokenizer's own padding id or pad token, else its last special token.
 * Padded positions are masked out, so the id only has to be valid.
 */
function findSpecialTokens(
  tokenizer: TextTokenizer,
  init: OnnxEncoderInit,
): SpecialTokens {
  const bare: readonly number[] = tokenizer.encode(PROBE_TEXT, {
    add_special_tokens: false,
  }).ids;
  const full: readonly number[] = tokenizer.encode(PROBE_TEXT).ids;
  let start = -1;
  for (let at = 0; at + bare.length <= full.length; at++) {
    if (bare.every((id, offset) => full[at + offset] === id)) {
      start = at;
      break;
    }
  }
  if (bare.length === 0 || start < 0) {
    throw invalidModel(
      `${init.sources.tokenizer} does not encode the text "${PROBE_TEXT}" with its special tokens around it; the encoder needs a tokenizer whose post-processor only adds tokens before and after the text.`,
    );
  }
  const prefix = full.slice(0, start);
  const suffix = full.slice(start + bare.length);
  const padding = isRecord(init.tokenizer) ? init.tokenizer.padding : null;
  const paddingId =
    isRecord(padding) && typeof padding.pad_id === "number"
      ? padding.pad_id
      : undefined;
  const padId =
    paddingId ??
    namedTokenId(tokenizer, init.tokenizerConfig, "pad_token") ??
    suffix.at(-1) ??
    prefix.at(-1) ??
    0;
  return { prefix, suffix, padId };
}

function tensorMetadata(
  metadata: readonly InferenceSession.ValueMetadata[] | undefined,
  name: string,
): InferenceSession.TensorValueMetadata | undefined {
  const entry = metadata?.find((value) => value.name === name);
  return entry?.isTensor === true ? entry : undefined;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (byte) =>
    byte.toString(16).padStart(2, "0"),
  ).join("");
}

/**
 * A sentence encoder running an ONNX model with ONNX Runtime: BERT,
 * MiniLM, BGE or E5 exports from sentence-transformers, or any graph with
 * inputs `input_ids` and `attention_mask` (and optionally
 * `token_type_ids`) and a `last_hidden_state` or sentence output. Texts
 * are tokenized with the model's own tokenizer, sorted by length into
 * batches, and texts longer than `maxLength` tokens are cut into windows
 * whose vectors are averaged, weighted by their tokens. One session is
 * created and reused; model calls run one at a time.
 */
export class OnnxEncoder implements Encoder {
  private queue: Promise<unknown> = Promise.resolve();

  /** The model name from its config. */
  get name(): string {
    return this.config.name;
  }

  /** The model version from its config, when it has one. */
  get version(): string | undefined {
    return this.config.version;
  }

  // Set once by create(): the id needs the model's hash and the dimension
  // needs a test run, which needs the constructed encoder.
  private modelId = "";
  private vectorLength = 0;

  /** Identifier of the model and its settings, stored with mega-tokens. */
  get id(): string {
    return this.modelId;
  }

  /** Length of every vector. */
  get dimension(): number {
    return this.vectorLength;
  }

  private constructor(
    readonly config: OnnxEncoderConfig,
    private readonly runtime: OnnxRuntime,
    private readonly session: InferenceSession,
    private readonly tokenizer: TextTokenizer,
    private readonly specials: SpecialTokens,
    private readonly inputs: {
      readonly idType: IdType;
      readonly tokenTypes: boolean;
      readonly output: string;
      /** The model file, named in error messages. */
      readonly source: string;
    },
    private readonly batchSize: number,
  ) {}

  /**
   * Creates the encoder: loads the tokenizer, opens one ONNX Runtime
   * session, checks the model's inputs and outputs, and runs the model
   * once to learn the vector dimension.
   * @throws {CoreEngineError} `INVALID_MODEL` naming the file at fault.
   */
  static async create(init: OnnxEncoderInit): Promise<OnnxEncoder> {
    const { config, sources } = init;
    checkCount("threads", init.threads, MAX_THREADS);
    checkCount("batchSize", init.batchSize, MAX_BATCH_SIZE);
    checkConfig(config, sources.config);
    const runtime = init.runtime as Partial<OnnxRuntime> | undefined;
    if (
      typeof runtime?.InferenceSession?.create !== "function" ||
      typeof runtime.Tensor !== "function"
    ) {
      throw new CoreEngineError(
        CoreEngineErrorCode.INVALID_OPTIONS,
        `runtime must be the onnxruntime-node or onnxruntime-web module, with InferenceSession.create and Tensor (received ${describeValue(init.runtime)}); pass the module itself, such as await import("onnxruntime-node").`,
      );
    }
    if (!(init.model instanceof Uint8Array) || init.model.length === 0) {
      throw new CoreEngineError(
        CoreEngineErrorCode.INVALID_OPTIONS,
        `model must be the non-empty bytes of ${sources.model} as a Uint8Array (received ${describeValue(init.model)}).`,
      );
    }
    const tokenizer = loadTokenizer(init);
    const specials = findSpecialTokens(tokenizer, init);
    const room =
      config.maxLength - specials.prefix.length - specials.suffix.length;
    if (room < 1) {
      throw invalidModel(
        `${sources.config} sets maxLength ${config.maxLength}, which leaves no room for text between the tokenizer's ${specials.prefix.length + specials.suffix.length} special tokens; raise maxLength.`,
      );
    }
    const threads = init.threads ?? 1;
    let session: InferenceSession;
    try {
      session = await init.runtime.InferenceSession.create(init.model, {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: "all",
        // Failures reach the caller as errors; ONNX Runtime's own log
        // lines would only duplicate them on standard error.
        logSeverityLevel: 4,
      });
    } catch (error) {
      throw invalidModel(
        `${sources.model} could not be loaded by ONNX Runtime (${reason(error)}); check that it is a complete ONNX model file.`,
        error,
      );
    }
    const inputs = OnnxEncoder.checkInputs(session, sources.model);
    const output = OnnxEncoder.checkOutput(session, config, sources.model);
    const hash = await sha256Hex(init.model);
    const encoder = new OnnxEncoder(
      config,
      init.runtime,
      session,
      tokenizer,
      specials,
      { ...inputs, output, source: sources.model },
      init.batchSize ?? DEFAULT_BATCH_SIZE,
    );
    encoder.vectorLength = await encoder.probe(room);
    const version = config.version === undefined ? "" : `@${config.version}`;
    encoder.modelId = `onnx:${config.name}${version}:sha256=${hash.slice(0, 16)}:pool=${config.pooling}:max=${config.maxLength}`;
    return encoder;
  }

  /**
   * Runs the model once on two rows, a short text and one of `maxLength`
   * tokens, so padding, batches of more than one row and the longest
   * input are all tried before the first real call. Returns the vector
   * dimension.
   */
  private async probe(room: number): Promise<number> {
    const { prefix, suffix } = this.specials;
    const short = this.tokenizer.encode(PROBE_TEXT, {
      add_special_tokens: false,
    }).ids;
    const long = Array.from(
      { length: room },
      (_, index) => short[index % short.length] as number,
    );
    let vectors: Float32Array[];
    try {
      vectors = await this.runWindows([
        {
          text: 0,
          ids: this.checkedIds([...prefix, ...short, ...suffix]),
          weight: 1,
        },
        {
          text: 1,
          ids: this.checkedIds([...prefix, ...long, ...suffix]),
          weight: 1,
        },
      ]);
    } catch (error) {
      if (
        error instanceof CoreEngineError &&
        error.code === CoreEngineErrorCode.INVALID_MODEL
      ) {
        throw error;
      }
      throw invalidModel(
        `${this.inputs.source} failed on a test input of ${this.config.maxLength} tokens (${reason(error)}); check that "maxLength" in the encoder config does not exceed what the model accepts.`,
        error,
      );
    }
    const dimension = vectors[0]?.length ?? 0;
    if (dimension === 0 || vectors[1]?.length !== dimension) {
      throw invalidModel(
        `${this.inputs.source} returns vectors of ${dimension} and ${vectors[1]?.length ?? 0} values for inputs of different lengths; a sentence encoder returns one fixed dimension.`,
      );
    }
    return dimension;
  }

  private static checkInputs(
    session: InferenceSession,
    source: string,
  ): { idType: IdType; tokenTypes: boolean } {
    const names = session.inputNames;
    const missing = ["input_ids", "attention_mask"].filter(
      (name) => !names.includes(name),
    );
    const unknown = names.filter(
      (name) =>
        !["input_ids", "attention_mask", "token_type_ids"].includes(name),
    );
    if (missing.length > 0 || unknown.length > 0) {
      throw invalidModel(
        `${source} has inputs [${names.join(", ")}], but a sentence encoder needs input_ids and attention_mask and may add only token_type_ids; export the model for feature extraction.`,
      );
    }
    const type = tensorMetadata(session.inputMetadata, "input_ids")?.type;
    if (type !== undefined && type !== "int64" && type !== "int32") {
      throw invalidModel(
        `${source} takes input_ids of type ${type}; the encoder supports int64 and int32 token ids.`,
      );
    }
    return {
      idType: type === "int32" ? "int32" : "int64",
      tokenTypes: names.includes("token_type_ids"),
    };
  }

  private static checkOutput(
    session: InferenceSession,
    config: OnnxEncoderConfig,
    source: string,
  ): string {
    const names = session.outputNames;
    const expected =
      config.output ??
      (config.pooling === "output"
        ? "sentence_embedding"
        : "last_hidden_state");
    // A graph with a single output is read as the token vectors.
    let output: string | undefined;
    if (names.includes(expected) || config.output !== undefined) {
      output = expected;
    } else if (config.pooling !== "output" && names.length === 1) {
      output = names[0];
    }
    if (output === undefined || !names.includes(output)) {
      throw invalidModel(
        `${source} has outputs [${names.join(", ")}] and no "${expected}"; set "output" in the encoder config to the output that contains the ${config.pooling === "output" ? "sentence vectors" : "token vectors"}.`,
      );
    }
    return output;
  }

  /** Encodes texts in order; see {@link OnnxEncoder}. */
  async encode(
    texts: readonly string[],
    options: EncodeOptions = {},
  ): Promise<Float32Array[]> {
    throwIfAborted(options.signal);
    if (
      !Array.isArray(texts) ||
      !texts.every((text) => typeof text === "string")
    ) {
      throw new CoreEngineError(
        CoreEngineErrorCode.INVALID_INPUT,
        `OnnxEncoder.encode takes an array of strings (received ${describeValue(texts)}).`,
      );
    }
    const prefix =
      options.purpose === "query"
        ? (this.config.queryPrefix ?? this.config.prefix)
        : this.config.prefix;
    const prefixIds = this.checkedIds(
      prefix === ""
        ? []
        : this.tokenizer.encode(prefix, { add_special_tokens: false }).ids,
    );
    const windows: Window[] = [];
    texts.forEach((text, index) => {
      for (const window of this.windowsOf(index, text, prefixIds)) {
        windows.push(window);
      }
    });
    const vectors = await abortable(
      this.enqueue(() => this.runWindows(windows, options.signal)),
      options.signal,
    );
    return this.combine(texts.length, windows, vectors);
  }

  /**
   * Cuts a text's tokens into windows that fit `maxLength` with the
   * special tokens and the text prefix, which every window repeats.
   */
  private windowsOf(
    text: number,
    value: string,
    prefixIds: Int32Array,
  ): Window[] {
    const { prefix, suffix } = this.specials;
    const content = this.tokenizer.encode(value, {
      add_special_tokens: false,
    }).ids;
    const headLength = prefix.length + prefixIds.length;
    const room = Math.max(
      1,
      this.config.maxLength - headLength - suffix.length,
    );
    const windows: Window[] = [];
    // An empty text still gets one window of its special tokens.
    for (let start = 0; start < Math.max(1, content.length); start += room) {
      const part = Math.min(room, content.length - start);
      const ids = new Int32Array(headLength + part + suffix.length);
      ids.set(prefix, 0);
      ids.set(prefixIds, prefix.length);
      ids.set(this.checkedIds(content.slice(start, start + part)), headLength);
      ids.set(suffix, headLength + part);
      windows.push({ text, ids, weight: Math.max(1, part) });
    }
    return windows;
  }

  /** Copies token ids into an array for a tensor, checking each one. */
  private checkedIds(values: readonly number[]): Int32Array {
    const ids = new Int32Array(values.length);
    for (let index = 0; index < values.length; index++) {
      const id = values[index] as number;
      if (!Number.isInteger(id) || id < 0 || id > 0x7fffffff) {
        throw invalidModel(
          `The tokenizer of ${this.inputs.source} produced the token id ${String(id)}; token ids must be whole numbers from 0 to 2147483647. Check the vocabulary and unk_token in tokenizer.json.`,
        );
      }
      ids[index] = id;
    }
    return ids;
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Runs the model over windows, longest first in batches; returns one vector per window. */
  private async runWindows(
    windows: readonly Window[],
    signal?: AbortSignal,
  ): Promise<Float32Array[]> {
    const order = windows
      .map((window, index) => ({ index, length: window.ids.length }))
      .sort((a, b) => b.length - a.length || a.index - b.index);
    const vectors: Float32Array[] = new Array<Float32Array>(windows.length);
    for (let first = 0; first < order.length; first += this.batchSize) {
      throwIfAborted(signal);
      const entries = order.slice(first, first + this.batchSize);
      const pooled = await this.runBatch(
        entries.map((entry) => windows[entry.index] as Window),
      );
      for (let row = 0; row < entries.length; row++) {
        vectors[(entries[row] as { index: number }).index] = pooled[
          row
        ] as Float32Array;
      }
    }
    return vectors;
  }

  private tensor(values: Int32Array, dims: readonly number[]): Tensor {
    if (this.inputs.idType === "int32") {
      return new this.runtime.Tensor("int32", values, dims);
    }
    // Ids and masks are small and non-negative, so each int64 is its 32-bit
    // value followed by a zero word on little-endian machines, the only
    // byte order ONNX Runtime's JavaScript packages run on. Writing the
    // words directly avoids one BigInt per token.
    const data = new BigInt64Array(values.length);
    const words = new Int32Array(data.buffer);
    for (let index = 0; index < values.length; index++) {
      words[index * 2] = values[index] as number;
    }
    return new this.runtime.Tensor("int64", data, dims);
  }

  private async runBatch(batch: readonly Window[]): Promise<Float32Array[]> {
    const source = this.inputs.source;
    const rows = batch.length;
    let length = 1;
    for (const window of batch) {
      length = Math.max(length, window.ids.length);
    }
    const ids = new Int32Array(rows * length).fill(this.specials.padId);
    const mask = new Int32Array(rows * length);
    for (let row = 0; row < rows; row++) {
      const window = (batch[row] as Window).ids;
      const base = row * length;
      for (let column = 0; column < window.length; column++) {
        ids[base + column] = window[column] as number;
        mask[base + column] = 1;
      }
    }
    const feeds: Record<string, Tensor> = {
      input_ids: this.tensor(ids, [rows, length]),
      attention_mask: this.tensor(mask, [rows, length]),
    };
    if (this.inputs.tokenTypes) {
      feeds.token_type_ids = this.tensor(new Int32Array(rows * length), [
        rows,
        length,
      ]);
    }
    let results: InferenceSession.ReturnType;
    try {
      results = await this.session.run(feeds);
    } catch (error) {
      throw new CoreEngineError(
        CoreEngineErrorCode.ENCODER_FAILED,
        `ONNX Runtime failed to run ${source} on a batch of ${rows} texts of up to ${length} tokens (${reason(error)}).`,
        { cause: error },
      );
    }
    const output = results[this.inputs.output];
    return this.pool(output, batch, mask, length, source);
  }

  private pool(
    output: Tensor | undefined,
    batch: readonly Window[],
    mask: Int32Array,
    length: number,
    source: string,
  ): Float32Array[] {
    const rows = batch.length;
    const dims = output?.dims ?? [];
    const data = output?.data;
    const expectedRank = this.config.pooling === "output" ? 2 : 3;
    if (
      !(data instanceof Float32Array) ||
      dims.length !== expectedRank ||
      dims[0] !== rows ||
      (expectedRank === 3 && dims[1] !== length)
    ) {
      throw invalidModel(
        `${source} returned ${this.inputs.output} with shape [${dims.join(", ")}] and type ${output?.type ?? "none"}; ${this.config.pooling} pooling needs float32 of shape ${expectedRank === 2 ? "[batch, dimension]" : "[batch, tokens, dimension]"}. Set "pooling" in the encoder config to match the model.`,
      );
    }
    const dimension = dims[expectedRank - 1] as number;
    if (this.dimension > 0 && dimension !== this.dimension) {
      throw invalidModel(
        `${source} returned vectors of ${dimension} values after ${this.dimension} on its test input; a sentence encoder returns one fixed dimension.`,
      );
    }
    for (let index = 0; index < data.length; index++) {
      const value = data[index] as number;
      // Only NaN and the infinities give a difference that is not 0.
      if (value - value !== 0) {
        throw invalidModel(
          `${source} returned a value that is not a finite number (${String(value)}); the model is broken or was exported incorrectly.`,
        );
      }
    }
    return batch.map((_, row) => {
      const vector = new Float32Array(dimension);
      if (this.config.pooling === "output") {
        vector.set(data.subarray(row * dimension, (row + 1) * dimension));
      } else if (this.config.pooling === "cls") {
        const base = row * length * dimension;
        vector.set(data.subarray(base, base + dimension));
      } else {
        let count = 0;
        for (let token = 0; token < length; token++) {
          if (mask[row * length + token] !== 1) {
            continue;
          }
          count++;
          const base = (row * length + token) * dimension;
          for (let index = 0; index < dimension; index++) {
            vector[index] =
              (vector[index] as number) + (data[base + index] as number);
          }
        }
        if (count > 0) {
          for (let index = 0; index < dimension; index++) {
            vector[index] = (vector[index] as number) / count;
          }
        }
      }
      if (this.config.normalize) {
        normalizeInPlace(vector);
      }
      return vector;
    });
  }

  /**
   * Averages the window vectors of each text, weighted by their content
   * tokens. A text's windows are adjacent in `windows`.
   */
  private combine(
    count: number,
    windows: readonly Window[],
    vectors: readonly Float32Array[],
  ): Float32Array[] {
    const results = new Array<Float32Array>(count);
    let first = 0;
    while (first < windows.length) {
      const text = (windows[first] as Window).text;
      let end = first + 1;
      while (end < windows.length && (windows[end] as Window).text === text) {
        end++;
      }
      if (end - first === 1) {
        // Most texts fit one window, whose vector is already final.
        results[text] = vectors[first] as Float32Array;
      } else {
        const sum = new Float32Array(this.dimension);
        let weight = 0;
        for (let index = first; index < end; index++) {
          const share = (windows[index] as Window).weight;
          const vector = vectors[index] as Float32Array;
          for (let at = 0; at < sum.length; at++) {
            sum[at] = (sum[at] as number) + share * (vector[at] as number);
          }
          weight += share;
        }
        for (let at = 0; at < sum.length; at++) {
          sum[at] = (sum[at] as number) / weight;
        }
        if (this.config.normalize) {
          normalizeInPlace(sum);
        }
        results[text] = sum;
      }
      first = end;
    }
    return results;
  }
}

function describeValue(value: unknown): string {
  if (typeof value === "string") {
    return `the string "${value.slice(0, 40)}"`;
  }
  if (Array.isArray(value)) {
    return `an array of ${value.length}`;
  }
  return value === null ? "null" : typeof value;
}

/**
 * Settles with `work`, or rejects with an abort error as soon as `signal`
 * fires, so a call waiting behind another one in the queue stops at once.
 * The queued work itself still checks the signal before each batch.
 */
function abortable<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  if (signal === undefined) {
    return work;
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      try {
        throwIfAborted(signal);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function checkCount(
  name: string,
  value: number | undefined,
  maximum: number,
): void {
  if (
    value !== undefined &&
    !(Number.isInteger(value) && value >= 1 && value <= maximum)
  ) {
    throw new CoreEngineError(
      CoreEngineErrorCode.INVALID_OPTIONS,
      `${name} must be a whole number from 1 to ${maximum} (received ${String(value)}); leave it out for the default.`,
    );
  }
}

/** Rejects a config that did not come through the config parser. */
function checkConfig(config: OnnxEncoderConfig, source: string): void {
  const problems: string[] = [];
  if (!["mean", "cls", "output"].includes(config.pooling)) {
    problems.push(`pooling must be "mean", "cls" or "output"`);
  }
  if (!Number.isInteger(config.maxLength) || config.maxLength < 3) {
    problems.push("maxLength must be a whole number of at least 3");
  }
  if (typeof config.normalize !== "boolean") {
    problems.push("normalize must be true or false");
  }
  if (typeof config.prefix !== "string") {
    problems.push("prefix must be a string");
  }
  if (problems.length > 0) {
    throw new CoreEngineError(
      CoreEngineErrorCode.INVALID_OPTIONS,
      `The encoder config for ${source} is invalid: ${problems.join("; ")}. Build it with parseOnnxEncoderConfig.`,
    );
  }
}

function normalizeInPlace(vector: Float32Array): void {
  let squares = 0;
  for (const value of vector) {
    squares += value * value;
  }
  if (squares > 0) {
    const scale = 1 / Math.sqrt(squares);
    for (let index = 0; index < vector.length; index++) {
      vector[index] = (vector[index] as number) * scale;
    }
  }
}
