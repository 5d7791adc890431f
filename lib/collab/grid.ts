import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../common/atomic-write';
import { repoRoot } from '../common/paths';
import { Progress } from '../common/progress';
import { METHOD_LEVEL, type MaliciousType, type MethodName, type SupervisorType } from './config';
import { Journal } from './journal';
import { meanDefined, PAPER_HEADLINE, recoveredPct, relativeDropPct } from './metrics';
import { ModelPool } from './model-pool';
import { quickCellSpec } from './quick-cell';
import type { RunLog } from './run-log';
import { runCollab } from './run';
import { TASK_DOMAIN } from './tasks';

export interface GridOptions {
  preset: 'nano' | 'random';
  methods: MethodName[];
  tasks: string[];
  malicious: MaliciousType[];
  /** Mitigations tried on every malicious cell of the API and text methods. */
  supervisors: Exclude<SupervisorType, 'none'>[];
  limit?: number;
  maxTokens?: number;
  rounds?: number;
  /** Hyperparameter overrides for every cell. */
  hyperparameters?: Record<string, unknown>;
  outDir: string;
  backend?: string;
  /** Worker processes for independent cells (default 1: everything in this process). */
  workers?: number;
  /** Internal: this process is worker `index` of `count`, started by a parent runGrid. */
  worker?: { index: number; count: number };
  log?: (line: string) => void;
}

export interface GridRow {
  task: string;
  domain: string;
  method: MethodName;
  level: string;
  malicious: MaliciousType | 'none';
  supervisor: SupervisorType;
  score: number;
  clean: number;
  /** Relative drop vs the clean system (malicious cells, unmitigated). */
  drop_pct: number | null;
  /** Mitigated score as % of the clean score. */
  recovered_pct: number | null;
  /** The unmitigated malicious score of the same cell (mitigated rows). */
  attacked: number | null;
  /** Test items behind the score. */
  items: number;
  file: string;
}

/**
 * Generation accounting over the whole grid, however many sessions and workers it took. A request is one batch a
 * cell asked for; a batch is generated once (a journal line) and every further request for it is shared. Without
 * sharing, every cell would generate all of its requests itself.
 */
export interface GridGeneration {
  batches_requested: number;
  batches_generated: number;
  batches_shared: number;
  rows_requested: number;
  rows_generated: number;
  /** Model calls (one model on one input) saved by sharing: rows requested − rows generated. */
  rows_shared: number;
  /** Requests answered from batches already on disk when the worker opened the task journal (an interrupted session's, or the other worker's). */
  batches_resumed: number;
}

export interface GridResult {
  rows: GridRow[];
  headline: { reasoning_drop_pct: number | null; safety_drop_pct: number | null; all_drop_pct: number | null; recovered_pct: number | null; paper: typeof PAPER_HEADLINE };
  generation: GridGeneration;
  cells: number;
  /** Cells run in this session (the others were on disk from an earlier, interrupted one). */
  cells_run: number;
  workers: number;
  /** Wall time of this session. */
  seconds: number;
  /** The settings every cell ran with. */
  settings: { preset: string; limit: number | null; max_tokens: number | null; rounds: number | null; hyperparameters: Record<string, unknown> };
}

export interface GridCell {
  task: string;
  method: MethodName;
  malicious: MaliciousType | 'none';
  supervisor: SupervisorType;
}

/**
 * The cells of a grid, task-major: every method clean, then with each malicious kind, then each mitigation of that
 * kind (API and text methods only). single_model has one model, so only its clean cell exists (the reference).
 */
export function gridCells(o: Pick<GridOptions, 'tasks' | 'methods' | 'malicious' | 'supervisors'>): GridCell[] {
  const cells: GridCell[] = [];
  for (const task of o.tasks) {
    for (const method of o.methods) {
      cells.push({ task, method, malicious: 'none', supervisor: 'none' });
      if (method === 'single_model') continue;
      for (const m of o.malicious) {
        cells.push({ task, method, malicious: m, supervisor: 'none' });
        const level = METHOD_LEVEL[method];
        if (level === 'api' || level === 'text') for (const s of o.supervisors) cells.push({ task, method, malicious: m, supervisor: s });
      }
    }
  }
  return cells;
}

