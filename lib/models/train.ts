import * as tf from '@tensorflow/tfjs-core';
import type { LoraAdapters } from './decoder';
import type { DecoderModel } from './decoder';
import type { PaddedBatch } from './batch';
import { SeededRandom } from '../common/seeded-random';
import { registerGradients } from '../tensor/register-gradients';
import { disableWasmFastMatMulForTraining } from './wasm-weight-layout';

let gradientsReady = false;

/**
 * Registers tfjs's gradient functions (about 1 s of module loading, so inference never pays it). Call once before
 * tf.grad, variableGrads or trainStep. It also turns the wasm backend's in-place inference weight layout off for the
 * rest of the process (wasm-weight-layout.ts: frozen weights that a gradient tape multiplies must keep one layout);
 * `keepWasmFastInference` keeps it where no gradient flows through model weights (e.g. a router trained on the fly).
 */
export async function enableTraining(options: { keepWasmFastInference?: boolean } = {}): Promise<void> {
  await registerGradients();
  if (!options.keepWasmFastInference) disableWasmFastMatMulForTraining();
  gradientsReady = true;
}

/** A training batch: a left-padded batch plus, optionally, which positions count as targets (e.g. response only). */
export interface TrainingBatch extends PaddedBatch {
  /** [B,T] 1 where the token at that position is a prediction target; default: every real token after the first. */
  labelMask?: number[][];
  /**
   * Compute the output head only at the target positions instead of at every position (same loss; much less work
   * when targets are a short reply after a long prompt). Ignored when the head is split into row blocks.
   */
  headAtTargetsOnly?: boolean;
}

/**
 * Mean next-token cross-entropy over the target positions: the logits at t predict token t+1, counted where both
 * t and t+1 are real tokens and t+1 is a label. Built from tfjs ops so tf.grad/variableGrads differentiate it.
 */
export function causalLmLoss(model: DecoderModel, batch: TrainingBatch, lora?: LoraAdapters): tf.Scalar {
  const B = batch.inputIds.length;
  const T = batch.inputIds[0]!.length;
  const V = model.config.vocabSize;
  const targets: number[] = [];
  const weights: number[] = [];
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T - 1; t++) {
      targets.push(batch.inputIds[b]![t + 1]!);
      const counted = batch.attentionMask[b]![t] === 1 && batch.attentionMask[b]![t + 1] === 1 && (batch.labelMask ? batch.labelMask[b]![t + 1] === 1 : true);
      weights.push(counted ? 1 : 0);
    }
  }
  const total = weights.reduce((a, w) => a + w, 0);
  if (total === 0) throw new Error('training batch has no target positions');
  const headName = model.config.tieWordEmbeddings ? 'model.embed_tokens.weight' : 'lm_head.weight';
  if (batch.headAtTargetsOnly && !model.rowBlocks.has(headName)) {
    const rows: number[] = [];
    const picked: number[] = [];
    weights.forEach((w, i) => {
      if (w === 1) {
        rows.push(Math.floor(i / (T - 1)) * T + (i % (T - 1)));
        picked.push(targets[i]!);
      }
    });
    const { hidden } = model.forward({ ...batch, lora, logits: 'none', capture: { finalNorm: true, layers: [] } });
    const normed = tf.reshape(hidden['final_norm']!, [B * T, model.config.hiddenSize]);
    // A one-hot matmul selects the rows (tfjs-wasm has no gradient kernel for gather).
    const selected = tf.matMul(tf.oneHot(tf.tensor1d(rows, 'int32'), B * T), normed);
    const head = tf.matMul(selected, model.params.get(headName)!, false, true);
    const logProbs = tf.logSoftmax(head);
    return tf.neg(tf.mean(tf.sum(tf.mul(logProbs, tf.oneHot(tf.tensor1d(picked, 'int32'), V)), -1))) as tf.Scalar;
  }
  const { logits } = model.forward({ ...batch, lora, logits: 'all' });
  const predicting = tf.reshape(tf.slice(logits!, [0, 0, 0], [B, T - 1, V]), [B * (T - 1), V]);
  const logProbs = tf.logSoftmax(predicting);
  const picked = tf.sum(tf.mul(logProbs, tf.oneHot(tf.tensor1d(targets, 'int32'), V)), -1);
  return tf.div(tf.neg(tf.sum(tf.mul(picked, tf.tensor1d(weights)))), total) as tf.Scalar;
}

/** Turns the model's weights into trainable variables in place (full fine-tuning) and returns them by name. */
export function makeTrainable(model: DecoderModel): Map<string, tf.Variable> {
  if (model.rowBlocks.size > 0) throw new Error(`full fine-tuning needs whole matrices, but ${[...model.rowBlocks.keys()].join(', ')} is split into row blocks (GPU binding limit); use LoRA or a smaller model`);
  const vars = new Map<string, tf.Variable>();
  for (const [name, t] of model.params) {
    const v = t instanceof tf.Variable ? t : tf.variable(t, true, `${name}#${Math.random().toString(36).slice(2)}`);
    if (v !== t) t.dispose();
    vars.set(name, v);
  }
  model.params = new Map(vars);
  return vars;
}

