/** Worker side of parallel.ts: evaluates global-probe and fold units on the shared activations. */
import { parentPort } from 'node:worker_threads';
import type { NarcbenchData } from '../narcbench/dataset';
import type { LinearScorer } from './direction';
import { evaluateFold, evaluateGlobal, fitGlobalProbe, heldOutDomains, layerGroups, type LayerGroups } from './pipeline';
import type { WarmStart, WorkerReply, WorkerTask } from './parallel';
import type { AgentScorer, ProbeVariant } from './variant';
import { getVariant } from './variants';

let data: NarcbenchData | undefined;
let variant: ProbeVariant | undefined;
let includeImplicit = false;
const groupsCache = new Map<number, LayerGroups>();
/** Run groups the runner built and sent with a layer (when it reads layers one at a time), until it drops the layer. */
const sentGroups = new Map<number, LayerGroups>();

/**
 * The run groups of a layer for a fold unit: Core only is kept (folds never read Transfer or Stego), for the two most
 * recent layers (units arrive roughly layer by layer), to bound each worker's memory.
 */
function foldGroupsAt(layer: number): LayerGroups {
  let g = sentGroups.get(layer) ?? groupsCache.get(layer);
  if (!g) g = cacheCoreGroups(layerGroups(data!, layer, includeImplicit));
  return g;
}

/** The full groups for a global unit (built fresh; its Core part is cached for the folds that follow). */
function globalGroupsAt(layer: number): LayerGroups {
  const sent = sentGroups.get(layer);
  if (sent) return sent;
  const cached = groupsCache.get(layer);
  const full = layerGroups(data!, layer, includeImplicit);
  if (!cached) cacheCoreGroups(full);
  return full;
}

function cacheCoreGroups(full: LayerGroups): LayerGroups {
  if (groupsCache.size >= 2) groupsCache.delete(groupsCache.keys().next().value as number);
  const core: LayerGroups = { ...full, transfer: [], stego: [] };
  groupsCache.set(full.layer, core);
  return core;
}

function reply(msg: WorkerReply): void {
  parentPort!.postMessage(msg);
}

parentPort!.on('message', (task: WorkerTask) => {
  if (task.kind === 'init') {
    data = task.data;
    variant = getVariant(task.variant);
    includeImplicit = task.includeImplicit;
    return;
  }
  if (task.kind === 'layer') {
    for (const t of ['core', 'transfer', 'stego'] as const) data![t].layers.set(task.layer, task.arrays[t]);
    sentGroups.set(task.layer, task.groups);
    return;
  }
  if (task.kind === 'drop') {
    for (const t of ['core', 'transfer', 'stego'] as const) data![t].layers.delete(task.layer);
    groupsCache.delete(task.layer);
    sentGroups.delete(task.layer);
    return;
  }
  try {
    if (task.kind === 'global') {
      const groups = globalGroupsAt(task.layer);
      const probe = fitGlobalProbe(data!, groups, variant!, task.seed);
      const { values } = evaluateGlobal(groups, probe);
      probe.release();
      const model = (probe.scorer as LinearScorer).model;
      const warm: WarmStart | null = model ? { coef: model.coef, intercept: model.intercept } : null;
      reply({ kind: 'global', id: task.id, values, domains: heldOutDomains(groups), warm, skipped: groups.skipped });
    } else {
      // The sequential pipeline passes the global scorer; trainLogisticDirection reads only its fitted LR.
      const warmStart = task.warm ? ({ model: { coef: task.warm.coef, intercept: task.warm.intercept, iterations: 0, gradNorm: 0 } } as unknown as AgentScorer) : undefined;
      reply({ kind: 'fold', id: task.id, report: evaluateFold(data!, foldGroupsAt(task.layer), variant!, task.seed, task.domain, warmStart) });
    }
  } catch (err) {
    reply({ kind: 'error', id: task.id, message: (err as Error).stack ?? String(err) });
  }
});
