/**
 * Benchmark: our NARCBench main probe pipeline vs the Python/scikit-learn reference on the same NARCBench-sized
 * synthetic dataset (Core 1,700 rows, Transfer 432, Stego 1,320; 5,120 dims; 5 layers), same machine.
 * Runs them in interleaved rounds (ours, reference, then reference, ours, …: the machine is shared, so both
 * should see the same background load), records the 1-minute load average before each run, wall time, CPU time
 * and peak RSS (via /usr/bin/time -v), reports per-column medians and the median per-round ratios, and checks
 * that both produced the same AUROCs.
 *
 *   npm run bench:narcbench-probes [-- --data DIR] [--rounds 3] [--python /usr/bin/python3] [--out bench/narcbench-probes/last-run.json]
 *
 * The dataset is generated once (seed 1) and reused when DIR already holds it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cpus, loadavg, totalmem } from 'node:os';
import { writeJsonAtomic } from '../../lib/common/atomic-write';
import { repoRoot } from '../../lib/common/paths';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const dataDir = resolve(flag('data', join(tmpdir(), 'impostor-bench-narcbench-paper-size')));
const python = flag('python', '/usr/bin/python3');
const outPath = resolve(flag('out', join(repoRoot, 'bench', 'narcbench-probes', 'last-run.json')));
const layers = '0-4';
const nRounds = Math.max(1, Number(flag('rounds', '3')));

interface Measured {
  wallS: number;
  userS: number;
  sysS: number;
  maxRssMb: number;
  exitCode: number;
}

/** Runs a command under /usr/bin/time -v and parses its resource report. */
function timed(cmd: string[], env: NodeJS.ProcessEnv = process.env): Measured {
  const r = spawnSync('/usr/bin/time', ['-v', ...cmd], { cwd: repoRoot, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const err = r.stderr ?? '';
  const num = (re: RegExp) => Number(re.exec(err)?.[1] ?? NaN);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(err);
  const wallS = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN;
  if (r.status !== 0) process.stderr.write(err.slice(-3000));
  return { wallS, userS: num(/User time \(seconds\): ([\d.]+)/), sysS: num(/System time \(seconds\): ([\d.]+)/), maxRssMb: num(/Maximum resident set size \(kbytes\): (\d+)/) / 1024, exitCode: r.status ?? -1 };
}

if (!existsSync(join(dataDir, 'SYNTHETIC.json'))) {
  process.stderr.write(`generating the NARCBench-sized synthetic dataset in ${dataDir} …\n`);
  const g = spawnSync(process.execPath, [join(repoRoot, 'bin', 'impostor.mjs'), 'narcbench', 'synth', '--out', dataDir, '--scale', 'paper-size', '--seed', '1'], { stdio: 'inherit', cwd: repoRoot });
  if (g.status !== 0) throw new Error('synthetic dataset generation failed');
}
const work = mkdtempSync(join(tmpdir(), 'narcbench-bench-'));
const oursJson = join(work, 'ours.json');
const refJson = join(work, 'reference.json');

interface Round {
  ours: Measured & { loadAvg1Before: number };
  reference: Measured & { loadAvg1Before: number };
}

const oursCmd = [process.execPath, join(repoRoot, 'bin', 'impostor.mjs'), 'narcbench', 'probes', '--activations', dataDir, '--layers', layers, '--json', oursJson];
const refCmd = [python, join(repoRoot, 'bench', 'narcbench-probes', 'reference_reproduce.py'), '--data', dataDir, '--layers', layers, '--json', refJson];

/** The machine is shared: rounds alternate ours and the reference so both see the same background load. */
const rounds: Round[] = [];
for (let r = 0; r < nRounds; r++) {
  const oursFirst = r % 2 === 0;
  const run = (which: 'ours' | 'reference') => {
    const loadAvg1Before = loadavg()[0]!;
    process.stderr.write(`round ${r + 1}/${nRounds}: ${which} (load ${loadAvg1Before.toFixed(2)}) … `);
    const m = { ...timed(which === 'ours' ? oursCmd : refCmd), loadAvg1Before };
    process.stderr.write(`${m.wallS.toFixed(1)} s wall, ${(m.userS + m.sysS).toFixed(1)} s CPU, ${m.maxRssMb.toFixed(0)} MB\n`);
    if (m.exitCode !== 0) throw new Error(`${which} failed; see the output above`);
    return m;
  };
  const first = run(oursFirst ? 'ours' : 'reference');
  const second = run(oursFirst ? 'reference' : 'ours');
  rounds.push(oursFirst ? { ours: first, reference: second } : { ours: second, reference: first });
}

// Same numbers? Compare every per-layer AUROC (of the last round's outputs).
const a = JSON.parse(readFileSync(oursJson, 'utf8'));
const b = JSON.parse(readFileSync(refJson, 'utf8'));
let maxDiff = 0;
let compared = 0;
for (const g of b.group_order as string[]) {
  for (const t of Object.keys(b.groups[g])) {
    (b.groups[g][t].values as number[]).forEach((v, i) => {
      maxDiff = Math.max(maxDiff, Math.abs(v - a.groups[g][t].values[i]));
      compared++;
    });
  }
}
const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const cpu = (m: Measured) => m.userS + m.sysS;
const summary = {
  oursWallS: median(rounds.map((r) => r.ours.wallS)),
  oursCpuS: median(rounds.map((r) => cpu(r.ours))),
  oursMaxRssMb: median(rounds.map((r) => r.ours.maxRssMb)),
  referenceWallS: median(rounds.map((r) => r.reference.wallS)),
  referenceCpuS: median(rounds.map((r) => cpu(r.reference))),
  referenceMaxRssMb: median(rounds.map((r) => r.reference.maxRssMb)),
  // Per-round ratios (reference / ours; > 1 means ours is faster), then their medians.
  wallRatio: median(rounds.map((r) => r.reference.wallS / r.ours.wallS)),
  cpuRatio: median(rounds.map((r) => cpu(r.reference) / cpu(r.ours))),
  wallRatios: rounds.map((r) => Number((r.reference.wallS / r.ours.wallS).toFixed(3))),
  cpuRatios: rounds.map((r) => Number((cpu(r.reference) / cpu(r.ours)).toFixed(3))),
  loadAvg1: median(rounds.flatMap((r) => [r.ours.loadAvg1Before, r.reference.loadAvg1Before])),
};
const git = (args: string[]) => spawnSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).stdout?.trim() ?? '';
const result = {
  // The code measured: HEAD, and whether the probe sources differed from it (uncommitted edits).
  code: { commit: git(['rev-parse', '--short', 'HEAD']), probeSourcesModified: git(['status', '--porcelain', '--', 'lib/probes', 'lib/narcbench', 'bench/narcbench-probes/reference_reproduce.py']) !== '' },
  dataset: { dir: dataDir, scale: 'paper-size', seed: 1, layers },
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memGb: Math.round(totalmem() / 2 ** 30), node: process.version, python },
  rounds,
  medians: summary,
  auroc: { compared, maxAbsDiff: maxDiff },
};
writeJsonAtomic(outPath, result);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(
  `\nmedians over ${nRounds} interleaved rounds (load ${summary.loadAvg1.toFixed(2)}): ours ${summary.oursWallS.toFixed(1)} s wall (${summary.oursCpuS.toFixed(1)} s CPU, ${summary.oursMaxRssMb.toFixed(0)} MB peak RSS) vs reference ${summary.referenceWallS.toFixed(1)} s wall (${summary.referenceCpuS.toFixed(1)} s CPU, ${summary.referenceMaxRssMb.toFixed(0)} MB): wall ratio ${summary.wallRatio.toFixed(2)}×, CPU ratio ${summary.cpuRatio.toFixed(2)}×; max |ΔAUROC| ${maxDiff.toExponential(2)} over ${compared} values\n`,
);
