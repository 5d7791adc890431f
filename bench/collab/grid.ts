/**
 * The full Among Us nano grid on this machine (issue 7's performance note): FULL_NANO_GRID (every method × malicious
 * kind × nano domain × mitigation, whole splits) through the real runGrid with its worker processes, into
 * runs/collab/grid-nano (resumes there: rerun after a kill). Reports wall time, CPU time of this process and its
 * workers (user+sys, from /proc/self/stat), the load average sampled every 30 s, and the generation calls that
 * sharing saved; the full grid's results and timing are written to bench/collab/nano-grid.json, which the notebooks
 * read when runs/ does not hold the grid.
 *
 *   npx tsx bench/collab/grid.ts [--workers 2] [--out DIR] [--tasks math,safety] [--limit N] [--methods ...]
 *       [--malicious ...] [--supervisors ...] [--max-tokens 32]   (any override: no snapshot is written)
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../lib/common/atomic-write';
import { repoRoot } from '../../lib/common/paths';
import type { MaliciousType, MethodName } from '../../lib/collab/config';
import { runGrid } from '../../lib/collab/grid';
import { choosePreset, FULL_GRID_SNAPSHOT, FULL_NANO_GRID, snapshotOf } from '../../lib/collab/notebook-support';

const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : undefined);
const OVERRIDES = ['--tasks', '--limit', '--methods', '--malicious', '--supervisors', '--max-tokens'];

/** CPU seconds (user+sys) of this process and of its waited-for children (the workers), from /proc/self/stat. */
function cpuSeconds(): { self: number; children: number } {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  const tick = 100; // USER_HZ on Linux
  const u = process.cpuUsage();
  return { self: (u.user + u.system) / 1e6, children: (Number(fields[13]) + Number(fields[14])) / tick };
}

async function main(): Promise<void> {
  const preset = choosePreset(flag('--preset') ?? 'auto');
  const full = !OVERRIDES.some((o) => args.includes(o)) && preset === 'nano';
  const out = flag('--out') ?? join(repoRoot, FULL_NANO_GRID.outDir);
  const loads: number[][] = [loadavg()];
  const sampler = setInterval(() => loads.push(loadavg()), 30_000);
  const t0 = Date.now();
  let timing: Record<string, unknown> = {};
  function recordSession(): void {
    clearInterval(sampler);
    loads.push(loadavg());
    const cpu = cpuSeconds();
    const one = loads.map((l) => l[0]!);
    // a killed grid is resumed by rerunning this script: each session adds its own wall, CPU and load to timing.json
    const session = {
      date: new Date().toISOString(),
      wall_s: (Date.now() - t0) / 1000,
      cpu_s: cpu.self + cpu.children,
      load_1min: one,
      cells_run: r?.cells_run ?? null,
    };
    const timingFile = join(out, 'timing.json');
    const sessions = [...(existsSync(timingFile) ? (JSON.parse(readFileSync(timingFile, 'utf8')) as { sessions: (typeof session)[] }).sessions : []), session];
    const loadsAll = sessions.flatMap((x) => x.load_1min).sort((a, b) => a - b);
    timing = {
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} (shared by several engineers)`,
      workers: r?.workers ?? FULL_NANO_GRID.workers,
      cells: r?.cells ?? null,
      wall_s: sessions.reduce((a, x) => a + x.wall_s, 0),
      cpu_s: sessions.reduce((a, x) => a + x.cpu_s, 0),
      load_1min: { min: loadsAll[0], median: loadsAll[Math.floor(loadsAll.length / 2)], max: loadsAll[loadsAll.length - 1], samples: loadsAll.length },
      sessions,
    };
    writeJsonAtomic(timingFile, timing);
  }

  let r: Awaited<ReturnType<typeof runGrid>> | undefined;
  try {
    r = await runGrid({
      preset,
      methods: (flag('--methods')?.split(',') as MethodName[] | undefined) ?? FULL_NANO_GRID.methods,
      tasks: flag('--tasks')?.split(',') ?? FULL_NANO_GRID.tasks,
      malicious: (flag('--malicious')?.split(',') as MaliciousType[] | undefined) ?? FULL_NANO_GRID.malicious,
      supervisors: (flag('--supervisors')?.split(',') as ('free' | 'reward' | 'llm')[] | undefined) ?? FULL_NANO_GRID.supervisors,
      limit: Number(flag('--limit') ?? FULL_NANO_GRID.limit),
      maxTokens: Number(flag('--max-tokens') ?? FULL_NANO_GRID.maxTokens),
      rounds: FULL_NANO_GRID.rounds,
      workers: Number(flag('--workers') ?? FULL_NANO_GRID.workers),
      outDir: out,
    });
  } finally {
    recordSession();
  }
  console.log(JSON.stringify({ preset, timing: { ...timing, sessions: (timing.sessions as unknown[]).length }, generation: r.generation, headline: r.headline, out }, null, 2));
  if (full && r.rows.length === r.cells) writeJsonAtomic(join(repoRoot, FULL_GRID_SNAPSHOT), { ...snapshotOf(out), timing });
}

void main();
