import { lrPass, takeScratch, vectorOps, type Scratch } from './kernels/wasm-kernels';
import { dot, matTVec, matVec, type Matrix } from './matrix';

/** A binary logistic-regression model: P(y=1|x) = σ(coef·x + intercept). */
export interface LogisticModel {
  coef: Float64Array;
  intercept: number;
  /** Solver diagnostics: iterations used and the final gradient ∞-norm. */
  iterations: number;
  gradNorm: number;
}

export interface LogisticOptions {
  /** Inverse L2 strength, as sklearn's C. */
  C: number;
  /** Stop when the gradient ∞-norm falls below this (sklearn's lbfgs stops near 1e-4; we converge far tighter). */
  tol?: number;
  maxIter?: number;
  /** Starting point (e.g. the fit on a superset of the rows): the optimum is unique, only the iterations change. */
  init?: { coef: Float64Array; intercept: number };
}

/** Feature count up to which the exact Newton method (dense (d+1)² Hessian) is used; above it, L-BFGS. */
const NEWTON_MAX_DIM = 400;

/**
 * L2-regularised logistic regression with an UNPENALISED intercept, i.e. the minimiser of
 *   ½‖w‖² + C Σᵢ log(1 + exp(−sᵢ (w·xᵢ + b))),  sᵢ = ±1,
 * which is what sklearn's LogisticRegression(penalty="l2", solver="lbfgs") approximates. The problem is strictly
 * convex, so converging tightly reproduces sklearn's optimum to its own tolerance (spec §6.3).
 */
export function fitLogisticRegression(x: Matrix, y: ArrayLike<number>, opts: LogisticOptions): LogisticModel {
  if (x.rows !== y.length) throw new Error(`fitLogisticRegression: ${x.rows} rows but ${y.length} labels`);
  const signs = signsOf(y);
  if (x.cols <= NEWTON_MAX_DIM) return newton(x, signs, opts);
  const ws = takeScratch(logisticScratchSpec(x.rows, x.cols));
  ws.view.x.set(x.data);
  return lbfgs(ws, x.rows, x.cols, signs, opts);
}

/** Whether a fit with this many features runs on the kernels (L-BFGS over float32 rows) rather than Newton. */
export function isWideLogistic(cols: number): boolean {
  return cols > NEWTON_MAX_DIM;
}

/**
 * The kernels' arrays a wide fit works on: X (float32, n × d), Xᵀr (d), margins and residuals (n), and L-BFGS's
 * p = d + 1 vectors (iterate, gradient, direction, trial point and gradient, m + 1 slots for correction pairs).
 */
export function logisticScratchSpec(n: number, d: number) {
  const p = d + 1;
  return {
    x: ['f32', n * d], xtr: ['f64', d], marg: ['f64', n], resid: ['f64', n],
    theta: ['f64', p], grad: ['f64', p], dir: ['f64', p], thTry: ['f64', p], gTry: ['f64', p],
    S: ['f64', (LBFGS_MEMORY + 1) * p], Y: ['f64', (LBFGS_MEMORY + 1) * p],
  } as const;
}
export type LogisticScratch = Scratch<ReturnType<typeof logisticScratchSpec>>;

/**
 * fitLogisticRegression for wide data whose float32 rows the caller has already written into `ws.view.x` (the main
 * direction standardises straight into it). Requires isWideLogistic(d).
 */
export function fitWideLogistic(ws: LogisticScratch, n: number, d: number, y: ArrayLike<number>, opts: LogisticOptions): LogisticModel {
  if (n !== y.length) throw new Error(`fitWideLogistic: ${n} rows but ${y.length} labels`);
  return lbfgs(ws, n, d, signsOf(y), opts);
}

/** Labels 0/1 → sᵢ = −1/+1. */
function signsOf(y: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: y.length }, (_, i) => (y[i] ? 1 : -1));
}

/** σ(t) without overflow. */
export function sigmoid(t: number): number {
  if (t >= 0) return 1 / (1 + Math.exp(-t));
  const e = Math.exp(t);
  return e / (1 + e);
}

