import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UserError } from '../common/errors';
import { repoRoot } from '../common/paths';
import { recordModel, recordSource } from '../notebook/context';
import type { ComparisonRow } from '../notebook/paper-numbers';
import { MALICIOUS_TYPES, METHODS } from './config';
import { maliciousReach, type Reach } from './figures';
import type { GridResult, GridRow } from './grid';
import { PAPER_HEADLINE } from './metrics';
import { NANO_BENIGN, zooDir } from './model-registry';
import type { RunLog } from './run-log';
import { NANO_DOMAINS } from './tasks';

/**
 * What the Among Us notebooks share: the preset actually used (`auto` = the organisms when they are trained, else
 * the random stand-ins, and every figure says which), provenance records, and the paper-vs-this-run rows.
 */
export function choosePreset(preset: string): 'nano' | 'random' {
  if (preset === 'nano' || preset === 'random') return preset;
  const needed = ['base', ...NANO_BENIGN, 'malicious-sft', 'malicious-grpo'];
  return needed.every((n) => existsSync(join(zooDir(), n, 'config.json'))) ? 'nano' : 'random';
}

export function recordCollabProvenance(preset: 'nano' | 'random', tasks: readonly string[]): { models: string[]; data: string[]; synthetic: boolean } {
  const synthetic = true; // nano task sets are synthetic in every case
  for (const t of tasks) recordSource({ kind: 'data', path: `data/organisms/tasks/${t}.json`, synthetic, description: `nano ${t} tasks (Among Us schema)` });
  recordModel({ name: preset === 'nano' ? 'organisms (data/organisms)' : 'random tiny Qwen2 checkpoints', role: 'the six collaborating models', synthetic: preset === 'random' });
  return { models: [preset === 'nano' ? 'nano organisms' : 'RANDOM checkpoints (organisms not trained yet)'], data: tasks.map((t) => `nano ${t}`), synthetic };
}

