import { abt, abtInScratch, centreF64, createArena, type Scratch } from './kernels/wasm-kernels';
import { crossProduct, dot, zeros, type Matrix } from './matrix';
import { RandomState } from './random-state';
import { symmetricEigen } from './symmetric-eigen';

/**
 * A fitted PCA: scores = (x − mean)·componentsᵀ.
 * For wide data (n ≤ d: sorted_concat's ~100 runs × 4·D) the model keeps the centred training rows and the Gram
 * eigenvectors instead of forming d-dim components eagerly: scores of a new row are k_x·u/√λ with
 * k_x = Xc(x − mean), which costs n·d per row instead of k·n·d up front; components are built only if many rows
 * are transformed.
 */
export interface PcaModel {
  k: number;
  mean: Float64Array;
  /** Variance of each component's scores (ddof 1, as sklearn's explained_variance_). */
  explainedVariance: Float64Array;
  /** Scores of the training rows (n × k). */
  trainingScores: Matrix;
  /** k × d unit rows by decreasing variance (a lazy getter on the Gram path). */
  readonly components: Matrix;
  /** Gram path only: the centred training rows and eigenvectors/√λ for kernel-trick projection. */
  kernel?: { xc: CentredRows; uOverSqrtLambda: Matrix };
  /**
   * Gram path: the model will transform no more rows, so a later fit need not copy its centred rows out of kernel
   * memory first (pcaTransform throws after this).
   */
  release?(): void;
}

/**
 * The kernels' memory for the centred training rows of Gram-path models. Only the latest fit's rows live there; a
 * fit copies its predecessor's rows out to ordinary memory (onEvict) unless that model was released, which is the
 * case in the probe pipeline (each fold's model transforms its test runs, then is released): so the n × d rows are
 * written once into memory that is reused from fold to fold, not allocated, copied and collected each time.
 */
const pcaArena = createArena();
type RowsLayout = { xc: readonly ['f64', number]; mean: readonly ['f64', number]; gram: readonly ['f64', number] };

/** A Gram-path model's centred training rows (n × d): in pcaArena while `lease` is current, else in `saved`. */
export interface CentredRows {
  rows: number;
  cols: number;
  lease: Scratch<RowsLayout> | null;
  saved: Float64Array | null;
}

/** Takes pcaArena for `xc` (copying it out if a later fit takes the arena, unless released). */
function leaseRows(xc: CentredRows): Scratch<RowsLayout> {
  const { rows: n, cols: d } = xc;
  const lease = pcaArena.take({ xc: ['f64', n * d], mean: ['f64', d], gram: ['f64', n * n] }, () => {
    if (xc.lease) xc.saved = xc.lease.view.xc.slice();
    xc.lease = null;
  });
  xc.lease = lease;
  return lease;
}

/** The centred rows wherever they are now (valid until the next fit or transform). */
function centredData(xc: CentredRows): Float64Array {
  if (xc.lease?.current()) return xc.lease.view.xc;
  if (xc.saved) return xc.saved;
  throw new Error('pcaTransform: the PCA model was released');
}

/**
 * The centred rows in pcaArena, with room after them for `m` more rows (`test`) and their products with the rows
 * (`kx`, m × n): moved back into the arena if a later fit had taken it.
 */
function withRoomFor(xc: CentredRows, m: number) {
  const { rows: n, cols: d } = xc;
  const room = { test: ['f64', m * d], kx: ['f64', m * n] } as const;
  const here = xc.lease && pcaArena.extend(xc.lease, room);
  if (here) return here;
  const saved = centredData(xc);
  xc.saved = null;
  const lease = leaseRows(xc);
  lease.view.xc.set(saved);
  return pcaArena.extend(lease, room)!;
}

/**
 * Exact PCA: centre, then eigendecompose the smaller of the Gram matrix XcXcᵀ (n×n, when n ≤ d) or the covariance
 * XcᵀXc (d×d). sklearn 1.2.1 uses the full LAPACK SVD for the fixture sizes, which this matches, with
 * sklearn's component signs (svd_flip); rotations inside a degenerate eigenspace remain arbitrary and do not change
 * the StandardScaler → L2-LR predictions downstream.
 */
