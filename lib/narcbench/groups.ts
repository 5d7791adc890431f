import { UserError } from '../common/errors';
import type { Matrix } from '../probes/matrix';
import { parseRunId } from './metadata';
import type { Tier, TierName } from './tier';

/** One 4-agent run, ready for the five techniques. */
export interface RunGroup {
  runId: string;
  mode: string;
  /** 1 = collusion; 0 = everything else (control, and implicit when included), as `_run_labels` does. */
  label: 0 | 1;
  /** run-id prefix: "deception" (Core), the Transfer family, or "bj" (Stego). */
  scenario: string;
  scenarioId: string;
  /** scenario id minus its trailing _NN: the Core leave-one-domain-out fold key. */
  domain: string;
  /** Agent names, sorted (the original iterates `sorted(agents)`). */
  agents: string[];
  /** Role per sorted agent. */
  roles: string[];
  /** Raw agent vectors (4 × D), rows in `agents` order. */
  vectors: Matrix;
}

/** A run left out of the evaluation, with the reason (reported in outputs and on stderr, never silent). */
export interface SkippedRun {
  tier: TierName;
  runId: string;
  reason: string;
}

export interface GroupOptions {
  /** "discussion" (Core: mean of the 3 public rounds per agent) or "final" (Transfer/Stego: the final public row). */
  phase: 'discussion' | 'final';
  averageRounds: boolean;
  /** Modes to keep; runs of other modes are dropped (explicit mode filter). Undefined keeps all known modes. */
  modes?: readonly string[];
  /** Where the runs' vectors go (one array for all of them; e.g. shared memory for worker threads). */
  alloc?: (length: number) => Float64Array;
}

export const AGENTS_PER_RUN = 4;

/**
 * build_groups(): groups the public rows of one phase by run and agent. Only runs with exactly 4 agents are kept
 * (the techniques assume 2+2 or 4 agents); others are returned in `skipped`.
 */
export function buildGroups(tier: Tier, layer: number, opts: GroupOptions): { groups: RunGroup[]; skipped: SkippedRun[] } {
  const data = tier.layers.get(layer);
  if (!data) throw new Error(`layer ${layer} of ${tier.name} was not loaded`);
  const D = tier.dim;
  const runs = new Map<string, { mode: string; agents: Map<string, { role: string; rows: number[] }> }>();
  tier.meta.forEach((m, i) => {
    if (m.channel !== 'public' || m.phase !== opts.phase) return;
    let run = runs.get(m.run_id);
    if (!run) {
      run = { mode: m.mode, agents: new Map() };
      runs.set(m.run_id, run);
    } else if (run.mode !== m.mode) {
      throw new UserError(`${tier.metadataPath}: run ${m.run_id} mixes modes "${run.mode}" and "${m.mode}" (row ${i}); a run has one mode`);
    }
    let agent = run.agents.get(m.agent_name);
    if (!agent) run.agents.set(m.agent_name, (agent = { role: m.role, rows: [] }));
    agent.rows.push(i);
  });
  const groups: RunGroup[] = [];
  const skipped: SkippedRun[] = [];
  const kept: string[] = [];
  for (const runId of [...runs.keys()].sort()) {
    const run = runs.get(runId)!;
    if (opts.modes && !opts.modes.includes(run.mode)) continue;
    if (run.agents.size !== AGENTS_PER_RUN) {
      skipped.push({ tier: tier.name, runId, reason: `${run.agents.size} agents with public ${opts.phase} rows (need exactly ${AGENTS_PER_RUN})` });
      continue;
    }
    kept.push(runId);
  }
  // One allocation for every run's vectors (each run's matrix is a view of it): thousands of separate 4·D arrays
  // cost more in allocation and page faults than the averaging itself.
  const block = AGENTS_PER_RUN * D;
  const all = opts.alloc ? opts.alloc(kept.length * block) : new Float64Array(kept.length * block);
  kept.forEach((runId, g) => {
    const run = runs.get(runId)!;
    const agents = [...run.agents.keys()].sort();
    const vectors: Matrix = { rows: AGENTS_PER_RUN, cols: D, data: all.subarray(g * block, (g + 1) * block) };
    agents.forEach((name, a) => {
      const rows = run.agents.get(name)!.rows;
      // Final phase: one row per agent; if a file repeats it, the last one wins as in the original's dict update.
      meanOfRows(data, opts.averageRounds ? rows : [rows[rows.length - 1]!], D, vectors.data.subarray(a * D, (a + 1) * D));
    });
    const { scenario, scenarioId, domain } = parseRunId(runId);
    groups.push({
      runId, mode: run.mode, label: run.mode === 'collusion' ? 1 : 0, scenario, scenarioId, domain,
      agents, roles: agents.map((n) => run.agents.get(n)!.role), vectors,
    });
  });
  return { groups, skipped };
}

/**
 * out (length D) ← the float64 mean of the given rows: each column summed in row order from 0, then divided by the
 * row count (the arithmetic of summing whole rows into a zeroed vector, in one pass instead of one per row).
 */
function meanOfRows(data: Float32Array | Float64Array, rows: number[], D: number, out: Float64Array): void {
  const offsets = Int32Array.from(rows, (r) => r * D);
  if (data instanceof Float32Array) meanOfRowsF32(data, offsets, D, out);
  else meanOfRowsF64(data, offsets, D, out);
}

// Two copies of one loop so that each stays monomorphic (one array type per indexed load) for V8's optimiser.
function meanOfRowsF32(data: Float32Array, offsets: Int32Array, D: number, out: Float64Array): void {
  const count = offsets.length;
  for (let j = 0; j < D; j++) {
    let s = 0;
    for (let k = 0; k < count; k++) s += data[offsets[k]! + j]!;
    out[j] = s / count;
  }
}

function meanOfRowsF64(data: Float64Array, offsets: Int32Array, D: number, out: Float64Array): void {
  const count = offsets.length;
  for (let j = 0; j < D; j++) {
    let s = 0;
    for (let k = 0; k < count; k++) s += data[offsets[k]! + j]!;
    out[j] = s / count;
  }
}
