import { describe, expect, it } from 'vitest';
import { balancedRowsOf, balancedSelection, linearScorer, trainLogisticDirection, trainSelectedLogisticDirection } from '../../lib/probes/direction';
import { zeros } from '../../lib/probes/matrix';
import type { DirectionTrainingData } from '../../lib/probes/variant';

/**
 * The main direction's kernel path (rows gathered into WebAssembly memory, scaler and standardisation there) must
 * give exactly what the generic path gives (float64 row copies → fitScaler → scaleRows → wide LR): same scaler,
 * same float32 design, hence the same L-BFGS iterates.
 */
describe('main direction on the kernels', () => {
  it('is bit-identical to the generic path on wide float32 activations', () => {
    const D = 450; // > the Newton limit: the wide (L-BFGS) fit
    const nRows = 60;
    let s = 12345;
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) - 0.5;
    const acts = Float32Array.from({ length: nRows * D }, (_, i) => rnd() * (1 + (i % D) / 50) + (i % D === 3 ? 7 : 0) + (Math.floor(i / D) % 2 ? 0.3 * rnd() : 0));
    for (let r = 0; r < nRows; r++) acts[r * D + 5] = 2.5; // a constant column: scale 1
    const honestRows = Array.from({ length: 30 }, (_, i) => 2 * i);
    const colluderRows = Array.from({ length: 24 }, (_, i) => 2 * i + 1);
    const gather = (rows: number[]) => {
      const m = zeros(rows.length, D);
      rows.forEach((r, i) => m.data.set(acts.subarray(r * D, (r + 1) * D), i * D));
      return m;
    };
    const data: DirectionTrainingData = { layer: 0, honest: gather(honestRows), colluder: gather(colluderRows), honestRows, colluderRows, trainGroups: [], activations: { data: acts, cols: D } };
    const sel = balancedSelection(data, 0, (nh, k) => Array.from({ length: k }, (_, i) => (i * 7) % nh));
    const fast = trainSelectedLogisticDirection(data, sel, 1);
    const generic = trainLogisticDirection(balancedRowsOf(data, sel), 1);
    expect(fast.model!.iterations).toBeGreaterThan(0);
    expect(Array.from(fast.scaler.mean)).toEqual(Array.from(generic.scaler.mean));
    expect(Array.from(fast.scaler.scale)).toEqual(Array.from(generic.scaler.scale));
    expect(fast.model!.iterations).toBe(generic.model!.iterations);
    expect(Array.from(fast.w)).toEqual(Array.from(generic.w));
  });
});

describe('agent scoring on the kernels', () => {
  it('projects and standardises exactly as projectMany and standardise do (odd widths too)', () => {
    for (const D of [5120, 1027, 6]) {
      let s = 99 + D;
      const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) - 0.5;
      const scaler = { mean: Float64Array.from({ length: D }, rnd), scale: Float64Array.from({ length: D }, () => 0.5 + Math.abs(rnd())) };
      const scorer = linearScorer(scaler, Float64Array.from({ length: D }, rnd));
      const raws = zeros(4, D);
      raws.data.forEach((_, i) => (raws.data[i] = 3 * rnd()));
      const both = scorer.projectAndStandardise!(raws);
      expect(Array.from(both.projections)).toEqual(Array.from(scorer.projectMany!(raws)));
      for (let a = 0; a < 4; a++) {
        expect(Array.from(both.standardised.subarray(a * D, (a + 1) * D))).toEqual(Array.from(scorer.standardise(raws.data.subarray(a * D, (a + 1) * D))));
      }
    }
  });
});
