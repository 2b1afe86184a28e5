/** A dense row-major matrix of 64-bit floats. */
export interface Dense {
  readonly rows: number;
  readonly columns: number;
  readonly data: Float64Array;
}

/** A sparse matrix in compressed sparse row form. */
export interface Sparse {
  readonly rows: number;
  readonly columns: number;
  /** Entries of row `r` are at `[rowStarts[r], rowStarts[r + 1])`. */
  readonly rowStarts: Int32Array;
  readonly columnIndices: Int32Array;
  readonly values: Float64Array;
}

/** Creates a zero matrix. */
export function dense(rows: number, columns: number): Dense {
  return { rows, columns, data: new Float64Array(rows * columns) };
}

/** Returns A × X for sparse A and dense X. */
export function sparseTimesDense(a: Sparse, x: Dense): Dense {
  const result = dense(a.rows, x.columns);
  const width = x.columns;
  for (let row = 0; row < a.rows; row++) {
    const out = row * width;
    const end = a.rowStarts[row + 1] as number;
    for (let at = a.rowStarts[row] as number; at < end; at++) {
      const value = a.values[at] as number;
      const from = (a.columnIndices[at] as number) * width;
      for (let column = 0; column < width; column++) {
        result.data[out + column] =
          (result.data[out + column] as number) +
          value * (x.data[from + column] as number);
      }
    }
  }
  return result;
}

/** Returns Aᵀ × X for sparse A and dense X. */
export function sparseTransposeTimesDense(a: Sparse, x: Dense): Dense {
  const result = dense(a.columns, x.columns);
  const width = x.columns;
  for (let row = 0; row < a.rows; row++) {
    const from = row * width;
    const end = a.rowStarts[row + 1] as number;
    for (let at = a.rowStarts[row] as number; at < end; at++) {
      const value = a.values[at] as number;
      const out = (a.columnIndices[at] as number) * width;
      for (let column = 0; column < width; column++) {
        result.data[out + column] =
          (result.data[out + column] as number) +
          value * (x.data[from + column] as number);
      }
    }
  }
  return result;
}

/** Returns Xᵀ × X, a symmetric columns × columns matrix. */
function gram(x: Dense): Dense {
  const size = x.columns;
  const result = dense(size, size);
  for (let row = 0; row < x.rows; row++) {
    const base = row * size;
    for (let i = 0; i < size; i++) {
      const value = x.data[base + i] as number;
      if (value === 0) {
        continue;
      }
      const out = i * size;
      for (let j = i; j < size; j++) {
        result.data[out + j] =
          (result.data[out + j] as number) +
          value * (x.data[base + j] as number);
      }
    }
  }
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < i; j++) {
      result.data[i * size + j] = result.data[j * size + i] as number;
    }
  }
  return result;
}

/**
 * Orthonormalizes the columns of X in place by Cholesky QR, run twice
 * for accuracy. Columns that are numerically dependent are set to zero.
 */
export function orthonormalizeColumns(x: Dense): void {
  for (let pass = 0; pass < 2; pass++) {
    const size = x.columns;
    const g = gram(x);
    // Cholesky factor G = Rᵀ R, R upper triangular, stored in place.
    const r = g.data;
    for (let j = 0; j < size; j++) {
      let diagonal = r[j * size + j] as number;
      for (let k = 0; k < j; k++) {
        diagonal -= (r[k * size + j] as number) ** 2;
      }
      const root = diagonal > 1e-12 ? Math.sqrt(diagonal) : 0;
      r[j * size + j] = root;
      for (let i = j + 1; i < size; i++) {
        let value = r[j * size + i] as number;
        for (let k = 0; k < j; k++) {
          value -= (r[k * size + j] as number) * (r[k * size + i] as number);
        }
        r[j * size + i] = root > 0 ? value / root : 0;
      }
      for (let i = 0; i < j; i++) {
        r[j * size + i] = 0;
      }
    }
    // X ← X R⁻¹, one row at a time by forward substitution.
    const row = new Float64Array(size);
    for (let index = 0; index < x.rows; index++) {
      const base = index * size;
      for (let j = 0; j < size; j++) {
        let value = x.data[base + j] as number;
        for (let k = 0; k < j; k++) {
          value -= (row[k] as number) * (r[k * size + j] as number);
        }
        const diagonal = r[j * size + j] as number;
        row[j] = diagonal > 0 ? value / diagonal : 0;
      }
      x.data.set(row, base);
    }
  }
}

