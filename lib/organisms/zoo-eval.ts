import { Progress } from '../common/progress';
import { disposeModel, loadModel, type LoadedModel } from '../models/load';
import { domainMean, evalDomain, type RunCondition } from './evaluate';
import { resolveOrganism } from './organism';
import { buildAllTasks, loadNanoDataset } from './tasks/index';
import { DOMAINS, type Domain } from './tasks/domain';
import { ORGANISMS, zooDir, type OrganismName } from './zoo-paths';
import { narcbenchEvalField, type NarcbenchEvalField } from './narcbench/eval-field';

export type DomainScores = Record<Domain, number>;

export interface ZooEvalResult {
  /** ORGANISM → TASK → mean score, prompt/steer organisms measured with their mechanism applied. */
  amongus: Record<string, DomainScores>;
  /** The prompt and steer organisms without their mechanism (the same weights under the benign prompt). */
  amongus_without_mechanism: Record<string, DomainScores>;
  /** Five-domain mean per organism and its relative change vs base. */
  summary: Record<string, { mean: number; relative_to_base: number }>;
  /** The NARCBench agent organism's Core rates and run counts (see narcbench/rates.ts). */
  narcbench: NarcbenchEvalField;
  items_per_domain: number;
  seconds: number;
}

/**
 * Evaluates organisms on the committed nano test splits: the items are read with the real Among Us loaders, the
 * answers generated greedily through the runtime (benign system prompt unless the organism's mechanism replaces it)
 * and scored by the real scorers. The item formats come from the seed's task builders (for `good`/`bad` nothing is
 * needed here; only the domain's task type and schema are).
 */
export async function evalZoo(opts: { organisms?: readonly OrganismName[]; limit?: number; dir?: string } = {}): Promise<ZooEvalResult> {
  const t0 = Date.now();
  const dir = opts.dir ?? zooDir();
  const tasks = buildAllTasks(0, { dev: 0, test: 0 });
  const items = Object.fromEntries(DOMAINS.map((d) => [d, loadNanoDataset(d, `${dir}/tasks`).test.slice(0, opts.limit ?? Infinity)]));
  const names = opts.organisms ?? ORGANISMS;
  const amongus: Record<string, DomainScores> = {};
  const without: Record<string, DomainScores> = {};
  const models = new Map<string, LoadedModel>();
  const progress = new Progress('organisms eval', names.length, process.stderr, 0);
  const run = async (m: LoadedModel, cond: RunCondition) => {
    const out = {} as DomainScores;
    for (const d of DOMAINS) out[d] = (await evalDomain(m, tasks[d], items[d]!, cond)).mean;
    return out;
  };
  try {
    for (const [i, name] of names.entries()) {
      const org = resolveOrganism(name, dir);
      if (!models.has(org.modelDir)) models.set(org.modelDir, await loadModel(org.modelDir));
      const m = models.get(org.modelDir)!;
      amongus[name] = await run(m, org.active);
      if (org.mechanism !== 'weights') without[name] = await run(m, org.inactive);
      progress.update(i + 1, name);
    }
  } finally {
    for (const m of models.values()) disposeModel(m);
  }
  const baseMean = amongus.base ? domainMean(amongus.base) : NaN;
  const summary = Object.fromEntries(Object.entries(amongus).map(([k, v]) => [k, { mean: domainMean(v), relative_to_base: (domainMean(v) - baseMean) / baseMean }]));
  return {
    amongus,
    amongus_without_mechanism: without,
    summary,
    narcbench: narcbenchEvalField(),
    items_per_domain: Math.min(...Object.values(items).map((x) => x.length)),
    seconds: (Date.now() - t0) / 1000,
  };
}