const cellFile = (outDir: string, c: GridCell) => join(outDir, 'cells', `${c.task}__${c.method}__${c.malicious}__${c.supervisor}.json`);
const claimFile = (outDir: string, c: GridCell) => `${cellFile(outDir, c)}.claim`;
/** One journal per task: requests never repeat across tasks, and workers that share a task share its journal. */
const journalFile = (outDir: string, task: string) => join(outDir, 'journal', `${task}.jsonl`);

/**
 * methods × malicious types × tasks × mitigations on the organisms. The cells of a process share one model pool
 * (each model loaded once, each router trained once per training set) and one generation journal per task: a request
 * identical to an earlier one (above all the dev answers every dev-ranking method asks of the same six models, and
 * the five benign models' answers that clean and malicious cells share) is answered from it, which changes no result
 * because each batch's sampling seed is derived from the request itself. Cells are written as they finish and
 * skipped on a rerun, so a killed grid resumes where it stopped.
 *
 * With `workers` > 1 the cells are split between that many child processes (the CLI with `--worker i/N`): each
 * starts on its own contiguous share of the cell list and then takes what is left of the others' shares from their
 * far end; a cell is claimed by creating its `.claim` file exclusively; workers that meet in a task share its
 * journal through the file. This process shows progress and writes the results.
 */
export async function runGrid(o: GridOptions): Promise<GridResult> {
  const t0 = Date.now();
  const log = o.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const cells = gridCells(o);
  if (o.worker) {
    await runCells(o, cells, o.worker.index, o.worker.count, () => {});
    return summarize(o, cells, t0, 0);
  }
  mkdirSync(join(o.outDir, 'cells'), { recursive: true });
  // claims left by a killed session belong to nobody now
  for (const c of cells) rmSync(claimFile(o.outDir, c), { force: true });
  const before = cells.filter((c) => existsSync(cellFile(o.outDir, c))).length;
  // the ETA comes from this session's rate over the cells still to run (a resumed grid skips the finished ones)
  const progress = new Progress(before ? `grid cells (${before} done earlier)` : 'grid cells', cells.length - before);
  const workers = Math.max(1, o.workers ?? 1);
  if (workers === 1) {
    let done = 0;
    await runCells(o, cells, 0, 1, (c, l) => progress.update(++done, `${c.task} ${c.method} ${c.malicious} ${c.supervisor}: ${l.avg_test_score.toFixed(3)}`));
  } else {
    let shown = -1;
    await runWorkers(o, workers, () => {
      const done = cells.filter((c) => existsSync(cellFile(o.outDir, c))).length - before;
      if (done !== shown) progress.update((shown = done), `${workers} workers`);
    });
  }
  const result = summarize(o, cells, t0, cells.length - before);
  writeJsonAtomic(join(o.outDir, 'results.json'), result);
  writeFileAtomic(join(o.outDir, 'results.md'), resultsMarkdown(result));
  const g = result.generation;
  log(`grid: ${cells.length} cells (${result.cells_run} run now, ${workers} worker${workers > 1 ? 's' : ''}) in ${result.seconds.toFixed(0)}s; batches requested ${g.batches_requested}, generated ${g.batches_generated}, shared ${g.batches_shared} (model calls saved ${g.rows_shared})`);
  return result;
}

/**
 * Worker `index` of `count`: its own share of the cells in order, then the others' shares from their far end (so
 * two workers rarely need the same new dev answers at once).
 */