export function headlineRows(r: GridResult): ComparisonRow[] {
  const pct = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(2)}%`);
  return [
    { what: 'average drop, reasoning', paper: `−${PAPER_HEADLINE.reasoningDropPct}%`, ours: r.headline.reasoning_drop_pct === null ? 'n/a' : `−${pct(r.headline.reasoning_drop_pct)}`, note: 'relative to the clean system (inferred definition, spec §5.2)' },
    { what: 'average drop, safety', paper: `−${PAPER_HEADLINE.safetyDropPct}%`, ours: r.headline.safety_drop_pct === null ? 'n/a' : `−${pct(r.headline.safety_drop_pct)}`, note: 'positive drop = worse' },
    { what: 'performance recovered by mitigation', paper: `${PAPER_HEADLINE.recoveredPct}%`, ours: pct(r.headline.recovered_pct), note: 'mitigated / clean, mean over mitigated cells' },
  ];
}

/**
 * Runs a grid through the CLI in a child process and returns its results. Notebooks use this for cells that train
 * (graph and trained routers): tslab compiles modules to CommonJS, where tfjs's gradient registration (an ESM
 * resolve hook, lib/tensor/register-gradients.ts) does not apply; the CLI process has it.
 */
export function runGridInChild(o: { preset: string; methods: string; tasks: string; malicious: string; supervisors: string; limit: number; maxTokens: number; rounds: number; hyperparameters?: Record<string, unknown>; outDir: string }): GridResult {
  const args = ['bin/impostor.mjs', 'collab', 'grid', '--preset', o.preset, '--methods', o.methods, '--tasks', o.tasks, '--malicious', o.malicious,
    '--supervisors', o.supervisors, '--limit', String(o.limit), '--max-tokens', String(o.maxTokens), '--rounds', String(o.rounds), '--out', o.outDir];
  if (o.hyperparameters) args.push('--hyperparameters', JSON.stringify(o.hyperparameters));
  const r = spawnSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 << 20 });
  const lines = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n');
  console.log(lines.slice(-4).join('\n'));
  if (r.status !== 0) throw new Error(`impostor collab grid failed (exit ${r.status}):\n${lines.slice(-20).join('\n')}`);
  return JSON.parse(readFileSync(join(o.outDir, 'results.json'), 'utf8')) as GridResult;
}

/**
 * The full nano grid (issue 7's performance note): all nine methods (single_model as the clean reference), every
 * malicious kind, the five nano domains, the three mitigations at the API and text levels: 445 cells. 20 dev and 20
 * test items per task (the nano splits hold 32 and 40; the whole splits measured ≈ 2.5× over the time budget on
 * this runtime, bench/collab/RESULTS.md), 32 new tokens (the organisms' evaluation length; 90% of answers end by 24),
 * two text rounds, two worker processes. `npx tsx bench/collab/grid.ts` runs it and writes the snapshot below.
 */
export const FULL_NANO_GRID = {
  methods: [...METHODS],
  tasks: [...NANO_DOMAINS],
  malicious: [...MALICIOUS_TYPES],
  supervisors: ['free', 'reward', 'llm'] as ('free' | 'reward' | 'llm')[],
  limit: 20,
  maxTokens: 32,
  rounds: 2,
  workers: 2,
  outDir: join('runs', 'collab', 'grid-nano'),
};

/** The committed copy of the last full nano grid's results (runs/ is not committed), with every cell's Fig. 1 reach. */
export const FULL_GRID_SNAPSHOT = join('bench', 'collab', 'nano-grid.json');

export interface GridSnapshot extends GridResult {
  reaches: Reach[];
  /** Wall/CPU/load of the run that produced it (bench/collab/grid.ts). */
  timing?: Record<string, unknown>;
}

/** Results of a finished full grid in `dir` (cell files relative to the repository) plus every malicious cell's reach. */
export function snapshotOf(dir: string): GridSnapshot {
  const result = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as GridResult;
  const rows = result.rows.map((r) => ({ ...r, file: relative(repoRoot, resolve(repoRoot, r.file)) }));
  const reaches = rows.filter((r) => r.malicious !== 'none').map((r) => maliciousReach(JSON.parse(readFileSync(resolve(repoRoot, r.file), 'utf8')) as RunLog));
  return { ...result, rows, reaches };
}

/**
 * What the Among Us notebooks read in the nano profile: the full grid that `impostor collab grid` wrote under
 * runs/collab/grid-nano when it is there and complete (a rerun of bench/collab/grid.ts), else the committed snapshot
 * of the measured run. Says which.
 */
export function loadFullNanoGrid(): { grid: GridSnapshot; source: string } {
  const dir = join(repoRoot, FULL_NANO_GRID.outDir);
  if (existsSync(join(dir, 'results.json'))) {
    const r = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as GridResult;
    if (r.rows.length === r.cells && r.rows.every((x) => existsSync(resolve(repoRoot, x.file)))) {
      return { grid: snapshotOf(dir), source: `${FULL_NANO_GRID.outDir}/results.json (written by impostor collab grid; cell logs beside it)` };
    }
  }
  const file = join(repoRoot, FULL_GRID_SNAPSHOT);
  if (!existsSync(file)) throw new UserError(`no full nano grid: neither ${FULL_NANO_GRID.outDir}/results.json nor ${FULL_GRID_SNAPSHOT}; run "npx tsx bench/collab/grid.ts" (about half an hour on 2 cores)`);
  return { grid: JSON.parse(readFileSync(file, 'utf8')) as GridSnapshot, source: `${FULL_GRID_SNAPSHOT} (committed snapshot of the measured full grid run)` };
}

/** Mean relative drop and its standard error over cells: all, per domain, per malicious kind, per level. */
export function dropSummary(attacked: readonly GridRow[]): { group: string; cells: number; mean: number | null; se: number | null }[] {
  const stat = (group: string, rows: readonly GridRow[]) => {
    const v = rows.map((r) => r.drop_pct).filter((x): x is number => x !== null);
    if (!v.length) return { group, cells: 0, mean: null, se: null };
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)) : null;
    return { group, cells: v.length, mean: m, se: sd === null ? null : sd / Math.sqrt(v.length) };
  };
  const by = (label: string, key: (r: GridRow) => string) => [...new Set(attacked.map(key))].map((k) => stat(`${label} ${k}`, attacked.filter((r) => key(r) === k)));
  return [stat('all', attacked), ...by('domain', (r) => r.domain), ...by('malicious', (r) => r.malicious), ...by('level', (r) => r.level)];
}