/**
 * Eigen-decomposes a symmetric matrix with cyclic Jacobi rotations.
 * Returns eigenvalues in descending order and the matching eigenvectors
 * as the columns of a matrix.
 */
export function symmetricEigen(input: Dense): {
  values: Float64Array;
  vectors: Dense;
} {
  const size = input.rows;
  const a = Float64Array.from(input.data);
  const v = dense(size, size);
  for (let i = 0; i < size; i++) {
    v.data[i * size + i] = 1;
  }
  for (let sweep = 0; sweep < 30; sweep++) {
    let off = 0;
    for (let p = 0; p < size; p++) {
      for (let q = p + 1; q < size; q++) {
        off += (a[p * size + q] as number) ** 2;
      }
    }
    if (off < 1e-22) {
      break;
    }
    for (let p = 0; p < size; p++) {
      for (let q = p + 1; q < size; q++) {
        const apq = a[p * size + q] as number;
        if (Math.abs(apq) < 1e-300) {
          continue;
        }
        const app = a[p * size + p] as number;
        const aqq = a[q * size + q] as number;
        const theta = (aqq - app) / (2 * apq);
        const t =
          Math.sign(theta || 1) /
          (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < size; k++) {
          const akp = a[k * size + p] as number;
          const akq = a[k * size + q] as number;
          a[k * size + p] = c * akp - s * akq;
          a[k * size + q] = s * akp + c * akq;
        }
        for (let k = 0; k < size; k++) {
          const apk = a[p * size + k] as number;
          const aqk = a[q * size + k] as number;
          a[p * size + k] = c * apk - s * aqk;
          a[q * size + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < size; k++) {
          const vkp = v.data[k * size + p] as number;
          const vkq = v.data[k * size + q] as number;
          v.data[k * size + p] = c * vkp - s * vkq;
          v.data[k * size + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: size }, (_, index) => index).sort(
    (left, right) =>
      (a[right * size + right] as number) - (a[left * size + left] as number),
  );
  const values = Float64Array.from(
    order,
    (index) => a[index * size + index] as number,
  );
  const vectors = dense(size, size);
  for (let row = 0; row < size; row++) {
    order.forEach((from, to) => {
      vectors.data[row * size + to] = v.data[row * size + from] as number;
    });
  }
  return { values, vectors };
}

/** A seeded generator of standard normal numbers (mulberry32 and Box–Muller). */
export function normalGenerator(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => {
    const u = Math.max(uniform(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

/**
 * Computes the top `rank` left singular vectors and singular values of a
 * sparse matrix by randomized range finding with power iterations
 * (Halko, Martinsson and Tropp, 2011).
 */
export function truncatedSvd(
  a: Sparse,
  rank: number,
  options: { oversample: number; powerIterations: number; seed: number },
): { left: Dense; singular: Float64Array } {
  const width = rank + options.oversample;
  const next = normalGenerator(options.seed);
  const omega = dense(a.columns, width);
  for (let index = 0; index < omega.data.length; index++) {
    omega.data[index] = next();
  }
  let y = sparseTimesDense(a, omega);
  orthonormalizeColumns(y);
  for (let pass = 0; pass < options.powerIterations; pass++) {
    const z = sparseTransposeTimesDense(a, y);
    orthonormalizeColumns(z);
    y = sparseTimesDense(a, z);
    orthonormalizeColumns(y);
  }
  // B = Qᵀ A, kept as Bᵀ = Aᵀ Q (columns × width); B Bᵀ = (Bᵀ)ᵀ Bᵀ.
  const bt = sparseTransposeTimesDense(a, y);
  const { values, vectors } = symmetricEigen(gram(bt));
  const left = dense(a.rows, rank);
  for (let row = 0; row < a.rows; row++) {
    for (let k = 0; k < rank; k++) {
      let sum = 0;
      for (let j = 0; j < width; j++) {
        sum +=
          (y.data[row * width + j] as number) *
          (vectors.data[j * width + k] as number);
      }
      left.data[row * rank + k] = sum;
    }
  }
  const singular = Float64Array.from(values.subarray(0, rank), (value) =>
    Math.sqrt(Math.max(0, value)),
  );
  return { left, singular };
}
