import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../lib/common/paths';

/**
 * The full `npm run reproduce-all` on the nano profile (setup already ran in the npm script): every notebook in
 * notebooks/ runs, writes its figures into paper-figures/, and labels them "organism (nano)". Not part of `npm test`
 * (minutes of CPU); run with `npm run test:e2e`.
 */
const PNG_SIGNATURE = '89504e470d0a1a0a';
const NARCBENCH_NOTEBOOKS = [
  '00-walkthrough-probing-for-collusion',
  '01-narcbench-fig3-table1',
  '02-narcbench-fig5-roc',
  '03-narcbench-appendixC-probe-architectures',
  '04-narcbench-tables3-10-stego-correlations',
];

describe('reproduce-all, nano profile', () => {
  it('runs every notebook; the NARCBench ones produce organism-labelled paper figures and manifest entries', () => {
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ['bin/impostor.mjs', 'reproduce'], { cwd: repoRoot, encoding: 'utf8' });
    const seconds = (Date.now() - t0) / 1000;
    process.stdout.write(`${r.stdout}\nreproduce-all took ${seconds.toFixed(0)} s\n`);
    expect(r.status, r.stderr.slice(-3000)).toBe(0);

    const manifest = JSON.parse(readFileSync(join(repoRoot, 'paper-figures', 'manifest.json'), 'utf8'));
    for (const entry of manifest.notebooks) expect(entry.status, `${entry.notebook}: ${JSON.stringify(entry.error)}`).toBe('ok');
    // The NARCBench notebooks run on the NARCBench agent organism's activations under the nano profile: every figure says so.
    const narcbench = manifest.notebooks.filter((e: any) => NARCBENCH_NOTEBOOKS.includes(e.notebook));
    expect(narcbench.map((e: any) => e.notebook)).toEqual(NARCBENCH_NOTEBOOKS);
    for (const entry of narcbench) {
      expect(entry.profile).toBe('nano');
      expect(entry.synthetic).toBe(false);
      expect(JSON.stringify(entry.models)).toContain('organism (nano)');
      expect(entry.dataSources.length).toBeGreaterThan(0);
      expect(entry.models.length).toBeGreaterThan(0);
      const pngs = entry.artifacts.filter((a: string) => a.endsWith('.png'));
      expect(pngs.length, entry.notebook).toBeGreaterThan(0);
      for (const png of pngs) {
        const bytes = readFileSync(join(repoRoot, 'paper-figures', png));
        expect(bytes.subarray(0, 8).toString('hex')).toBe(PNG_SIGNATURE);
        const stem = png.slice(0, -4);
        expect(readFileSync(join(repoRoot, 'paper-figures', `${stem}.svg`), 'utf8')).toContain('[organism (nano)]');
        expect(JSON.parse(readFileSync(join(repoRoot, 'paper-figures', `${stem}.json`), 'utf8')).provenance.dataLabel).toBe('organism (nano)');
      }
      const executed = readFileSync(join(repoRoot, 'paper-figures', entry.executedNotebook), 'utf8');
      expect(executed).toContain('injected-parameters');
      if (entry.notebook !== '00-walkthrough-probing-for-collusion') expect(executed).toContain('paper vs this run');
    }
  });
});
