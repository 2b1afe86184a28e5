/** Row-major matrix of `rows` vectors of `dimension` values each. */
export interface VectorMatrix {
  readonly rows: number;
  readonly dimension: number;
  readonly data: Float32Array;
}

/** Creates a zero matrix. */
export function createMatrix(rows: number, dimension: number): VectorMatrix {
  return { rows, dimension, data: new Float32Array(rows * dimension) };
}

/** Returns the dot product of row `a` of `left` and row `b` of `right`. */
export function dotRows(
  left: VectorMatrix,
  a: number,
  right: VectorMatrix,
  b: number,
): number {
  const dimension = left.dimension;
  const x = left.data;
  const y = right.data;
  const offsetA = a * dimension;
  const offsetB = b * dimension;
  let sum = 0;
  for (let index = 0; index < dimension; index++) {
    sum += (x[offsetA + index] as number) * (y[offsetB + index] as number);
  }
  return sum;
}

/** Returns the dot product of row `row` of `matrix` with `vector`. */
export function dotRowVector(
  matrix: VectorMatrix,
  row: number,
  vector: Float32Array,
): number {
  const dimension = matrix.dimension;
  const data = matrix.data;
  const offset = row * dimension;
  let sum = 0;
  for (let index = 0; index < dimension; index++) {
    sum += (data[offset + index] as number) * (vector[index] as number);
  }
  return sum;
}

/** Scales row `row` to unit length in place; a zero row stays zero. */
export function normalizeRow(matrix: VectorMatrix, row: number): void {
  const dimension = matrix.dimension;
  const data = matrix.data;
  const offset = row * dimension;
  let sum = 0;
  for (let index = 0; index < dimension; index++) {
    const value = data[offset + index] as number;
    sum += value * value;
  }
  if (sum === 0) {
    return;
  }
  const scale = 1 / Math.sqrt(sum);
  for (let index = 0; index < dimension; index++) {
    data[offset + index] = (data[offset + index] as number) * scale;
  }
}

/** Adds `weight` times row `from` of `source` to row `to` of `target`. */
export function addRow(
  target: VectorMatrix,
  to: number,
  source: VectorMatrix,
  from: number,
  weight: number,
): void {
  const dimension = target.dimension;
  const offsetTo = to * dimension;
  const offsetFrom = from * dimension;
  const targetData = target.data;
  const sourceData = source.data;
  for (let index = 0; index < dimension; index++) {
    targetData[offsetTo + index] =
      (targetData[offsetTo + index] as number) +
      weight * (sourceData[offsetFrom + index] as number);
  }
}

/** Copies row `row` of a matrix into a new vector. */
export function rowToVector(matrix: VectorMatrix, row: number): Float32Array {
  const offset = row * matrix.dimension;
  return matrix.data.slice(offset, offset + matrix.dimension);
}
