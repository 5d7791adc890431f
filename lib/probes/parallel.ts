/**
 * The main probe pipeline spread over worker threads (`narcbench probes --threads N`). The units of work are
 * independent: per (seed, layer) one global-probe unit (direction + run classifiers on all Core, then Transfer and
 * Stego) and one unit per leave-one-domain-out fold (warm-started from that layer's global direction, as the
 * sequential runProbes does). Activations are moved once into SharedArrayBuffers, so every worker reads the same
 * memory. Each unit runs exactly the code runProbes runs, with the same inputs (the warm start is passed as its
 * float64 coefficients), and the fold AUROCs are combined in fold order, so the result is identical to
 * runProbes — only the wall time changes. The mlp variant runs on workers the same way (its folds take no warm start,
 * and every MLP fit depends only on its inputs and random_state); other variants (and per-seed ones) run sequentially.
 *
 * Workers need Node's worker_threads; they load a cached bundle of probe-worker-main.ts, or the TypeScript through tsx
 * (probe-worker.mjs) where none can be built (worker-bundle.ts). Notebooks and most tests call runProbes.
 */
import { Worker } from 'node:worker_threads';
import type { NarcbenchData } from '../narcbench/dataset';
import type { Tier } from '../narcbench/tier';
import { assembleProbesResult, combineFolds, layerGroups, runProbes, type FoldReport, type LayerGroups, type ProbeRunOptions, type ProbesResult } from './pipeline';
import type { GroupValues, ProbeVariant } from './variant';
import { probeWorkerUrl } from './worker-bundle';

/** Messages to a worker. */
export type WorkerTask =
  | { kind: 'init'; data: NarcbenchData; variant: string; includeImplicit: boolean }
  | { kind: 'layer'; layer: number; arrays: LayerArrays; groups: LayerGroups }
  | { kind: 'drop'; layer: number }
  | { kind: 'global'; id: number; seed: number; layer: number }
  | { kind: 'fold'; id: number; seed: number; layer: number; domain: string; warm: WarmStart | null };

/** One layer's activations of the three tiers (in SharedArrayBuffers), sent to the workers as it is loaded. */
export type LayerArrays = Record<'core' | 'transfer' | 'stego', Float32Array | Float64Array>;

/** Reads layer `layer` into the run's data; shared arrays come from `alloc` (which recycles dropped layers'). */
export type LayerLoader = (layer: number, alloc?: (bytes: number) => SharedArrayBuffer) => void;

/** The global direction's LR (the folds' L-BFGS starting point). */
export interface WarmStart {
  coef: Float64Array;
  intercept: number;
}

/** Messages from a worker. */
export type WorkerReply =
  | { kind: 'global'; id: number; values: GroupValues; domains: string[]; warm: WarmStart | null; skipped: LayerGroups['skipped'] }
  | { kind: 'fold'; id: number; report: FoldReport }
  | { kind: 'error'; id: number; message: string };

/** A copy of the tier whose layer arrays live in SharedArrayBuffers (shared, not copied, when posted to workers). */
function sharedTier(tier: Tier): Tier {
  const layers = new Map<number, Float32Array | Float64Array>();
  for (const [l, arr] of tier.layers) layers.set(l, sharedArray(arr));
  return { ...tier, layers };
}

function sharedArray(arr: Float32Array | Float64Array): Float32Array | Float64Array {
  if (arr.buffer instanceof SharedArrayBuffer) return arr;
  const buf = new SharedArrayBuffer(arr.byteLength);
  const view = arr instanceof Float32Array ? new Float32Array(buf) : new Float64Array(buf);
  view.set(arr);
  return view;
}

/** Moves a dataset's activations into shared memory (the originals become garbage if the caller drops them). */
export function shareNarcbench(data: NarcbenchData): NarcbenchData {
  return { ...data, core: sharedTier(data.core), transfer: sharedTier(data.transfer), stego: sharedTier(data.stego) };
}

/** Layers in memory at most when the runner reads them one at a time (the folds of one, the global unit of the next, one read ahead). */
const LAYERS_AHEAD = 3;

/** Probe workers started ahead of the work (startProbeWorkers), so that their start-up overlaps loading the data. */
export interface ProbeWorkers {
  workers: Worker[];
}

/**
 * Starts `threads` probe workers now (the bundled worker, see worker-bundle.ts); pass them to runProbesParallel,
 * which terminates them. They do not keep the process alive until then, so a failed data load still exits.
 */
