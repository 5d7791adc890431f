import { describe, expect, it } from 'vitest';
import { fitPca, pcaTransform } from '../../lib/probes/pca';
import type { Matrix } from '../../lib/probes/matrix';

// Gram-path PCA models keep their centred training rows in kernel memory that the next fit takes over (pca.ts):
// an older model must still transform exactly as if it had been the only one, and a released one must refuse.
function wide(n: number, d: number, phase: number): Matrix {
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = Math.sin(i * 1.3 + j * 0.7 + phase) * (1 + (j % 3)) + Math.cos(i * 0.37 * (j + 1));
  return { rows: n, cols: d, data };
}

describe('PCA centred rows in kernel memory', () => {
  const train = wide(12, 64, 0);
  const test = wide(3, 64, 0.5);

  it('transforms the same after a later fit took the kernel memory, again and again', () => {
    const alone = Array.from(pcaTransform(fitPca(train, 4), test).data);
    const first = fitPca(train, 4);
    const second = fitPca(wide(20, 64, 1), 6);
    expect(Array.from(pcaTransform(first, test).data)).toEqual(alone);
    expect(pcaTransform(second, test).rows).toBe(3);
    expect(Array.from(pcaTransform(first, test).data)).toEqual(alone);
    expect(first.components.rows).toBe(4);
  });

  it('refuses to transform after release', () => {
    const model = fitPca(train, 4);
    model.release!();
    expect(() => pcaTransform(model, test)).toThrow(/released/);
  });
});