export interface PcaOptions {
  /**
   * 'full' (default): the exact PCA. 'auto': sklearn 1.2.1's PCA(svd_solver="auto") rule — the randomized SVD when
   * max(n, d) > 500 and k < 0.8·min(n, d) (see sklearnUsesRandomizedSvd), exact otherwise.
   */
  solver?: 'full' | 'auto';
  /** PCA(random_state=…) for the randomized path (sorted_concat uses 42). */
  randomState?: number;
}

/** sklearn 1.2.1 PCA._fit: svd_solver "auto" → "randomized" iff max(X.shape) > 500 and 1 ≤ k < 0.8·min(X.shape). */
export function sklearnUsesRandomizedSvd(n: number, d: number, k: number): boolean {
  return Math.max(n, d) > 500 && k >= 1 && k < 0.8 * Math.min(n, d);
}

export function fitPca(x: Matrix, k: number, opts: PcaOptions = {}): PcaModel {
  const { rows: n, cols: d, data } = x;
  const explainedVariance = new Float64Array(k);
  const trainingScores = zeros(n, k);
  if (n <= d) {
    const { mean, xc, K } = centredGram(x);
    const { values, vectors } = symmetricEigen(K);
    if (opts.solver === 'auto' && sklearnUsesRandomizedSvd(n, d, k)) {
      const rnd = randomizedWide(K, values, vectors, n, d, k, opts.randomState ?? 0);
      if (rnd) return kernelModel(k, mean, xc, rnd.explainedVariance, rnd.trainingScores, rnd.g);
    }
    // Left singular vectors u_c with σ_c = √λ_c: training scores are σ_c·u_c; new rows project via Xcᵀu_c/σ_c.
    const uOverSqrtLambda = zeros(k, n);
    for (let c = 0; c < k; c++) {
      const lambda = Math.max(values[c]!, 0);
      const sigma = Math.sqrt(lambda);
      explainedVariance[c] = lambda / Math.max(n - 1, 1);
      const sign = svdFlipSign(vectors.data.subarray(c * n, (c + 1) * n));
      for (let i = 0; i < n; i++) {
        const u = sign * vectors.data[c * n + i]!;
        trainingScores.data[i * k + c] = sigma * u;
        uOverSqrtLambda.data[c * n + i] = sigma > 0 ? u / sigma : 0;
      }
    }
    return kernelModel(k, mean, xc, explainedVariance, trainingScores, uOverSqrtLambda);
  }
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j] /= n;
  const xc = zeros(n, d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) xc.data[i * d + j] = data[i * d + j]! - mean[j]!;
  const { values, vectors } = symmetricEigen(crossProduct(xc));
  const comps = zeros(k, d);
  for (let c = 0; c < k; c++) {
    explainedVariance[c] = Math.max(values[c]!, 0) / Math.max(n - 1, 1);
    comps.data.set(vectors.data.subarray(c * d, (c + 1) * d), c * d);
  }
  for (let i = 0; i < n; i++) {
    const row = xc.data.subarray(i * d, (i + 1) * d);
    for (let c = 0; c < k; c++) trainingScores.data[i * k + c] = dot(row, comps.data.subarray(c * d, (c + 1) * d));
  }
  for (let c = 0; c < k; c++) {
    const scores = Float64Array.from({ length: n }, (_, i) => trainingScores.data[i * k + c]!);
    if (svdFlipSign(scores) < 0) {
      for (let j = 0; j < d; j++) comps.data[c * d + j] = -comps.data[c * d + j]!;
      for (let i = 0; i < n; i++) trainingScores.data[i * k + c] = -trainingScores.data[i * k + c]!;
    }
  }
  return { k, mean, explainedVariance, trainingScores, components: comps };
}

/**
 * The column means, the centred rows (left in pcaArena) and their Gram matrix XcXcᵀ, on the kernels (centring there
 * is the same row-order sum and subtraction as a scalar loop, so mean and Xc are bit-identical to it).
 */
