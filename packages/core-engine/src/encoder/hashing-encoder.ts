import { CoreEngineError, CoreEngineErrorCode } from "../errors.js";
import { textToTerms } from "../text/terms.js";
import type { EncodeOptions, Encoder } from "./encoder.js";

/** Options of {@link HashingEncoder}. */
export interface HashingEncoderOptions {
  /**
   * Length of the vectors.
   * @default 256
   */
  readonly dimension?: number;
  /**
   * Seed of the hash function; encoders with different seeds produce
   * incompatible vectors.
   * @default 0
   */
  readonly seed?: number;
}

const ID_PATTERN = /^hashing-v1:dim=(\d+):seed=(\d+)$/;
/** Default length of the vectors. */
const DEFAULT_DIMENSION = 256;
/** Share of a term's vector norm given to its character trigrams. */
const TRIGRAM_WEIGHT = 0.35;
/**
 * Terms whose features stay cached; the cache starts afresh when full, so
 * a long-lived encoder keeps a bounded amount of memory.
 */
const MAX_CACHED_TERMS = 50_000;
/** Number of buckets each whole term is hashed into. */
const WORD_BUCKETS = 4;

/** FNV-1a over UTF-16 code units, mixed with a seed. */
function hashString(text: string, seed: number): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash >>> 0;
}

/** Sparse hashed features of one term: vector positions and signed weights. */
export interface TermFeatures {
  readonly indices: Int32Array;
  readonly weights: Float32Array;
}

/**
 * A dependency-free encoder: feature hashing of the index terms of a text
 * (lowercased, singular, stopwords left out), each into several signed
 * buckets, and of each term's character trigrams, so related word forms
 * share part of their vector. The vectors
 * capture which words a text uses, not what it means; use an ONNX encoder
 * for semantic similarity.
 */
export class HashingEncoder implements Encoder {
  readonly id: string;
  readonly dimension: number;
  readonly seed: number;
  readonly name = "hashing";
  readonly version = "1";
  private readonly featureCache = new Map<string, TermFeatures>();

  constructor(options: HashingEncoderOptions = {}) {
    const dimension = options.dimension ?? DEFAULT_DIMENSION;
    const seed = options.seed ?? 0;
    if (!Number.isInteger(dimension) || dimension < 8 || dimension > 65_536) {
      throw new CoreEngineError(
        CoreEngineErrorCode.INVALID_OPTIONS,
        `HashingEncoder dimension must be a whole number from 8 to 65536 (received ${String(dimension)}).`,
      );
    }
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new CoreEngineError(
        CoreEngineErrorCode.INVALID_OPTIONS,
        `HashingEncoder seed must be a whole number from 0 to 4294967295 (received ${String(seed)}).`,
      );
    }
    this.dimension = dimension;
    this.seed = seed;
    this.id = `hashing-v1:dim=${dimension}:seed=${seed}`;
  }

  /**
   * Recreates the encoder named by an id such as
   * `hashing-v1:dim=256:seed=0`; returns undefined for other ids and for
   * settings out of range.
   */
  static fromId(id: string): HashingEncoder | undefined {
    const match = ID_PATTERN.exec(id);
    const dimension = Number(match?.[1]);
    const seed = Number(match?.[2]);
    if (
      match === null ||
      dimension < 8 ||
      dimension > 65_536 ||
      seed > 0xffffffff
    ) {
      return undefined;
    }
    return new HashingEncoder({ dimension, seed });
  }

  encode(
    texts: readonly string[],
    options: EncodeOptions = {},
  ): Promise<Float32Array[]> {
    if (options.signal?.aborted === true) {
      return Promise.reject(
        new CoreEngineError(
          CoreEngineErrorCode.ABORTED,
          "Encoding was aborted by its AbortSignal.",
        ),
      );
    }
    return Promise.resolve(
      texts.map((text) => this.encodeTerms(textToTerms(text))),
    );
  }

  /** Encodes a sequence of index terms into one normalized vector. */
  encodeTerms(terms: readonly string[]): Float32Array {
    const vector = new Float32Array(this.dimension);
    for (const term of terms) {
      this.addTerm(vector, term, 1);
    }
    normalize(vector);
    return vector;
  }

  /** Adds the features of one term, scaled by `weight`, to `vector`. */
  addTerm(vector: Float32Array, term: string, weight: number): void {
    const features = this.termFeatures(term);
    const { indices, weights } = features;
    for (let index = 0; index < indices.length; index++) {
      const position = indices[index] as number;
      vector[position] =
        (vector[position] as number) + weight * (weights[index] as number);
    }
  }

  /** Returns the hashed features of a term: vector positions and signed weights. */
  termFeatures(term: string): TermFeatures {
    let cached = this.featureCache.get(term);
    if (cached === undefined) {
      cached = this.computeFeatures(term);
      if (this.featureCache.size >= MAX_CACHED_TERMS) {
        this.featureCache.clear();
      }
      this.featureCache.set(term, cached);
    }
    return cached;
  }

  private computeFeatures(term: string): TermFeatures {
    const indices: number[] = [];
    const weights: number[] = [];
    // A term takes several buckets, so two terms that collide in one
    // bucket share only part of their vectors.
    for (let probe = 0; probe < WORD_BUCKETS; probe++) {
      const hash = hashString(term, this.seed + probe * 0x9e3779b9);
      indices.push(hash % this.dimension);
      weights.push(
        ((hash & 0x80000000) === 0 ? 1 : -1) / Math.sqrt(WORD_BUCKETS),
      );
    }
    const characters = Array.from(term);
    const isDense = characters.some(
      (character) => (character.codePointAt(0) ?? 0) >= 0x2e80,
    );
    if (characters.length > 3 && !isDense) {
      const marked = ["<", ...characters, ">"];
      const count = marked.length - 2;
      for (let index = 0; index < count; index++) {
        const hash = hashString(
          `#${marked.slice(index, index + 3).join("")}`,
          this.seed,
        );
        indices.push(hash % this.dimension);
        weights.push(
          (((hash & 0x80000000) === 0 ? 1 : -1) * TRIGRAM_WEIGHT) /
            Math.sqrt(count),
        );
      }
    }
    return {
      indices: Int32Array.from(indices),
      weights: Float32Array.from(weights),
    };
  }
}

/** Scales a vector to unit length in place; a zero vector stays zero. */
export function normalize(vector: Float32Array): void {
  let sum = 0;
  for (let index = 0; index < vector.length; index++) {
    const value = vector[index] as number;
    sum += value * value;
  }
  if (sum === 0) {
    return;
  }
  const scale = 1 / Math.sqrt(sum);
  for (let index = 0; index < vector.length; index++) {
    vector[index] = (vector[index] as number) * scale;
  }
}
