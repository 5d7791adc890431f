/**
 * A one-hidden-layer binary MLP with scikit-learn `MLPClassifier` semantics (the NARCBench MLP variant uses
 * `MLPClassifier(hidden_layer_sizes=(128,), max_iter=1000, random_state=seed)` with every other default):
 *
 * - ReLU hidden layer, logistic output, binary log-loss plus the L2 term ½·alpha·‖W‖²/batch (weights only);
 * - Glorot-uniform init drawn from `RandomState(random_state)` exactly in sklearn's order (W1, b1, W2, b2), with
 *   bound √(6/(fan_in+fan_out)) — sklearn picks the factor from the *hidden* activation, so 6 for relu everywhere;
 * - Adam (lr 1e-3, β1 0.9, β2 0.999, ε 1e-8) on minibatches of min(200, n), indices reshuffled every epoch with
 *   the same RandomState (sklearn.utils.shuffle → RandomState.shuffle);
 * - stopping: after each epoch, if loss > best − tol (1e-4) for more than n_iter_no_change (10) consecutive
 *   epochs, stop; otherwise at max_iter epochs.
 *
 * Bit-for-bit equality with sklearn is not the goal (it runs BLAS in the data's float32 here; we run float64), but
 * initialisation, batching and stopping follow it so the trained models are statistically the same.
 *
 * Each minibatch runs on WebAssembly SIMD kernels (kernels/mlp-kernels.wat): batched forward pass, backward pass and
 * Adam step over parameters that stay in the kernels' memory for the whole fit (no allocation per batch or epoch).
 * The hidden layer is padded to a multiple of 8 units with zero weights; such a unit's activation and gradients are
 * exactly zero, so it never moves and changes no output. Only the loss, the logistic and the shuffle run in JS.
 */
import { mlpKernels, mlpWorkspace } from './kernels/mlp-kernels';
import type { Matrix } from './matrix';
import { RandomState } from './random-state';

export interface MlpOptions {
  randomState: number;
  hidden?: number;
  alpha?: number;
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  maxIter?: number;
  tol?: number;
  nIterNoChange?: number;
  /** sklearn's 'auto' = min(200, n). */
  batchSize?: number;
}

const DEFAULTS = {
  hidden: 128, alpha: 1e-4, learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8,
  maxIter: 200, tol: 1e-4, nIterNoChange: 10,
};

/** A fitted model: P(class 1 | x). */
export class MlpClassifier {
  private constructor(
    readonly inputDim: number,
    readonly hidden: number,
    /** Row stride of W1 and length of b1/w2: hidden padded to a multiple of 8 with inert zero units. */
    private readonly stride: number,
    /** inputDim × stride, row-major (sklearn coefs_[0], padded). */
    private readonly W1: Float64Array,
    private readonly b1: Float64Array,
    /** stride (sklearn coefs_[1][:, 0], padded). */
    private readonly w2: Float64Array,
    private readonly b2: number,
    /** Epochs run (sklearn n_iter_). */
    readonly nIter: number,
    /** Mean training loss per epoch (sklearn loss_curve_). */
    readonly lossCurve: number[],
  ) {}