function centredGram(x: Matrix): { mean: Float64Array; xc: CentredRows; K: Matrix } {
  const { rows: n, cols: d } = x;
  const xc: CentredRows = { rows: n, cols: d, lease: null, saved: null };
  const ws = leaseRows(xc);
  ws.view.xc.set(x.data);
  centreF64(ws.ptr.xc, n, d, ws.ptr.mean, pcaArena);
  abtInScratch(ws.ptr.xc, n, ws.ptr.xc, n, d, ws.ptr.gram, ws.view.gram, true, pcaArena);
  return { mean: ws.view.mean.slice(), xc, K: { rows: n, cols: n, data: ws.view.gram.slice() } };
}

/**
 * sklearn's svd_flip(u_based_decision=True), which PCA applies: each component's sign makes the largest-magnitude
 * entry of its left singular vector (∝ the training scores) positive. Linear L2 models downstream are indifferent
 * to the sign, but a non-symmetric model is not: the MLP variant's sorted_concat classifier starts from a fixed
 * random init (random_state 42), so only sklearn's signs reproduce the original's values.
 */
function svdFlipSign(u: ArrayLike<number>): 1 | -1 {
  let best = 0;
  for (let i = 1; i < u.length; i++) if (Math.abs(u[i]!) > Math.abs(u[best]!)) best = i;
  return u[best]! < 0 ? -1 : 1;
}

/** Projects rows onto the components (kernel trick for a few rows on the Gram path). */
export function pcaTransform(model: PcaModel, x: Matrix): Matrix {
  const { rows, cols: d, data } = x;
  const k = model.k;
  const out = zeros(rows, k);
  const kernel = model.kernel;
  // Kernel projection costs rows·n·d; components cost k·n·d once plus rows·k·d.
  if (kernel !== undefined && rows * kernel.xc.rows < k * kernel.xc.rows + rows * k) {
    const n = kernel.xc.rows;
    const ws = withRoomFor(kernel.xc, rows);
    const centred = ws.view.test;
    for (let i = 0; i < rows; i++) for (let j = 0; j < d; j++) centred[i * d + j] = data[i * d + j]! - model.mean[j]!;
    abtInScratch(ws.ptr.test, rows, ws.ptr.xc, n, d, ws.ptr.kx, ws.view.kx, false, pcaArena);
    const kx = ws.view.kx;
    for (let i = 0; i < rows; i++) {
      const kxi = kx.subarray(i * n, (i + 1) * n);
      for (let c = 0; c < k; c++) out.data[i * k + c] = dot(kernel.uOverSqrtLambda.data.subarray(c * n, (c + 1) * n), kxi);
    }
    return out;
  }
  const comps = model.components;
  const centred = new Float64Array(d);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < d; j++) centred[j] = data[i * d + j]! - model.mean[j]!;
    for (let c = 0; c < k; c++) out.data[i * k + c] = dot(centred, comps.data.subarray(c * d, (c + 1) * d));
  }
  return out;
}

/** A Gram-path model: component c = Σᵢ g[c,i]·xcᵢ, built lazily (see PcaModel). */
function kernelModel(k: number, mean: Float64Array, xc: CentredRows, explainedVariance: Float64Array, trainingScores: Matrix, g: Matrix): PcaModel {
  const { rows: n, cols: d } = xc;
  let built: Matrix | undefined;
  const buildComponents = () => {
    if (built) return built;
    const rows = centredData(xc);
    built = zeros(k, d);
    for (let c = 0; c < k; c++) {
      const out = built.data.subarray(c * d, (c + 1) * d);
      for (let i = 0; i < n; i++) {
        const a = g.data[c * n + i]!;
        if (a === 0) continue;
        const off = i * d;
        for (let j = 0; j < d; j++) out[j] += a * rows[off + j]!;
      }
    }
    return built;
  };
  return {
    k, mean, explainedVariance, trainingScores, kernel: { xc, uOverSqrtLambda: g },
    get components() {
      return buildComponents();
    },
    release() {
      xc.lease?.release();
      xc.lease = null;
      xc.saved = null;
    },
  };
}