/** log(1 + exp(−t)) without overflow. */
function logLoss(t: number): number {
  return t > 0 ? Math.log1p(Math.exp(-t)) : -t + Math.log1p(Math.exp(t));
}

export function predictProba(model: LogisticModel, x: Matrix): Float64Array {
  const out = matVec(x, model.coef);
  for (let i = 0; i < out.length; i++) out[i] = sigmoid(out[i]! + model.intercept);
  return out;
}

/** Objective at (w, b) and the margins m = Xw + b (written into `margins`). */
function objective(x: Matrix, s: Float64Array, C: number, w: Float64Array, b: number, margins: Float64Array): number {
  matVec(x, w, margins);
  let loss = 0;
  for (let i = 0; i < margins.length; i++) {
    margins[i] = margins[i]! + b;
    loss += logLoss(s[i]! * margins[i]!);
  }
  return 0.5 * dot(w, w) + C * loss;
}

/** Gradient from margins: g_w = w + C·Xᵀr, g_b = C·Σr with rᵢ = −sᵢ σ(−sᵢ mᵢ). Returns r too. */
function gradient(x: Matrix, s: Float64Array, C: number, w: Float64Array, margins: Float64Array, gw: Float64Array, r: Float64Array): number {
  let gb = 0;
  for (let i = 0; i < r.length; i++) {
    r[i] = -s[i]! * sigmoid(-s[i]! * margins[i]!);
    gb += r[i]!;
  }
  matTVec(x, r, gw);
  for (let j = 0; j < gw.length; j++) gw[j] = w[j]! + C * gw[j]!;
  return C * gb;
}

function infNorm(g: Float64Array, gb: number): number {
  let m = Math.abs(gb);
  for (let j = 0; j < g.length; j++) m = Math.max(m, Math.abs(g[j]!));
  return m;
}