export function startProbeWorkers(threads: number): ProbeWorkers {
  const url = probeWorkerUrl();
  const workers = Array.from({ length: Math.max(1, Math.floor(threads)) }, () => new Worker(url));
  for (const w of workers) w.unref();
  return { workers };
}

/** Whether runProbesParallel will use workers for this variant and these options (otherwise it runs runProbes). */
export function runsOnWorkers(variant: ProbeVariant, threads: number, layers: number[]): boolean {
  return Math.floor(threads) >= 2 && (variant.name === 'main' || variant.name === 'mlp') && !variant.evaluateSeed && layers.length > 0;
}

/**
 * runProbes on `threads` worker threads (see module comment); falls back to runProbes when it cannot help. `started`:
 * workers from startProbeWorkers (terminated here either way). `loadLayer`: `data` holds only some of opts.layers
 * (at least the first), and loadLayer(l) reads layer l into it (addNarcbenchLayer): the workers start on the first
 * layer while the next ones are read (one per reply, at most `layersAhead` in memory), and a layer is dropped once its
 * last unit is done, its shared buffers reused for the next layer read (a dropped buffer is not freed before every
 * thread has collected its views of it, which idle threads may not do for the whole run).
 */
export async function runProbesParallel(data: NarcbenchData, variant: ProbeVariant, opts: ProbeRunOptions & { threads: number; started?: ProbeWorkers; loadLayer?: LayerLoader; layersAhead?: number }): Promise<ProbesResult> {
  const isLoaded = (layer: number) => data.core.layers.has(layer);
  if (!runsOnWorkers(variant, opts.threads, opts.layers)) {
    await Promise.all((opts.started?.workers ?? []).map((w) => w.terminate()));
    for (const l of opts.layers) if (!isLoaded(l)) opts.loadLayer!(l);
    return runProbes(data, variant, opts);
  }
  const includeImplicit = opts.includeImplicit ?? false;
  const seeds = variant.seeds(opts.seeds);
  const shared = shareNarcbench(data);
  const workers = (opts.started ?? startProbeWorkers(opts.threads)).workers;
  for (const w of workers) {
    w.ref();
    w.postMessage({ kind: 'init', data: shared, variant: variant.name, includeImplicit } satisfies WorkerTask);
  }
  const tiers = ['core', 'transfer', 'stego'] as const;
  const spare: SharedArrayBuffer[] = [];
  const alloc = (bytes: number) => {
    const i = spare.findIndex((b) => b.byteLength === bytes);
    return i >= 0 ? spare.splice(i, 1)[0]! : new SharedArrayBuffer(bytes);
  };
  /**
   * Sends a loaded layer to every worker (before any task that needs it: messages arrive in order), with its run
   * groups built here once, in shared memory, instead of once in each worker.
   */
  const sendLayer = (layer: number) => {
    const arrays = {} as LayerArrays;
    for (const t of tiers) shared[t].layers.set(layer, (arrays[t] = sharedArray(data[t].layers.get(layer)!)));
    const groups = layerGroups(data, layer, includeImplicit, (length) => new Float64Array(new SharedArrayBuffer(length * 8)));
    for (const w of workers) w.postMessage({ kind: 'layer', layer, arrays, groups } satisfies WorkerTask);
  };
  /** Reads a layer (loadLayer) and sends it. */
  const ensureLoaded = (layer: number) => {
    if (isLoaded(layer)) return;
    opts.loadLayer!(layer, alloc);
    sendLayer(layer);
  };
  if (opts.loadLayer) for (const l of opts.layers) if (isLoaded(l)) sendLayer(l);
  const dropped = new Set<number>();
  const prefetch = () => {
    const next = opts.layers.find((l) => !isLoaded(l) && !dropped.has(l));
    if (next !== undefined && opts.layers.filter(isLoaded).length < (opts.layersAhead ?? LAYERS_AHEAD)) ensureLoaded(next);
  };
  // Lazily loaded layers are dropped after their last unit (variants with a null probe read every layer at the end).
  const dropsLayers = opts.loadLayer !== undefined && !variant.nullProbe;
  const unitsLeft = new Map<number, number>();

  type Unit = { seed: number; layer: number; values?: GroupValues; folds?: (FoldReport | undefined)[]; pending: number };
  const units: Unit[] = [];
  for (const seed of seeds) for (const layer of opts.layers) units.push({ seed, layer, pending: -1 });
  for (const u of units) unitsLeft.set(u.layer, (unitsLeft.get(u.layer) ?? 0) + 1);
  let skipped: LayerGroups['skipped'] | undefined;
  let done = 0;
  const queue: { task: WorkerTask; unit: Unit; fold?: number }[] = units.map((unit, id) => ({ task: { kind: 'global', id, seed: unit.seed, layer: unit.layer }, unit }));
  let nextId = units.length;
  const inFlight = new Map<number, { unit: Unit; fold?: number }>();

  try {
    await new Promise<void>((resolve, reject) => {
      const finishUnit = (unit: Unit) => {
        unit.values!['Held-out'] = combineFolds(unit.folds as FoldReport[]).values;
        done++; // not inside onProgress?.(…): optional chaining would skip the increment without a callback
        opts.onProgress?.(done, units.length);
        const left = unitsLeft.get(unit.layer)! - 1;
        unitsLeft.set(unit.layer, left);
        if (left === 0 && dropsLayers) {
          // Every unit of the layer has replied, so no worker reads these arrays any more.
          for (const t of tiers) {
            const arr = shared[t].layers.get(unit.layer)!;
            if (arr.buffer instanceof SharedArrayBuffer && arr.byteLength === arr.buffer.byteLength) spare.push(arr.buffer);
            data[t].layers.delete(unit.layer);
            shared[t].layers.delete(unit.layer);
          }
          dropped.add(unit.layer);
          for (const w of workers) w.postMessage({ kind: 'drop', layer: unit.layer } satisfies WorkerTask);
        }
        if (done === units.length) resolve();
      };
      const idle = new Set<Worker>();
      const dispatch = (w: Worker) => {
        // Folds first (small units that balance the workers at the end), but the next global unit (≈ 2–3 folds of
        // work, and it releases the next 17 folds) as soon as fewer folds are queued than there are workers, so
        // that the others have folds to work on meanwhile instead of waiting for it.
        const folds = queue.filter((q) => q.task.kind === 'fold').length;
        const globalIdx = queue.findIndex((q) => q.task.kind === 'global');
        const idx = globalIdx >= 0 && folds < workers.length ? globalIdx : queue.findIndex((q) => q.task.kind === 'fold');
        const item = queue.splice(idx >= 0 ? idx : 0, 1)[0];
        if (!item) {
          idle.add(w);
          return;
        }
        idle.delete(w);
        if (item.task.kind === 'global') ensureLoaded(item.task.layer);
        inFlight.set((item.task as { id: number }).id, { unit: item.unit, fold: item.fold });
        w.postMessage(item.task);
      };
      // Loading errors (a bad layer found while the workers run) end the run like a worker's error.
      const guarded = (step: () => void) => {
        try {
          step();
        } catch (err) {
          reject(err);
        }
      };
      for (const w of workers) {
        w.on('error', reject);
        w.on('exit', (code) => { if (done < units.length) reject(new Error(`probe worker exited (code ${code}) before the work was done`)); });
        w.on('message', (msg: WorkerReply) => {
          const slot = inFlight.get(msg.id);
          inFlight.delete(msg.id);
          if (msg.kind === 'error' || !slot) {
            reject(new Error(msg.kind === 'error' ? msg.message : `unexpected reply ${msg.id}`));
            return;
          }
          const unit = slot.unit;
          if (msg.kind === 'global') {
            skipped ??= msg.skipped;
            unit.values = msg.values;
            unit.folds = new Array(msg.domains.length);
            unit.pending = msg.domains.length;
            msg.domains.forEach((domain, i) => {
              queue.push({ task: { kind: 'fold', id: nextId++, seed: unit.seed, layer: unit.layer, domain, warm: msg.warm }, unit, fold: i });
            });
            if (unit.pending === 0) finishUnit(unit);
          } else {
            unit.folds![slot.fold!] = msg.report;
            if (--unit.pending === 0) finishUnit(unit);
          }
          guarded(() => {
            dispatch(w);
            // A global unit may have queued folds for an idle worker.
            for (const other of [...idle]) dispatch(other);
            prefetch(); // after dispatching, so that no worker waits for the read
          });
        });
      }
      guarded(() => {
        for (const w of workers) dispatch(w);
        prefetch();
      });
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return assembleProbesResult(data, variant, opts, seeds, units.map((u) => u.values!), skipped ?? (opts.layers.length ? layerGroups(data, opts.layers[0]!, includeImplicit).skipped : []));
}
