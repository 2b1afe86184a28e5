import {
  CoreEngineError,
  CoreEngineErrorCode,
  throwIfAborted,
} from "../errors.js";
import type { Corpus } from "../segment/index.js";
import type { TermIndex } from "../text/terms.js";
import { createMatrix, normalizeRow } from "../vectors.js";
import type { VectorMatrix } from "../vectors.js";
import type { Encoder } from "./encoder.js";
import { HashingEncoder } from "./hashing-encoder.js";
import type { TermFeatures } from "./hashing-encoder.js";

const BATCH_SIZE = 256;

/**
 * The hashed features of the terms one corpus uses, packed into flat
 * arrays: features of local term `l` are at `[starts[l], starts[l + 1])`.
 */
interface PackedFeatures {
  /** Local term of each term id, or -1 when the corpus does not use it. */
  readonly localOf: Int32Array;
  readonly starts: Int32Array;
  readonly indices: Int32Array;
  readonly weights: Float32Array;
}

// Features are looked up once per term id: the vocabulary may be shared by
// many requests, so only the terms of this corpus are touched.
function packFeatures(
  encoder: HashingEncoder,
  index: TermIndex,
): PackedFeatures {
  const { termIds, vocabulary } = index;
  const localOf = new Int32Array(vocabulary.length).fill(-1);
  const used: TermFeatures[] = [];
  let total = 0;
  for (const term of termIds) {
    if (localOf[term] === -1) {
      localOf[term] = used.length;
      const features = encoder.termFeatures(vocabulary[term] as string);
      used.push(features);
      total += features.indices.length;
    }
  }
  const starts = new Int32Array(used.length + 1);
  const indices = new Int32Array(total);
  const weights = new Float32Array(total);
  used.forEach((features, local) => {
    const start = starts[local] as number;
    indices.set(features.indices, start);
    weights.set(features.weights, start);
    starts[local + 1] = start + features.indices.length;
  });
  return { localOf, starts, indices, weights };
}

function encodeWithHashing(
  encoder: HashingEncoder,
  index: TermIndex,
  rows: number,
): VectorMatrix {
  const matrix = createMatrix(rows, encoder.dimension);
  const { termIds, unitOffsets } = index;
  const { localOf, starts, indices, weights } = packFeatures(encoder, index);
  const data = matrix.data;
  const dimension = matrix.dimension;
  for (let row = 0; row < rows; row++) {
    const base = row * dimension;
    const end = unitOffsets[row + 1] as number;
    for (let at = unitOffsets[row] as number; at < end; at++) {
      const local = localOf[termIds[at] as number] as number;
      const last = starts[local + 1] as number;
      for (let feature = starts[local] as number; feature < last; feature++) {
        const position = base + (indices[feature] as number);
        data[position] =
          (data[position] as number) + (weights[feature] as number);
      }
    }
    normalizeRow(matrix, row);
  }
  return matrix;
}

function checkBatch(
  encoder: Encoder,
  vectors: unknown,
  expected: number,
): asserts vectors is Float32Array[] {
  if (!Array.isArray(vectors) || vectors.length !== expected) {
    throw new CoreEngineError(
      CoreEngineErrorCode.ENCODER_FAILED,
      `Encoder "${encoder.id}" returned ${Array.isArray(vectors) ? vectors.length : typeof vectors} vectors for ${expected} texts; it must return one Float32Array per text.`,
    );
  }
  for (const vector of vectors) {
    if (
      !(vector instanceof Float32Array) ||
      vector.length !== encoder.dimension
    ) {
      throw new CoreEngineError(
        CoreEngineErrorCode.ENCODER_FAILED,
        `Encoder "${encoder.id}" returned a vector of length ${vector instanceof Float32Array ? vector.length : "unknown"}; its dimension is ${encoder.dimension}.`,
      );
    }
  }
}

/**
 * Encodes every unit of a corpus into a row of a normalized matrix. The
 * built-in hashing encoder reads the term index directly; any other
 * encoder gets the unit texts in batches.
 */
export async function encodeUnits(
  corpus: Corpus,
  index: TermIndex,
  encoder: Encoder,
  signal: AbortSignal | undefined,
  onBatch: (done: number, total: number) => void,
): Promise<VectorMatrix> {
  const units = corpus.units;
  if (encoder.dimension === 0) {
    onBatch(units.length, units.length);
    return createMatrix(units.length, 0);
  }
  if (encoder instanceof HashingEncoder) {
    const matrix = encodeWithHashing(encoder, index, units.length);
    onBatch(units.length, units.length);
    return matrix;
  }
  const matrix = createMatrix(units.length, encoder.dimension);
  for (let first = 0; first < units.length; first += BATCH_SIZE) {
    throwIfAborted(signal);
    const batch = units.slice(first, first + BATCH_SIZE);
    const texts = batch.map((unit) =>
      (corpus.documents[unit.document]?.text ?? "").slice(unit.start, unit.end),
    );
    let vectors: unknown;
    try {
      vectors = await encoder.encode(
        texts,
        signal === undefined ? {} : { signal },
      );
    } catch (error) {
      throwIfAborted(signal);
      // A defect of the model itself keeps its own code and message.
      if (
        error instanceof CoreEngineError &&
        error.code === CoreEngineErrorCode.INVALID_MODEL
      ) {
        throw error;
      }
      throw new CoreEngineError(
        CoreEngineErrorCode.ENCODER_FAILED,
        `Encoder "${encoder.id}" failed on units ${first} to ${first + batch.length - 1}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    checkBatch(encoder, vectors, batch.length);
    vectors.forEach((vector, offset) => {
      matrix.data.set(vector, (first + offset) * encoder.dimension);
      normalizeRow(matrix, first + offset);
    });
    onBatch(Math.min(units.length, first + BATCH_SIZE), units.length);
  }
  return matrix;
}

/**
 * Sums rows into one row per group, such as units into blocks; `groupOf`
 * names the group of each row. The sums are not normalized.
 */
export function sumRows(
  rows: VectorMatrix,
  groups: number,
  groupOf: ArrayLike<number>,
): VectorMatrix {
  const sums = createMatrix(groups, rows.dimension);
  const dimension = rows.dimension;
  const input = rows.data;
  const output = sums.data;
  for (let row = 0; row < rows.rows; row++) {
    const to = (groupOf[row] as number) * dimension;
    const from = row * dimension;
    for (let index = 0; index < dimension; index++) {
      output[to + index] =
        (output[to + index] as number) + (input[from + index] as number);
    }
  }
  return sums;
}

/** Normalizes every row of a matrix in place and returns it. */
export function normalizeRows(matrix: VectorMatrix): VectorMatrix {
  for (let row = 0; row < matrix.rows; row++) {
    normalizeRow(matrix, row);
  }
  return matrix;
}
