import { describe, expect, it } from 'vitest';
import { assembleProbeKernels } from '../../lib/probes/kernels/assemble';
import { PROBE_KERNELS_WASM_BASE64 } from '../../lib/probes/kernels/probe-kernels-wasm';
import { abt, abtInScratch, lrPass, takeScratch } from '../../lib/probes/kernels/wasm-kernels';

/** A small deterministic generator (values in [−1, 1)). */
function values(count: number, seed: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: count }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

describe('probe WebAssembly kernels', () => {
  it('the committed bytes are the assembled probe-kernels.wat (regenerate: npm run build:probe-kernels)', async () => {
    const bytes = await assembleProbeKernels();
    expect(Buffer.from(bytes).toString('base64')).toBe(PROBE_KERNELS_WASM_BASE64);
  });

  // Sizes that exercise every edge: row counts not multiples of 4, widths not multiples of 2 or 4, chunk tails.
  it.each([[7, 5, 13], [9, 6, 1030], [4, 4, 4], [1, 3, 2]])('A·Bᵀ and the Gram matrix match the scalar sums (%i × %i × %i)', (na, nb, d) => {
    const a = values(na * d, 1);
    const b = values(nb * d, 2);
    // Only the summation order differs: agreement to rounding, relative to Σ|terms|.
    const expectDot = (got: number, x: Float64Array, y: Float64Array, i: number, j: number) => {
      let s = 0;
      let abs = 0;
      for (let k = 0; k < d; k++) {
        s += x[i * d + k]! * y[j * d + k]!;
        abs += Math.abs(x[i * d + k]! * y[j * d + k]!);
      }
      expect(Math.abs(got - s)).toBeLessThanOrEqual(1e-14 * abs);
    };
    const out = abt(a, na, b, nb, d);
    for (let i = 0; i < na; i++) for (let j = 0; j < nb; j++) expectDot(out[i * nb + j]!, a, b, i, j);
    const s = takeScratch({ a: ['f64', na * d], g: ['f64', na * na] });
    s.view.a.set(a);
    abtInScratch(s.ptr.a, na, s.ptr.a, na, d, s.ptr.g, s.view.g, true);
    for (let i = 0; i < na; i++) for (let j = 0; j < na; j++) expectDot(s.view.g[i * na + j]!, a, a, i, j);
  });

  it.each([[11, 9], [8, 4], [3, 402]])('the logistic pass gives margins X·θ, the residual callback per row, and Xᵀr (%i × %i)', (n, d) => {
    const x = values(n * d, 3);
    const theta = values(d, 4);
    const s = takeScratch({ x: ['f32', n * d], th: ['f64', d], grad: ['f64', d], marg: ['f64', n], resid: ['f64', n] });
    const { x: x32, th, grad, marg, resid } = s.view;
    x32.set(x);
    th.set(theta);
    const seen: number[] = [];
    lrPass(s.ptr.x, n, d, s.ptr.th, s.ptr.grad, s.ptr.marg, s.ptr.resid, (i0, count) => {
      for (let i = i0; i < i0 + count; i++) {
        seen.push(i);
        resid[i] = Math.tanh(marg[i]!);
      }
    });
    expect(seen).toEqual(Array.from({ length: n }, (_, i) => i));
    for (let i = 0; i < n; i++) {
      let m = 0;
      for (let k = 0; k < d; k++) m += x32[i * d + k]! * theta[k]!;
      expect(marg[i]).toBeCloseTo(m, 12);
    }
    for (let k = 0; k < d; k++) {
      let g = 0;
      for (let i = 0; i < n; i++) g += resid[i]! * x32[i * d + k]!;
      expect(grad[k]).toBeCloseTo(g, 12);
    }
  });

  it('a scratch layout taken over by a later call refuses to be used', () => {
    const first = takeScratch({ a: ['f64', 4] });
    takeScratch({ a: ['f64', 4] });
    expect(() => first.check()).toThrow(/taken over/);
  });
});
