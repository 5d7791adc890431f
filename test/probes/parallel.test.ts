import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeWithShared } from '../shared-fixtures';
import { addNarcbenchLayer, loadNarcbench, openNarcbench } from '../../lib/narcbench/dataset';
import { runProbesParallel } from '../../lib/probes/parallel';
import { probeWorkerUrl } from '../../lib/probes/worker-bundle';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runProbes } from '../../lib/probes/pipeline';
import { mainVariant } from '../../lib/probes/main-variant';

describeWithShared('worker-thread probe runner', ['fixtures', 'narcbench-probes'], (fx) => {
  it('gives exactly the numbers of the sequential runProbes (main, 3 layers, 2 workers)', async () => {
    const layers = [0, 1, 2];
    const seq = runProbes(loadNarcbench(join(fx, 'data'), layers), mainVariant, { layers });
    const par = await runProbesParallel(loadNarcbench(join(fx, 'data'), layers, { shared: true }), mainVariant, { layers, threads: 2 });
    expect(par).toEqual(seq);
  }, 60_000);

  it('gives the same numbers when it reads the layers one at a time, dropping and reusing their buffers', async () => {
    const layers = [0, 1, 2];
    const seq = runProbes(loadNarcbench(join(fx, 'data'), layers), mainVariant, { layers });
    const lazy = openNarcbench(join(fx, 'data'), layers);
    const reads: number[] = [];
    const loadLayer = (layer: number, alloc?: (bytes: number) => SharedArrayBuffer) => {
      reads.push(layer);
      addNarcbenchLayer(lazy, layer, { shared: true, alloc });
    };
    loadLayer(0);
    const par = await runProbesParallel(lazy, mainVariant, { layers, threads: 2, loadLayer, layersAhead: 1 });
    expect(par).toEqual(seq);
    expect(reads).toEqual([0, 1, 2]);
    expect(lazy.core.layers.size).toBe(0); // every layer dropped after its last unit
  }, 60_000);
});

it('the probe workers load a cached plain-JavaScript bundle (or the tsx entry where none can be built)', () => {
  const url = probeWorkerUrl();
  expect(existsSync(fileURLToPath(url))).toBe(true);
  expect(probeWorkerUrl().href).toBe(url.href); // the second call reuses the cache
});
