import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadNarcbench } from '../../lib/narcbench/dataset';
import { runProbesParallel } from '../../lib/probes/parallel';
import { mlpVariant } from '../../lib/probes/variants/mlp';
import { GROUP_ORDER, TECHNIQUES } from '../../lib/probes/variant';
import { describeWithShared } from '../shared-fixtures';
import { overallMean, type ExpectedVariant } from '../probes/variants/variant-parity';

/**
 * The MLP variant against expected/mlp.json (10 seeds × 3 layers × 17 probes × 3 MLP fits; about 2 CPU minutes, on
 * worker threads as `narcbench probes --variant mlp` runs it, hence e2e). sklearn's MLP cannot be bit-matched, so the
 * README's statistical rule applies: per group × technique |Δmean| ≤ max(0.05, 3·err_expected); values/err are not
 * compared; null_probe should be ≈ 0.5–0.65. Recorded runs: bench/narcbench-probes/mlp-variant-parity.md.
 */
describeWithShared('mlp variant parity with reproduce_mlp.py (statistical)', ['fixtures', 'narcbench-probes'], (dir) => {
  it('every cell mean within max(0.05, 3·err); null probe near chance', async () => {
    const started = Date.now();
    const cpu = process.cpuUsage();
    const threads = Math.min(4, availableParallelism());
    const data = loadNarcbench(join(dir, 'data'), [0, 1, 2], { shared: true });
    const got = await runProbesParallel(data, mlpVariant, { layers: [0, 1, 2], threads });
    const exp = JSON.parse(readFileSync(join(dir, 'expected', 'mlp.json'), 'utf8')) as ExpectedVariant;
    const used = process.cpuUsage(cpu);
    const rows: string[] = [];
    const failed: string[] = [];
    let worst = 0;
    for (const g of GROUP_ORDER) {
      for (const t of TECHNIQUES) {
        const e = exp.groups[g]![t]!;
        const o = got.groups[g]![t]!;
        const d = Math.abs(o.mean - e.mean);
        const tol = Math.max(0.05, 3 * e.err);
        worst = Math.max(worst, d / tol);
        rows.push(`${g.padEnd(12)} ${t.padEnd(21)} got ${o.mean.toFixed(4)} exp ${e.mean.toFixed(4)} ±${e.err.toFixed(4)}  |Δ| ${d.toFixed(4)} ${d <= tol ? '≤' : '>'} ${tol.toFixed(4)}`);
        if (!(d <= tol)) failed.push(`${g}/${t}`);
      }
    }
    process.stderr.write(`${rows.join('\n')}\nnull_probe ${got.null_probe} (expected ${exp.null_probe}); overall_mean ${overallMean(got.groups).toFixed(4)} (expected ${exp.overall_mean.toFixed(4)}); worst |Δ|/tol ${worst.toFixed(2)}; ${((Date.now() - started) / 1000).toFixed(0)} s wall, ${((used.user + used.system) / 1e6).toFixed(0)} s CPU on ${threads} worker threads\n`);
    // The whole table is printed first, so a failing run still shows every cell.
    expect(failed, 'cells outside max(0.05, 3·err)').toEqual([]);
    expect(got.null_probe).toBeGreaterThanOrEqual(0.45);
    expect(got.null_probe).toBeLessThanOrEqual(0.7);
  }, 3600_000);
});