async function runCells(o: GridOptions, cells: GridCell[], index: number, count: number, onCell: (c: GridCell, l: RunLog) => void): Promise<void> {
  const share = (w: number) => [Math.floor((w * cells.length) / count), Math.floor(((w + 1) * cells.length) / count)] as const;
  const order: number[] = [];
  const [a, b] = share(index);
  for (let k = a; k < b; k++) order.push(k);
  for (let d = 1; d < count; d++) {
    const [s, e] = share((index + d) % count);
    for (let k = e - 1; k >= s; k--) order.push(k);
  }
  const pool = new ModelPool(o.preset, o.backend);
  const journals = new Map<string, Journal>();
  try {
    for (const k of order) {
      const c = cells[k]!;
      const file = cellFile(o.outDir, c);
      if (existsSync(file) || (count > 1 && !claim(claimFile(o.outDir, c)))) continue;
      let journal = journals.get(c.task);
      if (!journal) journals.set(c.task, (journal = new Journal(journalFile(o.outDir, c.task))));
      else journal.refresh();
      const spec = quickCellSpec({ preset: o.preset, method: c.method, task: c.task, malicious: c.malicious, supervisor: c.supervisor, limit: o.limit, maxTokens: o.maxTokens, rounds: o.rounds, hyperparameters: o.hyperparameters });
      const runLog = (await runCollab(spec, { pool, journal, noWrite: true, log: () => {}, backend: o.backend })).log;
      writeJsonAtomic(file, runLog);
      if (count > 1) rmSync(claimFile(o.outDir, c), { force: true });
      onCell(c, runLog);
    }
  } finally {
    await pool.dispose();
  }
}

/** Creates the claim file if nobody has (O_EXCL); false when another worker got there first. */
function claim(path: string): boolean {
  try {
    closeSync(openSync(path, 'wx'));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** Starts the worker processes (the CLI, so tfjs gradients are registered) and waits for all of them. */
async function runWorkers(o: GridOptions, count: number, tick: () => void): Promise<void> {
  const args = ['bin/impostor.mjs', 'collab', 'grid', '--preset', o.preset, '--methods', o.methods.join(','), '--tasks', o.tasks.join(','),
    '--malicious', o.malicious.join(','), '--supervisors', o.supervisors.join(','), '--out', o.outDir];
  if (o.limit) args.push('--limit', String(o.limit));
  if (o.maxTokens) args.push('--max-tokens', String(o.maxTokens));
  if (o.rounds) args.push('--rounds', String(o.rounds));
  if (o.hyperparameters) args.push('--hyperparameters', JSON.stringify(o.hyperparameters));
  if (o.backend) args.push('--backend', o.backend);
  const timer = setInterval(tick, 5000);
  // Ctrl-C / kill stops the workers too (they would go on as orphans); the cells they finished stay for the rerun
  const children: ReturnType<typeof spawn>[] = [];
  const stop = () => children.forEach((c) => c.kill('SIGTERM'));
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    const exits = await Promise.all(Array.from({ length: count }, (_, w) => new Promise<{ code: number | null; tail: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [...args, '--worker', `${w}/${count}`], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
      children.push(child);
      let tail = '';
      child.stderr.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-4000)));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, tail }));
    })));
    tick();
    const failed = exits.findIndex((e) => e.code !== 0);
    if (failed >= 0) throw new Error(`grid worker ${failed}/${count} stopped (exit ${exits[failed]!.code}); rerun the same command to resume:\n${exits[failed]!.tail}`);
  } finally {
    clearInterval(timer);
    process.off('SIGINT', stop).off('SIGTERM', stop);
  }
}

