/**
 * Test-only reference: the plain scalar float64 loop MlpClassifier.fit ran before its WebAssembly kernels (same
 * sklearn semantics, no padding, one accumulator per sum). The kernel test compares against it on sizes that hit
 * every kernel edge (odd batch, odd input width, hidden width not a multiple of 8).
 */
import type { Matrix } from '../../lib/probes/matrix';
import { RandomState } from '../../lib/probes/random-state';

export interface ScalarMlp {
  W1: Float64Array;
  b1: Float64Array;
  w2: Float64Array;
  b2: number;
  lossCurve: number[];
}

/** sklearn MLPClassifier(hidden_layer_sizes=(H,), alpha 1e-4, Adam defaults, batch min(200, n)), `epochs` epochs. */
export function fitScalarReference(X: Matrix, y: ArrayLike<number>, H: number, randomState: number, epochs: number): ScalarMlp {
  const n = X.rows, D = X.cols, alpha = 1e-4, beta1 = 0.9, beta2 = 0.999;
  const rng = new RandomState(randomState);
  const uniform = (size: number, bound: number) => Float64Array.from({ length: size }, () => -bound + 2 * bound * rng.randomSample());
  const W1 = uniform(D * H, Math.sqrt(6 / (D + H)));
  const b1 = uniform(H, Math.sqrt(6 / (D + H)));
  const w2 = uniform(H, Math.sqrt(6 / (H + 1)));
  const b2 = uniform(1, Math.sqrt(6 / (H + 1)));
  const params = [W1, b1, w2, b2];
  const grads = params.map((p) => new Float64Array(p.length));
  const ms = params.map((p) => new Float64Array(p.length));
  const vs = params.map((p) => new Float64Array(p.length));
  const [gW1, gb1, gw2, gb2] = grads as [Float64Array, Float64Array, Float64Array, Float64Array];
  const batchSize = Math.min(200, n);
  let idx = Array.from({ length: n }, (_, i) => i);
  let t = 0;
  const lossCurve: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const perm = Array.from({ length: n }, (_, i) => i);
    rng.shuffle(perm);
    idx = perm.map((p) => idx[p]!);
    let accumulated = 0;
    for (let start = 0; start < n; start += batchSize) {
      const B = Math.min(start + batchSize, n) - start;
      const hid = new Float64Array(B * H);
      const d2 = new Float64Array(B);
      let loss = 0;
      for (let s = 0; s < B; s++) {
        const r = idx[start + s]!;
        let z = 0;
        for (let j = 0; j < H; j++) {
          let a = 0;
          for (let i = 0; i < D; i++) a += X.data[r * D + i]! * W1[i * H + j]!;
          hid[s * H + j] = Math.max(a + b1[j]!, 0);
          z += hid[s * H + j]! * w2[j]!;
        }
        const p = 1 / (1 + Math.exp(-(z + b2[0]!)));
        const pc = Math.min(Math.max(p, 2.220446049250313e-16), 1 - 2.220446049250313e-16);
        loss -= y[r]! * Math.log(pc) + (1 - y[r]!) * Math.log(1 - pc);
        d2[s] = p - y[r]!;
      }
      let sq = 0;
      for (const w of [W1, w2]) for (const v of w) sq += v * v;
      accumulated += (loss / B + (0.5 * alpha * sq) / B) * B;
      gb2[0] = d2.reduce((a, b) => a + b, 0) / B;
      for (let j = 0; j < H; j++) {
        let g = 0, gb = 0;
        for (let s = 0; s < B; s++) {
          g += hid[s * H + j]! * d2[s]!;
          gb += hid[s * H + j]! > 0 ? d2[s]! * w2[j]! : 0;
        }
        gw2[j] = (g + alpha * w2[j]!) / B;
        gb1[j] = gb / B;
        for (let i = 0; i < D; i++) {
          let gw = 0;
          for (let s = 0; s < B; s++) gw += X.data[idx[start + s]! * D + i]! * (hid[s * H + j]! > 0 ? d2[s]! * w2[j]! : 0);
          gW1[i * H + j] = (gw + alpha * W1[i * H + j]!) / B;
        }
      }
      t++;
      const lr = (1e-3 * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
      params.forEach((w, p) => {
        for (let k = 0; k < w.length; k++) {
          const g = grads[p]![k]!;
          ms[p]![k] = beta1 * ms[p]![k]! + (1 - beta1) * g;
          vs[p]![k] = beta2 * vs[p]![k]! + (1 - beta2) * (g * g);
          w[k] -= (lr * ms[p]![k]!) / (Math.sqrt(vs[p]![k]!) + 1e-8);
        }
      });
    }
    lossCurve.push(accumulated / n);
  }
  return { W1, b1, w2, b2: b2[0]!, lossCurve };
}

/** P(class 1) of the reference model for one row. */
export function scalarReferenceProba(m: ScalarMlp, x: ArrayLike<number>): number {
  const H = m.b1.length, D = x.length;
  let z = m.b2;
  for (let j = 0; j < H; j++) {
    let a = 0;
    for (let i = 0; i < D; i++) a += x[i]! * m.W1[i * H + j]!;
    z += Math.max(a + m.b1[j]!, 0) * m.w2[j]!;
  }
  return 1 / (1 + Math.exp(-z));
}