/**
 * sklearn 1.2.1's randomized_svd as PCA._fit_truncated calls it (n_oversamples 10, n_iter "auto", power-iteration
 * normaliser "auto" → LU, transpose "auto", flip_sign), for wide centred X (n ≤ d, so transpose: M = Xᵀ):
 *   Ω = RandomState(seed).normal(size=(n, k+10));  Q ← Ω;
 *   n_iter × { Q ← lu(M Q, permute_l)[0];  Q ← lu(Mᵀ Q, permute_l)[0] };  Q ← qr(M Q);  B = Qᵀ M;  svd(B).
 * Evaluated exactly, but in the n-dimensional sample space: with the thin SVD X = U Σ Vᵀ (from the Gram
 * eigendecomposition K = XXᵀ = U Σ² Uᵀ, which the exact path computes anyway),
 *   - lu(X · lu(XᵀQ)) = lu(K Q): PL = A·U⁻¹ with U upper triangular, and lu(A·T) = lu(A) for upper-triangular T, so
 *     each power iteration is one LU of K·Q (n × (k+10));
 *   - XᵀQ = V·C with C = Σ UᵀQ, V orthonormal, so qr(XᵀQ) = V·orth(C) and B = orth(C)ᵀ Σ Uᵀ;
 *   - the SVD of B (k+10 small) follows from the eigendecomposition of B Bᵀ.
 * That is O(n²·(k+10)) after the Gram matrix instead of O(d·n·(k+10)) per pass over the 4·D-dim data, and it
 * computes the same span as sklearn in exact arithmetic (signs: svd_flip on the sample-space vectors, as
 * randomized_svd's u_based_decision=False does after transposing). Returns null when rank(X) < k+10 (then the
 * randomized projection captures all of X and the result is the exact PCA).
 */
function randomizedWide(K: Matrix, values: Float64Array, vectors: Matrix, n: number, d: number, k: number, seed: number): { explainedVariance: Float64Array; trainingScores: Matrix; g: Matrix } | null {
  const p = k + 10;
  const nIter = k < 0.1 * Math.min(n, d) ? 7 : 4;
  const lmax = Math.max(values[0] ?? 0, 0);
  let r = 0;
  while (r < n && values[r]! > lmax * n * 2.220446049250313e-16) r++;
  if (r < p) return null;
  // Ω: normal(size=(n_features of M = n, p)), C order.
  let Q = new RandomState(seed).normal(0, 1, n * p);
  // Products with Q (n × p) run on the kernels as A·(Qᵀ)ᵀ.
  const transposeQ = () => {
    const qt = new Float64Array(p * n);
    for (let l = 0; l < n; l++) for (let j = 0; j < p; j++) qt[j * n + l] = Q[l * p + j]!;
    return qt;
  };
  for (let it = 0; it < nIter; it++) Q = luPermuteL(abt(K.data, n, transposeQ(), p, n), n, p);
  // C = Σ_r U_rᵀ Q (r × p); eigenvectors are the rows of `vectors`.
  const sigma = new Float64Array(r);
  for (let i = 0; i < r; i++) sigma[i] = Math.sqrt(values[i]!);
  const C = abt(vectors.data.subarray(0, r * n), r, transposeQ(), p, n);
  for (let i = 0; i < r; i++) for (let j = 0; j < p; j++) C[i * p + j] *= sigma[i]!;
  const Qc = orthonormalColumns(C, r, p);
  // B' = Q_cᵀ Σ_r (p × r);  B' B'ᵀ = Q_cᵀ Σ² Q_c (p × p).
  const Bp = new Float64Array(p * r);
  for (let a = 0; a < p; a++) for (let i = 0; i < r; i++) Bp[a * r + i] = Qc[i * p + a]! * sigma[i]!;
  const BBt = zeros(p, p);
  for (let a = 0; a < p; a++) {
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let i = 0; i < r; i++) s += Bp[a * r + i]! * Bp[b * r + i]!;
      BBt.data[a * p + b] = s;
      BBt.data[b * p + a] = s;
    }
  }
  const eig = symmetricEigen(BBt);
  const explainedVariance = new Float64Array(k);
  const trainingScores = zeros(n, k);
  // Per component c: t = B'ᵀ û (r): the training scores (= S·Vtᵀ row) are U_r t; h = Q_c û (r): g = U_r Σ⁻¹ h.
  // T and H (k × r) times U_r (r × n) run on the kernels as T·(U_rᵀ)ᵀ.
  const T = new Float64Array(k * r);
  const H = new Float64Array(k * r);
  for (let c = 0; c < k; c++) {
    const uh = eig.vectors.data.subarray(c * p, (c + 1) * p);
    explainedVariance[c] = Math.max(eig.values[c]!, 0) / Math.max(n - 1, 1);
    for (let i = 0; i < r; i++) {
      let sh = 0;
      for (let a = 0; a < p; a++) sh += Qc[i * p + a]! * uh[a]!;
      H[c * r + i] = sh / sigma[i]!;
      T[c * r + i] = sh * sigma[i]!;
    }
  }
  const Ut = new Float64Array(n * r);
  for (let i = 0; i < r; i++) for (let l = 0; l < n; l++) Ut[l * r + i] = vectors.data[i * n + l]!;
  const cols = abt(T, k, Ut, n, r);
  const g = { rows: k, cols: n, data: abt(H, k, Ut, n, r) };
  for (let c = 0; c < k; c++) {
    const col = cols.subarray(c * n, (c + 1) * n);
    const sign = svdFlipSign(col);
    for (let l = 0; l < n; l++) {
      trainingScores.data[l * k + c] = sign * col[l]!;
      g.data[c * n + l] = sign * g.data[c * n + l]!;
    }
  }
  return { explainedVariance, trainingScores, g };
}