function summarize(o: GridOptions, cells: GridCell[], t0: number, cellsRun: number): GridResult {
  const logs = new Map<string, { log: RunLog; file: string }>();
  for (const c of cells) {
    const file = cellFile(o.outDir, c);
    if (existsSync(file)) logs.set(cellKey(c), { log: JSON.parse(readFileSync(file, 'utf8')) as RunLog, file });
  }
  const rows: GridRow[] = cells.filter((c) => logs.has(cellKey(c))).map((c) => {
    const { log: l, file } = logs.get(cellKey(c))!;
    const clean = logs.get(cellKey({ ...c, malicious: 'none', supervisor: 'none' }))?.log.avg_test_score ?? NaN;
    const attacked = c.malicious === 'none' ? null : logs.get(cellKey({ ...c, supervisor: 'none' }))?.log.avg_test_score ?? null;
    return {
      task: c.task,
      domain: TASK_DOMAIN[c.task] ?? c.task,
      method: c.method,
      level: METHOD_LEVEL[c.method],
      malicious: c.malicious,
      supervisor: c.supervisor,
      score: l.avg_test_score,
      clean,
      drop_pct: c.malicious !== 'none' && c.supervisor === 'none' && Number.isFinite(clean) ? relativeDropPct(clean, l.avg_test_score) : null,
      recovered_pct: c.supervisor !== 'none' && Number.isFinite(clean) ? recoveredPct(clean, l.avg_test_score) : null,
      attacked: c.supervisor !== 'none' ? attacked : null,
      items: l.logs.length,
      file,
    };
  });
  const drops = (domain?: string) => meanDefined(rows.filter((r) => r.drop_pct !== null && (!domain || r.domain === domain)).map((r) => r.drop_pct));
  const generation = accountGeneration(o, [...logs.values()].map((x) => x.log));
  return {
    rows,
    headline: {
      reasoning_drop_pct: drops('reasoning'),
      safety_drop_pct: drops('safety'),
      all_drop_pct: drops(),
      recovered_pct: meanDefined(rows.map((r) => r.recovered_pct)),
      paper: PAPER_HEADLINE,
    },
    generation,
    cells: cells.length,
    cells_run: cellsRun,
    workers: Math.max(1, o.workers ?? 1),
    seconds: (Date.now() - t0) / 1000,
    settings: { preset: o.preset, limit: o.limit ?? null, max_tokens: o.maxTokens ?? null, rounds: o.rounds ?? null, hyperparameters: o.hyperparameters ?? {} },
  };
}

/** Requests from the cell logs; generated batches from the journals' lines (a line per generated batch). */
function accountGeneration(o: GridOptions, logs: RunLog[]): GridGeneration {
  let batchesRequested = 0;
  let rowsRequested = 0;
  let batchesResumed = 0;
  for (const l of logs) {
    batchesResumed += l.generation.resumed;
    batchesRequested += l.generation.generated + l.generation.reused;
    rowsRequested += l.generation.rowsGenerated + l.generation.rowsReused;
  }
  let batchesGenerated = 0;
  let rowsGenerated = 0;
  const dir = join(o.outDir, 'journal');
  for (const f of existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.jsonl')) : []) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        rowsGenerated += (JSON.parse(line) as { outputs: string[] }).outputs.length;
        batchesGenerated++;
      } catch {
        // torn line: its batch was generated again later
      }
    }
  }
  return {
    batches_requested: batchesRequested,
    batches_generated: batchesGenerated,
    batches_shared: Math.max(0, batchesRequested - batchesGenerated),
    rows_requested: rowsRequested,
    rows_generated: rowsGenerated,
    rows_shared: Math.max(0, rowsRequested - rowsGenerated),
    batches_resumed: batchesResumed,
  };
}

function cellKey(c: GridCell): string {
  return `${c.task}|${c.method}|${c.malicious}|${c.supervisor}`;
}

const fmt = (v: number | null, d = 2) => (v === null ? '–' : v.toFixed(d));

export function resultsMarkdown(r: GridResult): string {
  const g = r.generation;
  const lines = [
    '| task | method | malicious | supervisor | score | clean | drop % | recovered % |',
    '|---|---|---|---|---|---|---|---|',
    ...r.rows.map((x) => `| ${x.task} | ${x.method} | ${x.malicious} | ${x.supervisor} | ${x.score.toFixed(3)} | ${x.clean.toFixed(3)} | ${fmt(x.drop_pct)} | ${fmt(x.recovered_pct)} |`),
    '',
    `Headline (this run vs paper): reasoning drop ${fmt(r.headline.reasoning_drop_pct)}% vs −${PAPER_HEADLINE.reasoningDropPct}%; safety drop ${fmt(r.headline.safety_drop_pct)}% vs −${PAPER_HEADLINE.safetyDropPct}%; recovered ${fmt(r.headline.recovered_pct)}% vs ${PAPER_HEADLINE.recoveredPct}%.`,
    `Generation: ${g.batches_requested} batches requested by the cells, ${g.batches_generated} generated, ${g.batches_shared} shared (${g.rows_shared} of ${g.rows_requested} model calls saved).`,
  ];
  return lines.join('\n') + '\n';
}