export interface LoraOptions {
  rank: number;
  alpha: number;
  /** Projection names to adapt (default q/k/v/o). */
  targets?: string[];
  seed?: number;
}

/**
 * LoRA adapters on the attention projections (PEFT's initialisation: A ~ U(−1/√in, 1/√in), B = 0, scale α/r), so the
 * model is unchanged until trained. Only the adapters are variables; base weights stay frozen.
 */
export function createLora(model: DecoderModel, opts: LoraOptions): LoraAdapters {
  const rng = new SeededRandom(opts.seed ?? 0);
  const targets = opts.targets ?? ['q_proj', 'k_proj', 'v_proj', 'o_proj'];
  const adapters: LoraAdapters = new Map();
  for (let i = 0; i < model.config.numLayers; i++) {
    for (const target of targets) {
      const name = `model.layers.${i}.self_attn.${target}`;
      const w = model.params.get(`${name}.weight`);
      if (!w) throw new Error(`LoRA target ${name} does not exist`);
      const [out, inp] = w.shape as [number, number];
      const bound = 1 / Math.sqrt(inp);
      const a = Float32Array.from({ length: opts.rank * inp }, () => (rng.next() * 2 - 1) * bound);
      adapters.set(name, {
        a: tf.variable(tf.tensor2d(a, [opts.rank, inp]), true, `${name}.lora_A#${Math.random().toString(36).slice(2)}`),
        b: tf.variable(tf.zeros([out, opts.rank]), true, `${name}.lora_B#${Math.random().toString(36).slice(2)}`),
        scale: opts.alpha / opts.rank,
      });
    }
  }
  return adapters;
}

/** The LoRA variables by PEFT-style name, for the optimizer. */
export function loraVariables(lora: LoraAdapters): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  for (const [name, { a, b }] of lora) {
    out.set(`${name}.lora_A.weight`, a as tf.Variable);
    out.set(`${name}.lora_B.weight`, b as tf.Variable);
  }
  return out;
}

/** W + scale · B A for every adapted projection: merged weights, ready for saveCheckpoint's overrides. */
export function mergedLoraWeights(model: DecoderModel, lora: LoraAdapters): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const [name, { a, b, scale }] of lora) {
    out.set(`${name}.weight`, tf.tidy(() => tf.add(model.params.get(`${name}.weight`)!, tf.mul(tf.matMul(b, a), scale))));
  }
  return out;
}

export interface AdamWOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

/** AdamW exactly as torch.optim.AdamW: decoupled weight decay, bias-corrected moments. */
export class AdamW {
  private m = new Map<string, tf.Tensor>();
  private v = new Map<string, tf.Tensor>();
  private t = 0;

  constructor(
    private readonly vars: Map<string, tf.Variable>,
    private readonly opts: AdamWOptions,
  ) {}

  /** The step count and moments by variable name (not copies), so long runs can checkpoint and resume exactly. */
  state(): { t: number; m: Map<string, tf.Tensor>; v: Map<string, tf.Tensor> } {
    return { t: this.t, m: this.m, v: this.v };
  }

  /** Restores a state() snapshot; the optimizer takes ownership of the tensors. */
  restore(state: { t: number; m: Map<string, tf.Tensor>; v: Map<string, tf.Tensor> }): void {
    this.t = state.t;
    this.m = state.m;
    this.v = state.v;
  }

  step(grads: Record<string, tf.Tensor>): void {
    const { lr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.01 } = this.opts;
    this.t++;
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    for (const [name, p] of this.vars) {
      const g = grads[p.name];
      if (!g) continue;
      tf.tidy(() => {
        const m = tf.add(tf.mul(this.m.get(name) ?? tf.zerosLike(p), beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(this.v.get(name) ?? tf.zerosLike(p), beta2), tf.mul(tf.square(g), 1 - beta2));
        const update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), eps));
        p.assign(tf.sub(tf.mul(p, 1 - lr * weightDecay), tf.mul(update, lr)));
        this.m.get(name)?.dispose();
        this.v.get(name)?.dispose();
        this.m.set(name, tf.keep(m));
        this.v.set(name, tf.keep(v));
      });
    }
  }
}

/** One optimisation step: loss and gradients for the optimizer's variables, then the AdamW update. Returns the loss. */
export async function trainStep(model: DecoderModel, batch: TrainingBatch, vars: Map<string, tf.Variable>, optimizer: AdamW, lora?: LoraAdapters): Promise<number> {
  if (!gradientsReady) throw new Error('call `await enableTraining()` before training (it registers the gradient functions)');
  const { value, grads } = tf.variableGrads(() => causalLmLoss(model, batch, lora), [...vars.values()]);
  const loss = (await value.data())[0]!;
  optimizer.step(grads);
  tf.dispose([value, ...Object.values(grads)]);
  return loss;
}