  static fit(X: Matrix, y: ArrayLike<number>, options: MlpOptions): MlpClassifier {
    const o = { ...DEFAULTS, ...options };
    const n = X.rows, D = X.cols, H = o.hidden;
    if (y.length !== n) throw new RangeError(`MLP: ${y.length} labels for ${n} rows`);
    if (n === 0) throw new RangeError('MLP: no training rows');
    if (!Number.isInteger(H) || H < 1) throw new RangeError(`MLP: hidden must be a positive integer, got ${H}`);
    const rng = new RandomState(o.randomState);
    const Hp = Math.ceil(H / 8) * 8;
    const batchSize = Math.min(o.batchSize ?? 200, n);

    // Parameters, gradients and Adam moments share one layout [W1 (D×Hp) | w2 (Hp) | b1 (Hp) | b2, pad]: the weights
    // the L2 term sums are contiguous, and one Adam call updates everything.
    const offW2 = D * Hp, offB1 = offW2 + Hp, offB2 = offB1 + Hp, P = offB2 + 2;
    const ws = mlpWorkspace({
      x: ['f64', n * D], idx: ['i32', n], params: ['f64', P], grads: ['f64', P], m: ['f64', P], v: ['f64', P],
      xb: ['f64', batchSize * D], hid: ['f64', batchSize * Hp], z: ['f64', batchSize],
    });
    const { view, ptr } = ws;
    view.x.set(X.data);
    view.params.fill(0);
    view.m.fill(0);
    view.v.fill(0);

    // Glorot-uniform init in sklearn's draw order: coefs_[0], intercepts_[0], coefs_[1], intercepts_[1].
    const params = view.params;
    const bound1 = Math.sqrt(6 / (D + H));
    for (let i = 0; i < D; i++) for (let j = 0; j < H; j++) params[i * Hp + j] = -bound1 + 2 * bound1 * rng.randomSample();
    for (let j = 0; j < H; j++) params[offB1 + j] = -bound1 + 2 * bound1 * rng.randomSample();
    const bound2 = Math.sqrt(6 / (H + 1));
    for (let j = 0; j < H; j++) params[offW2 + j] = -bound2 + 2 * bound2 * rng.randomSample();
    params[offB2] = -bound2 + 2 * bound2 * rng.randomSample();

    const k = mlpKernels();
    const pW1 = ptr.params, pW2 = pW1 + 8 * offW2, pB1 = pW1 + 8 * offB1, pB2 = pW1 + 8 * offB2;
    const gW1 = ptr.grads, gW2 = gW1 + 8 * offW2, gB1 = gW1 + 8 * offB1, gB2 = gW1 + 8 * offB2;
    const z = view.z;
    let order = Int32Array.from({ length: n }, (_, i) => i);
    let next = new Int32Array(n);
    const perm = new Int32Array(n);
    let sq = k.sum_squares(pW1, offB1);
    let t = 0;
    let best = Infinity;
    let noImprovement = 0;
    const lossCurve: number[] = [];
    let epoch = 0;
    const probEps = 2.220446049250313e-16;

    for (epoch = 0; epoch < o.maxIter; ) {
      // sklearn.utils.shuffle(sample_idx, random_state): a fresh arange permuted by the model's RandomState, then
      // sample_idx[perm].
      for (let i = 0; i < n; i++) perm[i] = i;
      rng.shuffle(perm);
      for (let i = 0; i < n; i++) next[i] = order[perm[i]!]!;
      [order, next] = [next, order];
      view.idx.set(order);

      let accumulated = 0;
      for (let start = 0; start < n; start += batchSize) {
        const B = Math.min(start + batchSize, n) - start;
        k.mlp_forward(ptr.x, ptr.idx + 4 * start, B, D, Hp, pW1, pB1, pW2, pB2, ptr.xb, ptr.hid, ptr.z);
        // Logistic output, binary log-loss (probabilities clipped as sklearn does) and the output deltas p − y.
        let loss = 0;
        for (let s = 0; s < B; s++) {
          const p = 1 / (1 + Math.exp(-z[s]!));
          const yi = y[order[start + s]!]!;
          const pc = Math.min(Math.max(p, probEps), 1 - probEps);
          loss -= yi * Math.log(pc) + (1 - yi) * Math.log(1 - pc);
          z[s] = p - yi;
        }
        loss = loss / B + (0.5 * o.alpha * sq) / B;
        accumulated += loss * B;

        k.mlp_backward(B, D, Hp, o.alpha, pW1, pW2, ptr.xb, ptr.hid, ptr.z, gW1, gW2, gB1, gB2);
        t++;
        const lr = (o.learningRate * Math.sqrt(1 - o.beta2 ** t)) / (1 - o.beta1 ** t);
        k.adam(pW1, gW1, ptr.m, ptr.v, P, lr, o.beta1, o.beta2, o.epsilon);
        sq = k.sum_squares(pW1, offB1);
      }
      epoch++;
      const epochLoss = accumulated / n;
      lossCurve.push(epochLoss);
      if (epochLoss > best - o.tol) noImprovement++;
      else noImprovement = 0;
      if (epochLoss < best) best = epochLoss;
      if (noImprovement > o.nIterNoChange) break;
    }
    return new MlpClassifier(D, H, Hp, params.slice(0, offW2), params.slice(offB1, offB2), params.slice(offW2, offB1), params[offB2]!, epoch, lossCurve);
  }

  /** P(class 1) for one input vector. */
  predictProba(x: ArrayLike<number>): number {
    const { W1, b1, w2, stride: H, inputDim: D } = this;
    if (x.length !== D) throw new RangeError(`MLP: input has ${x.length} values, the model expects ${D}`);
    const h = Float64Array.from(b1);
    for (let i = 0; i < D; i++) {
      const xv = x[i]!;
      if (xv === 0) continue;
      const off = i * H;
      for (let j = 0; j < H; j++) h[j] += xv * W1[off + j]!;
    }
    let z = this.b2;
    for (let j = 0; j < H; j++) if (h[j]! > 0) z += h[j]! * w2[j]!;
    return 1 / (1 + Math.exp(-z));
  }

  /** P(class 1) for each row. */
  predictProbaMany(X: Matrix): Float64Array {
    const out = new Float64Array(X.rows);
    for (let r = 0; r < X.rows; r++) out[r] = this.predictProba(X.data.subarray(r * X.cols, (r + 1) * X.cols));
    return out;
  }
}
