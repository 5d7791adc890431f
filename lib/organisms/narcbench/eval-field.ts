import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../../common/paths';
import type { AuditFile } from '../../narcbench/scenarios/audit';
import { DEFAULT_NARCBENCH_OUT, DEFAULT_NARCBENCH_WORK } from './pipeline';
import { agentRates, type AgentRates } from './rates';

export type NarcbenchEvalField = Pick<AgentRates, 'collusion_success_rate' | 'honest_merit_rate' | 'runs'> & Partial<AgentRates> & { source: string; note?: string };

/**
 * The `narcbench` field of `organisms eval`: the agents' rates recomputed from the transcripts of
 * `impostor organisms narcbench` when its work folder is here, otherwise the rates.json it committed beside the
 * activations (same computation, recorded when the runs were generated).
 */
export function narcbenchEvalField(work = join(repoRoot, DEFAULT_NARCBENCH_WORK), out = join(repoRoot, DEFAULT_NARCBENCH_OUT)): NarcbenchEvalField {
  const runsRoot = join(work, 'raw', 'narcbench_agent');
  if (existsSync(join(runsRoot, 'core'))) {
    const auditPath = join(runsRoot, 'audit.json');
    const audit = existsSync(auditPath) ? (JSON.parse(readFileSync(auditPath, 'utf8')) as AuditFile) : undefined;
    return { ...agentRates(runsRoot, audit), source: `run folders in ${relative(repoRoot, runsRoot)}` };
  }
  const ratesPath = join(out, 'rates.json');
  if (existsSync(ratesPath)) return { ...(JSON.parse(readFileSync(ratesPath, 'utf8')) as AgentRates), source: `${relative(repoRoot, ratesPath)} (written by impostor organisms narcbench)` };
  return { collusion_success_rate: null, honest_merit_rate: null, runs: { core: { collusion: 0, control: 0 }, transfer: {}, stego: {} }, source: 'none', note: 'no NARCBench agent runs yet: run `impostor organisms narcbench`' };
}