/** Damped Newton with a dense Cholesky solve; quadratic convergence to machine precision for small d. */
function newton(x: Matrix, s: Float64Array, opts: LogisticOptions): LogisticModel {
  const { rows: n, cols: d, data } = x;
  const C = opts.C;
  const tol = opts.tol ?? 1e-10;
  const maxIter = opts.maxIter ?? 200;
  const p = d + 1;
  let w = opts.init ? Float64Array.from(opts.init.coef) : new Float64Array(d);
  let b = opts.init?.intercept ?? 0;
  let margins = new Float64Array(n);
  let f = objective(x, s, C, w, b, margins);
  const gw = new Float64Array(d);
  const r = new Float64Array(n);
  const H = new Float64Array(p * p);
  const rhs = new Float64Array(p);
  const wTry = new Float64Array(d);
  const mTry = new Float64Array(n);
  let gnorm = Infinity;
  let it = 0;
  for (; it < maxIter; it++) {
    const gb = gradient(x, s, C, w, margins, gw, r);
    gnorm = infNorm(gw, gb);
    if (gnorm <= tol) break;
    // H = [I + C XᵀDX, C XᵀD1; C 1ᵀDX, C Σ D] (lower triangle filled, then mirrored).
    H.fill(0);
    for (let i = 0; i < n; i++) {
      const pi = sigmoid(margins[i]!);
      const di = C * pi * (1 - pi);
      if (di === 0) continue;
      const off = i * d;
      for (let a = 0; a < d; a++) {
        const xa = di * data[off + a]!;
        const ha = a * p;
        for (let c = 0; c <= a; c++) H[ha + c] += xa * data[off + c]!;
        H[d * p + a] += xa;
      }
      H[d * p + d] += di;
    }
    for (let a = 0; a < d; a++) H[a * p + a] += 1;
    for (let a = 0; a < p; a++) for (let c = 0; c < a; c++) H[c * p + a] = H[a * p + c]!;
    for (let a = 0; a < d; a++) rhs[a] = -gw[a]!;
    rhs[d] = -gb;
    const step = choleskySolve(H, rhs, p);
    // Backtracking (Armijo) line search; Newton's full step is accepted near the optimum.
    let slope = 0;
    for (let a = 0; a < d; a++) slope += step[a]! * gw[a]!;
    slope += step[d]! * gb;
    let t = 1;
    let accepted = false;
    for (let k = 0; k < 60; k++) {
      for (let a = 0; a < d; a++) wTry[a] = w[a]! + t * step[a]!;
      const bTry = b + t * step[d]!;
      const fTry = objective(x, s, C, wTry, bTry, mTry);
      if (fTry <= f + 1e-4 * t * slope || (k > 0 && Math.abs(fTry - f) <= 1e-15 * Math.abs(f))) {
        w.set(wTry);
        b = bTry;
        margins.set(mTry);
        f = fTry;
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    if (!accepted) break; // no decrease possible: at the optimum to rounding
  }
  return { coef: w, intercept: b, iterations: it, gradNorm: gnorm };
}

/** Solves A z = r for symmetric positive-definite A (p×p, row-major) by Cholesky. */
export function choleskySolve(A: Float64Array, r: Float64Array, p: number): Float64Array {
  const L = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = A[i * p + j]!;
      for (let k = 0; k < j; k++) sum -= L[i * p + k]! * L[j * p + k]!;
      if (i === j) L[i * p + i] = Math.sqrt(Math.max(sum, 1e-300));
      else L[i * p + j] = sum / L[j * p + j]!;
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let sum = r[i]!;
    for (let k = 0; k < i; k++) sum -= L[i * p + k]! * z[k]!;
    z[i] = sum / L[i * p + i]!;
  }
  for (let i = p - 1; i >= 0; i--) {
    let sum = z[i]!;
    for (let k = i + 1; k < p; k++) sum -= L[k * p + i]! * z[k]!;
    z[i] = sum / L[i * p + i]!;
  }
  return z;
}

/**
 * The objective and its gradient in ONE pass over X, by the WebAssembly SIMD kernel (kernels/probe-kernels.wat):
 * X is held in the kernels' memory as float32 (sklearn standardises float32 activations in float32 too, and
 * halving the bytes streamed matters because wide fits are memory-bound); every product and sum is float64.
 * The kernel calls back here for the residuals, which need exp/log1p. θ = (w, b) and the gradient are p = d + 1
 * vectors in the scratch (`theta`/`grad` or `thTry`/`gTry`).
 */
function wasmLossGrad(ws: LogisticScratch, n: number, d: number, s: Float64Array, C: number): (at: 'theta' | 'thTry', into: 'grad' | 'gTry') => number {
  const { xtr, marg, resid } = ws.view;
  let b = 0;
  let loss = 0;
  let gb = 0;
  const residuals = (i0: number, count: number) => {
    for (let i = i0; i < i0 + count; i++) {
      const si = s[i]!;
      const t = si * (marg[i]! + b);
      loss += logLoss(t);
      const r = -si * sigmoid(-t);
      resid[i] = r;
      gb += r;
    }
  };
  return (at, into) => {
    ws.check();
    const theta = ws.view[at];
    const grad = ws.view[into];
    b = theta[d]!;
    loss = 0;
    gb = 0;
    lrPass(ws.ptr.x, n, d, ws.ptr[at], ws.ptr.xtr, ws.ptr.marg, ws.ptr.resid, residuals);
    let ww = 0;
    for (let k = 0; k < d; k++) {
      ww += theta[k]! * theta[k]!;
      grad[k] = theta[k]! + C * xtr[k]!;
    }
    grad[d] = C * gb;
    return 0.5 * ww + C * loss;
  };
}

/** L-BFGS's memory (number of correction pairs). */
const LBFGS_MEMORY = 10;

/**
 * Limited-memory BFGS (two-loop recursion, m = 10) with backtracking line search, for wide problems (d in the
 * thousands: the 5,120-dim direction) where the dense Hessian is too large. One fused pass over X per evaluation;
 * every p-vector (iterate, gradient, direction, the m correction pairs) lives in the kernels' scratch and the
 * two-loop recursion runs on the kernels' vector operations.
 */
function lbfgs(ws: LogisticScratch, n: number, d: number, s: Float64Array, opts: LogisticOptions): LogisticModel {
  const C = opts.C;
  // 1e-6 on the gradient ∞-norm: the fixture README measured that refitting every lbfgs LR to ≲1e-6 leaves every
  // reported value unchanged (sklearn itself stops near 5e-4); each decade tighter costs ~15% more passes over X.
  const tol = opts.tol ?? 1e-6;
  const maxIter = opts.maxIter ?? 5000;
  const p = d + 1; // parameters: w (d) then b
  const M = LBFGS_MEMORY;
  const { theta, grad: g, dir, thTry, gTry, S, Y } = ws.view;
  const ptr = ws.ptr;
  const { dot: vdot, axpy, scal } = vectorOps;
  theta.fill(0);
  if (opts.init) {
    theta.set(opts.init.coef);
    theta[d] = opts.init.intercept;
  }
  const evalAt = wasmLossGrad(ws, n, d, s, C);
  let f = evalAt('theta', 'grad');
  // Correction pairs in slots of S and Y (p values each, M + 1 slots); `slots` lists the kept ones oldest first.
  const slots: number[] = [];
  const rho = new Float64Array(M + 1);
  const alpha = new Float64Array(M + 1);
  const sPtr = (slot: number) => ptr.S + slot * p * 8;
  const yPtr = (slot: number) => ptr.Y + slot * p * 8;
  let gnorm = infNorm(g.subarray(0, d), g[d]!);
  let it = 0;
  for (; it < maxIter && gnorm > tol; it++) {
    ws.check();
    // Two-loop recursion: dir = −H·g.
    dir.set(g);
    for (let k = slots.length - 1; k >= 0; k--) {
      const slot = slots[k]!;
      alpha[slot] = rho[slot]! * vdot(sPtr(slot), ptr.dir, p);
      axpy(-alpha[slot]!, yPtr(slot), ptr.dir, p);
    }
    if (slots.length) {
      const last = slots[slots.length - 1]!;
      scal(vdot(sPtr(last), yPtr(last), p) / vdot(yPtr(last), yPtr(last), p), ptr.dir, p);
    } else {
      scal(1 / Math.max(1, Math.sqrt(vdot(ptr.grad, ptr.grad, p))), ptr.dir, p);
    }
    for (const slot of slots) {
      const beta = rho[slot]! * vdot(yPtr(slot), ptr.dir, p);
      axpy(alpha[slot]! - beta, sPtr(slot), ptr.dir, p);
    }
    scal(-1, ptr.dir, p);
    let slope = vdot(ptr.dir, ptr.grad, p);
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      slots.length = 0;
      dir.set(g);
      scal(-1, ptr.dir, p);
      slope = vdot(ptr.dir, ptr.grad, p);
    }
    let t = 1;
    let fTry = NaN;
    let ok = false;
    for (let k = 0; k < 50; k++) {
      thTry.set(theta);
      axpy(t, ptr.dir, ptr.thTry, p);
      fTry = evalAt('thTry', 'gTry');
      if (fTry <= f + 1e-4 * t * slope) {
        ok = true;
        break;
      }
      t *= 0.5;
    }
    if (!ok) break;
    // The new pair s = θ' − θ, y = g' − g, in a slot no kept pair uses (there are M + 1); kept if curvature holds.
    let slot = 0;
    while (slots.includes(slot)) slot++;
    S.subarray(slot * p, (slot + 1) * p).set(thTry);
    axpy(-1, ptr.theta, sPtr(slot), p);
    Y.subarray(slot * p, (slot + 1) * p).set(gTry);
    axpy(-1, ptr.grad, yPtr(slot), p);
    const sy = vdot(sPtr(slot), yPtr(slot), p);
    if (sy > 1e-12 * Math.sqrt(vdot(sPtr(slot), sPtr(slot), p) * vdot(yPtr(slot), yPtr(slot), p))) {
      if (slots.length === M) slots.shift();
      slots.push(slot);
      rho[slot] = 1 / sy;
    }
    theta.set(thTry);
    g.set(gTry);
    f = fTry;
    gnorm = infNorm(g.subarray(0, d), g[d]!);
  }
  return { coef: theta.slice(0, d), intercept: theta[d]!, iterations: it, gradNorm: gnorm };
}
