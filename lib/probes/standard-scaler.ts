import type { Matrix } from './matrix';

/** A fitted sklearn-style StandardScaler: z = (x − mean) / scale. */
export interface Scaler {
  mean: Float64Array;
  scale: Float64Array;
}

/**
 * sklearn StandardScaler.fit: float64 mean and POPULATION variance (with sklearn's correction term for the
 * two-pass sum), and scale 1 for (near-)constant features (`_is_constant_feature`: var ≤ n·eps·var + (n·mean·eps)²),
 * so a zero-variance column maps to 0 instead of NaN.
 */
export function fitScaler(x: Matrix): Scaler {
  const { rows: n, cols: d, data } = x;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const off = i * d;
    for (let j = 0; j < d; j++) mean[j] += data[off + j]!;
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  const sq = new Float64Array(d);
  const corr = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const off = i * d;
    for (let j = 0; j < d; j++) {
      const t = data[off + j]! - mean[j]!;
      corr[j] += t;
      sq[j] += t * t;
    }
  }
  const scale = new Float64Array(d);
  scaleFromMoments(n, mean, sq, corr, scale);
  return { mean, scale };
}

/**
 * The scale from the column moments over n rows (mean, Σt², Σt with t = x − mean): √(population variance, with
 * the two-pass correction term), or 1 for a (near-)constant column. Shared with the kernels' path (direction.ts).
 */
export function scaleFromMoments(n: number, mean: ArrayLike<number>, sq: ArrayLike<number>, corr: ArrayLike<number>, scale: Float64Array): void {
  const eps = 2 ** -52;
  for (let j = 0; j < scale.length; j++) {
    const v = (sq[j]! - (corr[j]! * corr[j]!) / n) / n;
    const upper = n * eps * v + (n * mean[j]! * eps) ** 2;
    scale[j] = v <= upper ? 1 : Math.sqrt(v);
  }
}

/** Applies a scaler to every row (returns a new matrix). */
export function scaleRows(s: Scaler, x: Matrix): Matrix {
  const { rows, cols, data } = x;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const off = i * cols;
    for (let j = 0; j < cols; j++) out[off + j] = (data[off + j]! - s.mean[j]!) / s.scale[j]!;
  }
  return { rows, cols, data: out };
}

export function scaleVector(s: Scaler, v: ArrayLike<number>, out: Float64Array = new Float64Array(v.length)): Float64Array {
  for (let j = 0; j < v.length; j++) out[j] = (v[j]! - s.mean[j]!) / s.scale[j]!;
  return out;
}
