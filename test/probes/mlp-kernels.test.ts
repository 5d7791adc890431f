import { describe, expect, it } from 'vitest';
import { assembleProbeKernels, MLP_KERNELS_WAT } from '../../lib/probes/kernels/assemble';
import { MLP_KERNELS_WASM_BASE64 } from '../../lib/probes/kernels/mlp-kernels-wasm';
import { MlpClassifier } from '../../lib/probes/mlp';
import { fitScalarReference, scalarReferenceProba } from './mlp-scalar-reference';

describe('MLP WebAssembly kernels', () => {
  it('the committed bytes are the assembled mlp-kernels.wat (regenerate: npm run build:probe-kernels)', async () => {
    const bytes = await assembleProbeKernels(MLP_KERNELS_WAT);
    expect(Buffer.from(bytes).toString('base64')).toBe(MLP_KERNELS_WASM_BASE64);
  });

  // n 203 → batches of 200 and 3 (odd); D 7 (odd: the last input pairs with itself) and 1; hidden 5, 12 and 1 (padded
  // to 8/16 with inert units); D 50 / hidden 128 as sorted_concat runs. Only summation order differs from the scalar loop.
  it.each([[203, 7, 5], [203, 1, 12], [61, 50, 128], [9, 4, 1]])('trains like the scalar sklearn loop (n %i, D %i, hidden %i)', (n, D, H) => {
    const data = Float64Array.from({ length: n * D }, (_, k) => Math.sin(k * 0.37 + 0.2) * (1 + (k % 3)));
    const y = Float64Array.from({ length: n }, (_, r) => (data[r * D]! + 0.3 * data[r * D + D - 1]! > 0 ? 1 : 0));
    const X = { rows: n, cols: D, data };
    const epochs = 15;
    const got = MlpClassifier.fit(X, y, { randomState: 7, hidden: H, maxIter: epochs });
    const ref = fitScalarReference(X, y, H, 7, epochs);
    expect(got.nIter).toBe(epochs);
    got.lossCurve.forEach((l, e) => expect(l).toBeCloseTo(ref.lossCurve[e]!, 12));
    for (let r = 0; r < Math.min(n, 20); r++) {
      const x = data.subarray(r * D, (r + 1) * D);
      expect(got.predictProba(x)).toBeCloseTo(scalarReferenceProba(ref, x), 12);
    }
  });
});
