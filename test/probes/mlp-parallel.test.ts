import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { loadNarcbench } from '../../lib/narcbench/dataset';
import { generateSynthetic } from '../../lib/narcbench/synth/generate';
import { runProbesParallel, runsOnWorkers } from '../../lib/probes/parallel';
import { mlpVariant } from '../../lib/probes/variants/mlp';

const base = mkdtempSync(join(tmpdir(), 'mlp-parallel-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

// A small NARCBench-format dataset (nano, 32 dims, one layer) and one seed: a global unit and 17 fold units spread
// over the workers (≈ 3 CPU s each way).
it('the mlp variant gives identical numbers on 1 worker (sequential) and on 2 worker threads', async () => {
  generateSynthetic({ out: base, seed: 5, scale: 'nano', dim: 32, layers: 1, quiet: true });
  const opts = { layers: [0], seeds: 1 };
  expect(runsOnWorkers(mlpVariant, 2, opts.layers)).toBe(true);
  const one = await runProbesParallel(loadNarcbench(base, [0]), mlpVariant, { ...opts, threads: 1 });
  const two = await runProbesParallel(loadNarcbench(base, [0], { shared: true }), mlpVariant, { ...opts, threads: 2 });
  expect(two).toEqual(one);
  expect(one.groups['Held-out']!.peak_suspicion!.values).toHaveLength(1);
}, 120_000);
