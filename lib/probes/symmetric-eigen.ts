import type { Matrix } from './matrix';

/**
 * Eigen-decomposition of a real symmetric matrix: Householder reduction to tridiagonal form, then the implicit
 * QL algorithm (the EISPACK tred2/tql2 pair as in JAMA), in float64. O(n³), robust for the ≤ a few hundred-sized
 * Gram/covariance matrices that exact PCA needs here.
 * Returns eigenvalues in DESCENDING order and the matching unit eigenvectors as the ROWS of `vectors`.
 */
export function symmetricEigen(a: Matrix): { values: Float64Array; vectors: Matrix } {
  const n = a.rows;
  if (a.cols !== n) throw new Error(`symmetricEigen: matrix is ${a.rows}×${a.cols}, not square`);
  // T = Vᵀ of JAMA's V (V[i][j] = component i of eigenvector j): T[j] is eigenvector j, which both steps below
  // update as contiguous rows.
  const T: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = a.data[i * n + j]!;
    T.push(col);
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tred2(T, d, e, n);
  tql2(T, d, e, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[j]! - d[i]!);
  const values = new Float64Array(n);
  const vectors: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
  order.forEach((src, k) => {
    values[k] = d[src]!;
    vectors.data.set(T[src]!, k * n);
  });
  return { values, vectors };
}

/**
 * Householder reduction to tridiagonal form (d, e), accumulating the transformations, on the TRANSPOSE T = Vᵀ of
 * JAMA's V (T[b][a] is its V[a][b]): the same operations on the same values, but the O(n³) loops, which walk
 * columns of V, run along contiguous rows of T.
 */
function tred2(T: Float64Array[], d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = T[j]![n - 1]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = T[j]![i - 1]!;
        T[j]![i] = 0;
        T[i]![j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] = d[k]! / scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        const Tj = T[j]!;
        T[i]![j] = f;
        g = e[j]! + Tj[j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += Tj[k]! * d[k]!;
          e[k] = e[k]! + Tj[k]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] = e[j]! / h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = e[j]! - hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        const Tj = T[j]!;
        for (let k = j; k <= i - 1; k++) Tj[k] = Tj[k]! - (f * e[k]! + g * d[k]!);
        d[j] = Tj[i - 1]!;
        Tj[i] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    T[i]![n - 1] = T[i]![i]!;
    T[i]![i] = 1;
    const h = d[i + 1]!;
    const Ti1 = T[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = Ti1[k]! / h;
      for (let j = 0; j <= i; j++) {
        const Tj = T[j]!;
        let g = 0;
        for (let k = 0; k <= i; k++) g += Ti1[k]! * Tj[k]!;
        for (let k = 0; k <= i; k++) Tj[k] = Tj[k]! - g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) Ti1[k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = T[j]![n - 1]!;
    T[j]![n - 1] = 0;
  }
  T[n - 1]![n - 1] = 1;
  e[0] = 0;
}

/** The implicit QL iterations on the tridiagonal (d, e), rotating the eigenvector COLUMNS W[j] (W = Vᵀ). */
function tql2(W: Float64Array[], d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]!) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 300) throw new Error('symmetricEigen: QL iteration did not converge');
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i] = d[i]! - h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          rotateColumns(W[i]!, W[i + 1]!, c, s, n);
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
}

/** (a, b) ← (c·a − s·b, s·a + c·b) elementwise: one Givens rotation of two eigenvector columns. */
function rotateColumns(a: Float64Array, b: Float64Array, c: number, s: number, n: number): void {
  for (let k = 0; k < n; k++) {
    const h = b[k]!;
    b[k] = s * a[k]! + c * h;
    a[k] = c * a[k]! - s * h;
  }
}
