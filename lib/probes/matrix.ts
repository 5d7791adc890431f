/**
 * A dense row-major float64 matrix. Probes keep everything in float64 (sklearn accumulates in float64 too, and
 * the parity fixtures show float64 promotion changes no reported value).
 */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** A view of row i (no copy). */
export function row(m: Matrix, i: number): Float64Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/** Stacks equal-length vectors into a matrix (copies). */
export function fromRows(vectors: ArrayLike<number>[], cols = vectors[0]?.length ?? 0): Matrix {
  const m = zeros(vectors.length, cols);
  for (let i = 0; i < vectors.length; i++) {
    const v = vectors[i]!;
    if (v.length !== cols) throw new Error(`fromRows: row ${i} has ${v.length} values, expected ${cols}`);
    m.data.set(v, i * cols);
  }
  return m;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[i]! * b[i]!;
    s1 += a[i + 1]! * b[i + 1]!;
    s2 += a[i + 2]! * b[i + 2]!;
    s3 += a[i + 3]! * b[i + 3]!;
  }
  for (; i < n; i++) s0 += a[i]! * b[i]!;
  return s0 + s1 + s2 + s3;
}

export function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** out = M·v (out length rows). */
export function matVec(m: Matrix, v: Float64Array, out: Float64Array = new Float64Array(m.rows)): Float64Array {
  const { rows, cols, data } = m;
  for (let i = 0; i < rows; i++) out[i] = dot(data.subarray(i * cols, (i + 1) * cols), v);
  return out;
}

/** out = Mᵀ·v (out length cols). */
export function matTVec(m: Matrix, v: Float64Array, out: Float64Array = new Float64Array(m.cols)): Float64Array {
  const { rows, cols, data } = m;
  out.fill(0);
  for (let i = 0; i < rows; i++) {
    const a = v[i]!;
    if (a === 0) continue;
    const off = i * cols;
    for (let j = 0; j < cols; j++) out[j] += a * data[off + j]!;
  }
  return out;
}

/** Mᵀ·M (cols × cols), symmetric; used when cols ≤ rows. */
export function crossProduct(m: Matrix): Matrix {
  const { rows, cols, data } = m;
  const g = zeros(cols, cols);
  for (let r = 0; r < rows; r++) {
    const off = r * cols;
    for (let i = 0; i < cols; i++) {
      const a = data[off + i]!;
      if (a === 0) continue;
      const gi = i * cols;
      for (let j = 0; j <= i; j++) g.data[gi + j] += a * data[off + j]!;
    }
  }
  for (let i = 0; i < cols; i++) for (let j = 0; j < i; j++) g.data[j * cols + i] = g.data[i * cols + j]!;
  return g;
}