/**
 * scipy.linalg.lu(A, permute_l=True)[0] for A (m × c, m ≥ c, row-major): LAPACK getrf's partial pivoting (the
 * first largest |entry| of the column), returning P·L (unit lower-trapezoidal L with its rows in A's order).
 */
export function luPermuteL(A: Float64Array, m: number, c: number): Float64Array {
  const a = Float64Array.from(A);
  const perm = Array.from({ length: m }, (_, i) => i);
  const kmax = Math.min(m, c);
  for (let j = 0; j < kmax; j++) {
    let piv = j;
    let best = Math.abs(a[j * c + j]!);
    for (let i = j + 1; i < m; i++) {
      const v = Math.abs(a[i * c + j]!);
      if (v > best) {
        best = v;
        piv = i;
      }
    }
    if (piv !== j) {
      for (let q = 0; q < c; q++) {
        const tmp = a[j * c + q]!;
        a[j * c + q] = a[piv * c + q]!;
        a[piv * c + q] = tmp;
      }
      const tp = perm[j]!;
      perm[j] = perm[piv]!;
      perm[piv] = tp;
    }
    const pv = a[j * c + j]!;
    if (pv === 0) continue;
    for (let i = j + 1; i < m; i++) {
      const f = (a[i * c + j] = a[i * c + j]! / pv);
      if (f === 0) continue;
      for (let q = j + 1; q < c; q++) a[i * c + q] -= f * a[j * c + q]!;
    }
  }
  const out = new Float64Array(m * kmax);
  for (let i = 0; i < m; i++) {
    const o = perm[i]! * kmax;
    for (let q = 0; q < kmax; q++) out[o + q] = q < i ? a[i * c + q]! : q === i ? 1 : 0;
  }
  return out;
}

/** An orthonormal basis of the columns of A (m × c, m ≥ c, full column rank): modified Gram–Schmidt, twice. */
function orthonormalColumns(A: Float64Array, m: number, c: number): Float64Array {
  const q = Float64Array.from(A);
  for (let j = 0; j < c; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        let s = 0;
        for (let l = 0; l < m; l++) s += q[l * c + i]! * q[l * c + j]!;
        for (let l = 0; l < m; l++) q[l * c + j] -= s * q[l * c + i]!;
      }
    }
    let nn = 0;
    for (let l = 0; l < m; l++) nn += q[l * c + j]! ** 2;
    const inv = 1 / Math.sqrt(nn);
    for (let l = 0; l < m; l++) q[l * c + j] *= inv;
  }
  return q;
}
