import * as tf from '@tensorflow/tfjs-core';
import { mkdirSync } from 'node:fs';
import { Progress } from '../common/progress';
import { UserError } from '../common/errors';
import type { LoadedModel } from '../models/load';
import { saveCheckpoint } from '../models/save';
import { SeededRandom } from '../common/seeded-random';
import { AdamW, createLora, loraVariables, makeTrainable, mergedLoraWeights, trainStep, type TrainingBatch } from '../models/train';
import type { LoraAdapters } from '../models/decoder';
import type { TokenizedExample } from './examples';
import { cosineLr } from './schedule';
import { loadTrainState, saveTrainState } from './train-state';

export interface SftOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  warmupFrac?: number;
  weightDecay?: number;
  /** LoRA on q/k/v/o instead of full fine-tuning. */
  lora?: { rank: number; alpha: number };
  /** Pack several examples into rows of up to this many tokens (TRL packing: no cross-example masking). */
  packTo?: number;
  /** Compute the output head only at target positions (same loss, less work for short replies to long prompts). */
  headAtTargetsOnly?: boolean;
  /**
   * Batch rows of similar length (each epoch: sort the shuffled rows by length, cut into batches, shuffle the batches),
   * so that a few long examples do not pad every batch to their length. Off: batches follow the shuffled order.
   */
  groupByLength?: boolean;
  seed: number;
  /** Folder for checkpoint/resume state; saved every `checkpointEvery` steps. */
  stateDir?: string;
  checkpointEvery?: number;
  /** Identifies the run for resume (a state with another key is ignored). */
  runKey?: string;
  label?: string;
  quiet?: boolean;
  /** Stop (after saving state) once this many steps have run in this call: long runs in chunks, or an interruption. */
  stopAfterSteps?: number;
}

export interface SftResult {
  losses: number[];
  steps: number;
  seconds: number;
  tokens: number;
  /** The adapters when training LoRA (the base weights are untouched). */
  lora?: LoraAdapters;
  vars: Map<string, tf.Variable>;
}

/** Rows for one epoch: shuffled examples, greedily packed into rows of ≤ packTo tokens (or one example per row). */
export function packRows(examples: readonly TokenizedExample[], order: readonly number[], packTo?: number): TokenizedExample[] {
  if (!packTo) return order.map((i) => examples[i]!);
  const rows: TokenizedExample[] = [];
  let cur: TokenizedExample = { ids: [], labels: [] };
  for (const i of order) {
    const ex = examples[i]!;
    if (cur.ids.length > 0 && cur.ids.length + ex.ids.length > packTo) {
      rows.push(cur);
      cur = { ids: [], labels: [] };
    }
    cur = { ids: [...cur.ids, ...ex.ids], labels: [...cur.labels, ...ex.labels] };
  }
  if (cur.ids.length) rows.push(cur);
  return rows;
}

/** Left-pads rows into a training batch whose label mask keeps only assistant positions. */
export function toBatch(rows: readonly TokenizedExample[], padId: number): TrainingBatch {
  const T = Math.max(...rows.map((r) => r.ids.length));
  return {
    inputIds: rows.map((r) => [...new Array(T - r.ids.length).fill(padId), ...r.ids]),
    attentionMask: rows.map((r) => [...new Array(T - r.ids.length).fill(0), ...r.ids.map(() => 1)]),
    labelMask: rows.map((r) => [...new Array(T - r.ids.length).fill(0), ...r.labels]),
  };
}

/** The whole run's batches (a pure function of the examples and seed, so a resumed run replays the same ones). */
export function planBatches(examples: readonly TokenizedExample[], opts: Pick<SftOptions, 'epochs' | 'batchSize' | 'packTo' | 'seed' | 'groupByLength'>): TokenizedExample[][] {
  const rng = new SeededRandom(opts.seed);
  const batches: TokenizedExample[][] = [];
  for (let e = 0; e < opts.epochs; e++) {
    const order = examples.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const rows = packRows(examples, order, opts.packTo);
    if (opts.groupByLength) rows.sort((a, b) => a.ids.length - b.ids.length);
    const epoch: TokenizedExample[][] = [];
    for (let i = 0; i < rows.length; i += opts.batchSize) epoch.push(rows.slice(i, i + opts.batchSize));
    if (opts.groupByLength) {
      for (let i = epoch.length - 1; i > 0; i--) {
        const j = Math.floor(rng.next() * (i + 1));
        [epoch[i], epoch[j]] = [epoch[j]!, epoch[i]!];
      }
    }
    batches.push(...epoch);
  }
  return batches;
}

/**
 * Supervised fine-tuning: AdamW with a cosine schedule, loss on assistant tokens only, full or LoRA, optional
 * packing, progress with ETA on stderr, and checkpoint/resume through `stateDir`. The model is modified in place
 * (full) or gets adapters (LoRA; use `saveSft` to write the merged model).
 */
export async function trainSft(m: LoadedModel, examples: readonly TokenizedExample[], opts: SftOptions): Promise<SftResult> {
  if (examples.length === 0) throw new UserError('SFT: no training examples');
  const lora = opts.lora ? createLora(m.model, { rank: opts.lora.rank, alpha: opts.lora.alpha, seed: opts.seed }) : undefined;
  const vars = lora ? loraVariables(lora) : makeTrainable(m.model);
  const sched = { lr: opts.lr, weightDecay: opts.weightDecay ?? 0.0 };
  // AdamW reads its options object on every step, so the schedule updates `sched.lr` in place.
  const opt = new AdamW(vars, sched);
  const batches = planBatches(examples, opts);
  const runKey = opts.runKey ?? `sft:${opts.seed}:${examples.length}:${batches.length}`;
  let start = 0;
  if (opts.stateDir) {
    mkdirSync(opts.stateDir, { recursive: true });
    start = loadTrainState(opts.stateDir, runKey, vars, opt);
  }
  const progress = new Progress(opts.label ?? 'sft', batches.length, opts.quiet ? nullStream : process.stderr, 5000);
  const losses: number[] = [];
  const t0 = Date.now();
  let tokens = 0;
  const end = opts.stopAfterSteps === undefined ? batches.length : Math.min(batches.length, start + opts.stopAfterSteps);
  for (let step = start; step < end; step++) {
    sched.lr = cosineLr(step, batches.length, opts.lr, opts.warmupFrac ?? 0.1);
    const batch = { ...toBatch(batches[step]!, m.tokenizer.padTokenId), headAtTargetsOnly: opts.headAtTargetsOnly };
    tokens += batch.inputIds.length * batch.inputIds[0]!.length;
    losses.push(await trainStep(m.model, batch, vars, opt, lora));
    progress.update(step + 1, `loss ${losses[losses.length - 1]!.toFixed(3)}`);
    const due = (opts.checkpointEvery && (step + 1) % opts.checkpointEvery === 0) || step + 1 === end;
    if (opts.stateDir && due && step + 1 < batches.length) {
      await saveTrainState(opts.stateDir, { step: step + 1, runKey }, vars, opt);
    }
  }
  return { losses, steps: batches.length, seconds: (Date.now() - t0) / 1000, tokens, lora, vars };
}

/** Saves the fine-tuned model as an HF checkpoint (LoRA merged into the base weights, as `lora_to_full` does). */
export async function saveSft(m: LoadedModel, result: SftResult, outDir: string, dtype: 'F32' | 'BF16' = 'F32'): Promise<void> {
  await saveCheckpoint(m, outDir, { dtype, overwrite: true, overrides: result.lora ? mergedLoraWeights(m.model, result.lora) : undefined });
}

const nullStream = { write: () => true } as unknown as NodeJS.WritableStream;
