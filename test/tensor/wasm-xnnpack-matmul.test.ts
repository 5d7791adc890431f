import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { enableTraining } from '../../lib/models/train';
import { initEngine } from '../../lib/tensor/engine';

/** The product in float64 with NumPy-style broadcasting of the outer dimensions. */
function reference(a: Float32Array, sa: number[], b: Float32Array, sb: number[], ta: boolean, tb: boolean): { data: Float32Array; shape: number[] } {
  const [ra, rb] = [sa.length, sb.length];
  const M = ta ? sa[ra - 1]! : sa[ra - 2]!;
  const K = ta ? sa[ra - 2]! : sa[ra - 1]!;
  const N = tb ? sb[rb - 2]! : sb[rb - 1]!;
  const n = Math.max(ra, rb) - 2;
  const pad = (s: number[]) => [...Array<number>(n - (s.length - 2)).fill(1), ...s.slice(0, -2)];
  const [oa, ob] = [pad(sa), pad(sb)];
  const outer = oa.map((x, i) => Math.max(x, ob[i]!));
  const batches = outer.reduce((p, x) => p * x, 1);
  const out = new Float32Array(batches * M * N);
  for (let t = 0; t < batches; t++) {
    let [rem, ia, ib, strideA, strideB] = [t, 0, 0, 1, 1];
    for (let d = n - 1; d >= 0; d--) {
      const at = rem % outer[d]!;
      rem = Math.floor(rem / outer[d]!);
      if (oa[d] !== 1) ia += at * strideA;
      if (ob[d] !== 1) ib += at * strideB;
      strideA *= oa[d]!;
      strideB *= ob[d]!;
    }
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += (ta ? a[ia * M * K + k * M + i]! : a[ia * M * K + i * K + k]!) * (tb ? b[ib * K * N + j * K + k]! : b[ib * K * N + k * N + j]!);
        out[t * M * N + i * N + j] = s;
      }
    }
  }
  return { data: out, shape: [...outer, M, N] };
}

describe('wasm matmul through XNNPACK (transposes and batches included)', () => {
  beforeAll(async () => {
    await initEngine('wasm');
  });

  const cases: Array<[string, number[], number[], boolean, boolean]> = [
    ['x·Wᵀ (a linear on HF weights)', [37, 70], [23, 70], false, true],
    ['xᵀ·dy (a weight gradient)', [70, 37], [70, 23], true, false],
    ['plain', [37, 70], [70, 23], false, false],
    ['batched QKᵀ', [6, 37, 16], [6, 50, 16], false, true],
    ['batched PV', [6, 37, 50], [6, 50, 16], false, false],
    ['batched transposed a', [6, 50, 37], [6, 50, 16], true, false],
    ['both transposed, rank 4', [2, 3, 16, 37], [2, 3, 50, 16], true, true],
    ['batched a, one b', [4, 37, 19], [19, 23], false, false],
    ['one a, batched b', [37, 19], [4, 23, 19], false, true],
    // tfjs-backend-wasm's own kernel returns uninitialised memory here (it assumes the batch of a).
    ['both sides broadcast', [2, 1, 5, 7], [1, 3, 7, 2], false, false],
  ];
  it.each(cases)('%s: %j · %j matches a float64 reference', async (_name, sa, sb, ta, tb) => {
    const a = tf.randomNormal(sa, 0, 1, 'float32', 1);
    const b = tf.randomNormal(sb, 0, 1, 'float32', 2);
    const ours = tf.matMul(a, b, ta, tb);
    const ref = reference(await a.data<'float32'>(), sa, await b.data<'float32'>(), sb, ta, tb);
    expect(ours.shape).toEqual(ref.shape);
    const got = await ours.data<'float32'>();
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - ref.data[i]!));
    expect(worst).toBeLessThan(1e-4);
    tf.dispose([a, b, ours]);
  });

  it('frees every temporary (transposes, slices and their packed weights) and leaves its inputs intact', async () => {
    const q = tf.randomNormal([8, 40, 16], 0, 1, 'float32', 3);
    const k = tf.randomNormal([8, 30, 16], 0, 1, 'float32', 4);
    const before = await q.data();
    const first = tf.matMul(q, k, false, true);
    const expected = await first.data();
    first.dispose();
    const buffers = tf.memory().numDataBuffers;
    for (let i = 0; i < 5; i++) {
      const again = tf.matMul(q, k, false, true);
      expect(await again.data()).toEqual(expected);
      again.dispose();
    }
    expect(tf.memory().numDataBuffers).toBe(buffers);
    expect(await q.data()).toEqual(before);
    tf.dispose([q, k]);
  });

  it('gives gradients of a batched, transposed product that match finite differences', async () => {
    await enableTraining(); // registers the gradient functions
    const a = tf.randomNormal([3, 5, 4], 0, 1, 'float32', 5);
    const b = tf.randomNormal([3, 6, 4], 0, 1, 'float32', 6);
    const f = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, y, false, true)));
    const [ga] = tf.grads(f)([a, b]);
    const eps = 1e-2;
    const av = await a.data<'float32'>();
    const g = await ga!.data<'float32'>();
    for (const i of [0, 7, 33, 59]) {
      const bump = (d: number) => {
        const x = av.slice();
        x[i]! += d;
        return f(tf.tensor(x, a.shape), b).dataSync()[0]!;
      };
      expect(Math.abs((bump(eps) - bump(-eps)) / (2 * eps) - g[i]!)).toBeLessThan(1e-2 * Math.max(1, Math.abs(g[i]!)));
    }
  });
});
