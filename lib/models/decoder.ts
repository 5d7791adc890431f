import * as tf from '@tensorflow/tfjs-core';
import { UserError } from '../common/errors';
import type { DecoderConfig } from './config';
import type { KvCache } from './kv-cache';
import { ropeInverseFrequencies, ropeTables } from './rope';
import { inputMajorView, restoreHfLayout, wasmFastMatMulApplies } from './wasm-weight-layout';
import { attentionFused, attentionFusedApplies, fastMatMulApplies, fusedKernelsApply, matMulSwiglu, matMulTransposedB, rmsNormFused, ropeTransposeFused, swigluFused } from './webgpu-kernels';

/** Positions at which a steering vector is added: every position, the last one of each forward call, or a 0/1 mask [B,T]. */
export type SteerPositions = 'all' | 'last' | { mask: number[][] };

/** Adds `coeff · vector` to the output of block `layer` (before the next block sees it). */
export interface Steering {
  layer: number;
  vector: Float32Array;
  coeff: number;
  positions: SteerPositions;
}

/** Which hidden states to return. Keys are `embeddings`, `layer_<i>`, `final_norm`. */
export interface CaptureSpec {
  embeddings?: boolean;
  layers?: number[] | 'all';
  finalNorm?: boolean;
  /** `all` → [B,T,H]; `last` → [B,H] at the last position (left padding puts every row's last token there). */
  positions?: 'all' | 'last';
}

/** Low-rank adapters by linear name (e.g. `model.layers.0.self_attn.q_proj`): y += scale · x Aᵀ Bᵀ. */
export type LoraAdapters = Map<string, { a: tf.Tensor2D; b: tf.Tensor2D; scale: number }>;

export interface ForwardInput {
  /** [B,T] token ids of this call (already left-padded to a rectangle). */
  inputIds: number[][];
  /** [B, cached + T]: 1 for real tokens, 0 for padding, covering the cache and this call. */
  attentionMask: number[][];
  cache?: KvCache;
  capture?: CaptureSpec;
  steer?: Steering[];
  logits?: 'all' | 'last' | 'none';
  lora?: LoraAdapters;
}

export interface ForwardOutput {
  /** [B,T,V] or [B,V]. */
  logits?: tf.Tensor;
  /** A plain object (not a Map) so that tf.tidy keeps these tensors when the output is returned from it. */
  hidden: Record<string, tf.Tensor>;
}

/** Additive mask value: finite so that rows with no visible key (padding queries) stay finite instead of NaN. */
const MASKED = -1e9;

/**
 * A Llama-family decoder (Qwen2/Qwen3/Llama/Mistral) written with tfjs ops. `forward` creates tensors and does not
 * tidy them, so it composes with tf.grad for training; inference callers wrap it in tf.tidy.
 */
export class DecoderModel {
  readonly invFreq: Float32Array;
  /** Weights by HF name; on wasm inference the linear weights may hold [in, out] data (wasm-weight-layout). */
  private weights: Map<string, tf.Tensor>;

  constructor(
    readonly config: DecoderConfig,
    params: Map<string, tf.Tensor>,
    /**
     * Matrices too large for one GPU storage binding (WebGPU caps bindings at 2 GiB; a 152k×3584 f32 embedding is
     * 2.18 GB), kept as row blocks under their HF name instead of in `params`. Inference only.
     */
    readonly rowBlocks: Map<string, tf.Tensor2D[]> = new Map(),
  ) {
    this.invFreq = ropeInverseFrequencies(config);
    this.weights = params;
  }

  /**
   * Weights by HF name, in HF layout (reading them restores any weight that wasm inference had transposed in place).
   * Training swaps in tf.Variables under the same names.
   */
  get params(): Map<string, tf.Tensor> {
    for (const t of this.weights.values()) restoreHfLayout(t);
    return this.weights;
  }

  set params(weights: Map<string, tf.Tensor>) {
    this.weights = weights;
  }

  /** Embedding lookup, block by block when the table is split (each id falls in exactly one block). */
  private embed(ids: tf.Tensor2D): tf.Tensor3D {
    const blocks = this.rowBlocks.get('model.embed_tokens.weight');
    if (!blocks) return embedTokens(this.p('model.embed_tokens.weight') as tf.Tensor2D, ids);
    let start = 0;
    let sum: tf.Tensor3D | undefined;
    for (const block of blocks) {
      const rows = block.shape[0];
      const local = tf.sub(ids, tf.scalar(start, 'int32'));
      const inside = tf.expandDims(tf.cast(tf.logicalAnd(tf.greaterEqual(local, 0), tf.less(local, rows)), 'float32'), 2);
      const part = tf.mul(tf.gather(block, tf.cast(tf.clipByValue(local, 0, rows - 1), 'int32')), inside) as tf.Tensor3D;
      sum = sum ? (tf.add(sum, part) as tf.Tensor3D) : part;
      start += rows;
    }
    return sum!;
  }

  /** h·Wᵀ for the output head, concatenated over row blocks when the matrix is split. */
  private head(h: tf.Tensor2D): tf.Tensor2D {
    const name = this.config.tieWordEmbeddings ? 'model.embed_tokens.weight' : 'lm_head.weight';
    const blocks = this.rowBlocks.get(name);
    // The WGSL GEMV for ≤ 8 rows (decode, last-position logits) and the tiled kernel from 256 rows; in between a
    // 128-row tile would mostly multiply padding against the whole vocabulary, so tfjs's matmul keeps those.
    const rows = h.shape[0];
    const ours = (w: tf.Tensor2D) => (rows <= 8 || rows >= 256) && fastMatMulApplies(rows, w.shape[0], w.shape[1]);
    const mm = (w: tf.Tensor2D): tf.Tensor2D => (ours(w) ? (matMulTransposedB(h, w) as tf.Tensor2D) : (tf.matMul(h, w, false, true) as tf.Tensor2D));
    if (!blocks) return mm(this.p(name) as tf.Tensor2D);
    return tf.concat(blocks.map(mm), 1) as tf.Tensor2D;
  }

  private rotation: tf.Tensor2D | undefined;

  /** The [D,D] signed permutation R with x·R = rotate_half(x): one matmul instead of split/neg/concat (fewer dispatches). */
  private rotateHalf(): tf.Tensor2D {
    if (!this.rotation) {
      const D = this.config.headDim;
      const half = D / 2;
      const r = new Float32Array(D * D);
      for (let i = 0; i < half; i++) {
        r[(i + half) * D + i] = -1;
        r[i * D + i + half] = 1;
      }
      this.rotation = tf.keep(tf.tensor2d(r, [D, D]));
    }
    return this.rotation;
  }

  private p(name: string): tf.Tensor {
    const t = this.weights.get(name);
    if (!t) throw new Error(`internal: parameter ${name} not loaded`);
    return t;
  }

  forward(input: ForwardInput): ForwardOutput {
    const c = this.config;
    const B = input.inputIds.length;
    const T = input.inputIds[0]?.length ?? 0;
    if (B === 0 || T === 0) throw new UserError('forward: empty batch (need at least one sequence with at least one token)');
    const past = input.cache?.length ?? 0;
    const S = past + T;
    checkRectangle(input.inputIds, T, 'input ids');
    checkRectangle(input.attentionMask, S, 'attention mask');
    checkWasmAttentionFits(B, c.numHeads, T, S);
    const captureLayers = resolveLayers(input.capture?.layers, c.numLayers);
    const capturePos = input.capture?.positions ?? 'all';
    const hidden: Record<string, tf.Tensor> = {};
    const take = (key: string, x: tf.Tensor3D) => (hidden[key] = capturePos === 'last' ? lastPosition(x) : x);

    const ids = tf.tensor2d(input.inputIds.flat(), [B, T], 'int32');
    let x = this.embed(ids);
    if (input.capture?.embeddings) take('embeddings', x);
    const { cos, sin } = this.rope(input.attentionMask, past, T);
    const mask = attentionBias(input.attentionMask, past, T, c.slidingWindow);

    const wasmFast = !input.lora && wasmFastMatMulApplies();
    for (let i = 0; i < c.numLayers; i++) {
      x = this.block(i, x, cos, sin, mask, input, wasmFast);
      for (const s of input.steer ?? []) if (s.layer === i) x = tf.add(x, steeringDelta(s, B, T, c.hiddenSize));
      if (captureLayers.has(i)) take(`layer_${i}`, x);
    }
    if (input.cache) input.cache.length = S;
    const normed = !input.lora && fusedKernelsApply() ? rmsNormFused(x, this.p('model.norm.weight'), c.rmsNormEps) : rmsNorm(x, this.p('model.norm.weight'), c.rmsNormEps);
    if (input.capture?.finalNorm) take('final_norm', normed);
    let logits: tf.Tensor | undefined;
    const which = input.logits ?? 'all';
    if (which !== 'none') {
      const h = which === 'last' ? lastPosition(normed) : (tf.reshape(normed, [B * T, c.hiddenSize]) as tf.Tensor2D);
      const out = this.head(h);
      logits = which === 'last' ? out : tf.reshape(out, [B, T, c.vocabSize]);
    }
    return { logits, hidden };
  }

  /** cos/sin [B,1,T,D] at HF's positions: cumsum(mask) − 1 counted over the whole (cached + new) sequence. */
  private rope(mask: number[][], past: number, T: number): { cos: tf.Tensor4D; sin: tf.Tensor4D } {
    const B = mask.length;
    const positions = new Int32Array(B * T);
    for (let b = 0; b < B; b++) {
      let seen = 0;
      const row = mask[b]!;
      for (let j = 0; j < past + T; j++) {
        if (row[j]) seen++;
        if (j >= past) positions[b * T + j - past] = row[j] ? seen - 1 : 1;
      }
    }
    const { cos, sin } = ropeTables(this.invFreq, positions);
    const D = this.config.headDim;
    return { cos: tf.tensor4d(cos, [B, 1, T, D]), sin: tf.tensor4d(sin, [B, 1, T, D]) };
  }

  private linear(x: tf.Tensor2D, name: string, lora: LoraAdapters | undefined, wasmFast: boolean): tf.Tensor2D {
    const bias = this.weights.get(`${name}.bias`);
    const w = this.p(`${name}.weight`) as tf.Tensor2D;
    // The WGSL kernel (webgpu inference only) takes the bias in its epilogue; LoRA calls keep tfjs's matmul.
    if (!lora && fastMatMulApplies(x.shape[0], w.shape[0], w.shape[1])) return matMulTransposedB(x, w, bias) as tf.Tensor2D;
    const view = wasmFast ? inputMajorView(w) : undefined;
    if (view) {
      const y: tf.Tensor2D = tf.matMul(x, view);
      return bias ? (tf.add(y, bias) as tf.Tensor2D) : y;
    }
    restoreHfLayout(w);
    let y: tf.Tensor2D = tf.matMul(x, w, false, true);
    if (bias) y = tf.add(y, bias) as tf.Tensor2D;
    const adapter = lora?.get(name);
    if (adapter) y = tf.add(y, tf.mul(tf.matMul(tf.matMul(x, adapter.a, false, true), adapter.b, false, true), adapter.scale)) as tf.Tensor2D;
    return y;
  }

  private block(i: number, x: tf.Tensor3D, cos: tf.Tensor4D, sin: tf.Tensor4D, mask: tf.Tensor, input: ForwardInput, wasmFast: boolean): tf.Tensor3D {
    const c = this.config;
    const [B, T, H] = x.shape;
    const D = c.headDim;
    const pre = `model.layers.${i}.`;
    // On webgpu inference, single-dispatch WGSL kernels replace the RMSNorm, rope+transpose and SwiGLU op chains.
    const fused = !input.lora && fusedKernelsApply();
    const norm = <R extends tf.Tensor>(t: R, w: string): R => (fused ? rmsNormFused(t, this.p(w), c.rmsNormEps) : rmsNorm(t, this.p(w), c.rmsNormEps));
    const h = tf.reshape(norm(x, `${pre}input_layernorm.weight`), [B * T, H]) as tf.Tensor2D;
    const heads = (t: tf.Tensor2D, n: number, normName?: string, rope = true): tf.Tensor4D => {
      let r = tf.reshape(t, [B, T, n, D]) as tf.Tensor4D;
      if (normName) r = norm(r, normName);
      if (rope && fused) return ropeTransposeFused(r, cos, sin);
      const tr = tf.transpose(r, [0, 2, 1, 3]);
      return rope ? applyRope(tr, cos, sin, this.rotateHalf()) : tr;
    };
    const q = heads(this.linear(h, `${pre}self_attn.q_proj`, input.lora, wasmFast), c.numHeads, c.qkNorm ? `${pre}self_attn.q_norm.weight` : undefined);
    let k = heads(this.linear(h, `${pre}self_attn.k_proj`, input.lora, wasmFast), c.numKvHeads, c.qkNorm ? `${pre}self_attn.k_norm.weight` : undefined);
    let v = heads(this.linear(h, `${pre}self_attn.v_proj`, input.lora, wasmFast), c.numKvHeads, undefined, false);
    if (input.cache) ({ k, v } = input.cache.append(i, k, v));
    const S = k.shape[2];
    const attn = fused && attentionFusedApplies(D) ? attentionFused(q, k, v, mask, S - T) : this.attention(q, k, v, mask, !!input.lora);
    const o = this.linear(attn, `${pre}self_attn.o_proj`, input.lora, wasmFast);
    const x1 = tf.add(x, tf.reshape(o, [B, T, H])) as tf.Tensor3D;
    const h2 = tf.reshape(norm(x1, `${pre}post_attention_layernorm.weight`), [B * T, H]) as tf.Tensor2D;
    const down = this.linear(this.mlpActivation(h2, pre, fused, input.lora, wasmFast), `${pre}mlp.down_proj`, input.lora, wasmFast);
    return tf.add(x1, tf.reshape(down, [B, T, H])) as tf.Tensor3D;
  }

  /** SwiGLU(gate(h), up(h)): one WGSL matmul for both on webgpu prefill (IMPOSTOR_WEBGPU_SWIGLU_MATMUL=0: two + SwiGLU). */
  private mlpActivation(h: tf.Tensor2D, pre: string, fused: boolean, lora: LoraAdapters | undefined, wasmFast: boolean): tf.Tensor2D {
    const c = this.config;
    const [M, K] = h.shape;
    if (fused && !c.mlpBias && M > 8 && process.env.IMPOSTOR_WEBGPU_SWIGLU_MATMUL !== '0' && fastMatMulApplies(M, c.intermediateSize, K)) {
      return matMulSwiglu(h, this.p(`${pre}mlp.gate_proj.weight`) as tf.Tensor2D, this.p(`${pre}mlp.up_proj.weight`) as tf.Tensor2D);
    }
    const gate = this.linear(h, `${pre}mlp.gate_proj`, lora, wasmFast);
    const up = this.linear(h, `${pre}mlp.up_proj`, lora, wasmFast);
    return fused ? swigluFused(gate, up) : (tf.mul(tf.mul(gate, tf.sigmoid(gate)), up) as tf.Tensor2D);
  }

  /** Softmax attention as tfjs ops (and the WGSL QKᵀ): q [B,heads,T,D], k/v [B,kvHeads,S,D] → context [B·T, heads·D]. */
  private attention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, mask: tf.Tensor, lora: boolean): tf.Tensor2D {
    const c = this.config;
    const [B, , T, D] = q.shape;
    const S = k.shape[2];
    // Grouped-query attention without repeating k/v: the g query heads sharing a kv head are stacked along rows.
    const kvh = c.numKvHeads;
    const g = c.numHeads / kvh;
    const q3 = tf.reshape(q, [B * kvh, g * T, D]);
    const k3 = tf.reshape(k, [B * kvh, S, D]);
    const v3 = tf.reshape(v, [B * kvh, S, D]);
    let scores =
      !lora && fastMatMulApplies(g * T, S, D) ? matMulTransposedB(q3, k3, undefined, 1 / Math.sqrt(D)) : tf.mul(tf.matMul(q3, k3, false, true), 1 / Math.sqrt(D));
    // [B·kvh, g·T, S] has the memory layout of [B, heads, T, S] (head = kv·g + i), so the [B,1,T,S] mask broadcasts
    // over heads in rank 4, which every backend supports.
    scores = tf.add(tf.reshape(scores, [B, c.numHeads, T, S]), mask);
    const probs = tf.reshape(tf.softmax(scores), [B * kvh, g * T, S]);
    return tf.reshape(tf.transpose(tf.reshape(tf.matMul(probs, v3), [B, c.numHeads, T, D]), [0, 2, 1, 3]), [B * T, c.numHeads * D]) as tf.Tensor2D;
  }
}

/**
 * Embedding lookup whose gradient is a scatter-add (tf.scatterND sums duplicate ids). tfjs's own gather gradient needs
 * UnsortedSegmentSum, which the wasm backend lacks, so without this full fine-tuning would fail there.
 */
function embedTokens(table: tf.Tensor2D, ids: tf.Tensor2D): tf.Tensor3D {
  const [B, T] = ids.shape;
  const lookup = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    // The ids must be saved for the backward pass: tensors merely captured by the closure are freed before it runs.
    (inputs[1] as tf.GradSaveFunc)([ids]);
    return {
      value: tf.gather(inputs[0] as tf.Tensor, ids),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.scatterND(tf.reshape(saved[0]!, [B * T, 1]), tf.reshape(dy, [B * T, table.shape[1]]), table.shape),
    };
  });
  return lookup(table) as tf.Tensor3D;
}

/** HF RMSNorm: x · rsqrt(mean(x²) + eps) · weight, over the last axis. */
export function rmsNorm<T extends tf.Tensor>(x: T, weight: tf.Tensor, eps: number): T {
  const variance = tf.mean(tf.square(x), -1, true);
  return tf.mul(tf.mul(x, tf.rsqrt(tf.add(variance, eps))), weight) as T;
}

/** q·cos + rotate_half(q)·sin, with rotate_half(x) = cat(−x₂, x₁) = x·R (R has one ±1 per column, so it is exact). */
function applyRope(x: tf.Tensor4D, cos: tf.Tensor4D, sin: tf.Tensor4D, rotation: tf.Tensor2D): tf.Tensor4D {
  const [B, H, T, D] = x.shape;
  const rotated = tf.reshape(tf.matMul(tf.reshape(x, [B * H * T, D]), rotation), [B, H, T, D]);
  return tf.add(tf.mul(x, cos), tf.mul(rotated, sin));
}

/** [B,1,T,S] additive mask: causal over cache positions, padding keys hidden, optional sliding window. */
function attentionBias(mask: number[][], past: number, T: number, window: number | null): tf.Tensor {
  const B = mask.length;
  const S = past + T;
  const out = new Float32Array(B * T * S);
  // Per row: the padding pattern once, then for each query a copy of its visible prefix (typed-array copies: a
  // per-element loop took tens of ms on the prefill shape 8×512², serially before any GPU work).
  const padded = new Float32Array(S);
  for (let b = 0; b < B; b++) {
    const row = mask[b]!;
    for (let j = 0; j < S; j++) padded[j] = row[j] === 1 ? 0 : MASKED;
    for (let i = 0; i < T; i++) {
      const qi = past + i;
      const at = (b * T + i) * S;
      const from = window === null ? 0 : Math.max(0, qi - window + 1);
      out.fill(MASKED, at, at + from);
      out.set(padded.subarray(from, qi + 1), at + from);
      out.fill(MASKED, at + qi + 1, at + S);
    }
  }
  return tf.tensor4d(out, [B, 1, T, S]);
}

function steeringDelta(s: Steering, B: number, T: number, H: number): tf.Tensor {
  if (s.vector.length !== H) throw new UserError(`steering vector has ${s.vector.length} entries; the model's hidden size is ${H}`);
  const v = tf.mul(tf.tensor1d(s.vector), s.coeff);
  if (s.positions === 'all') return v;
  const where = new Float32Array(B * T);
  if (s.positions === 'last') for (let b = 0; b < B; b++) where[b * T + T - 1] = 1;
  else {
    checkRectangle(s.positions.mask, T, 'steering position mask');
    s.positions.mask.forEach((row, b) => row.forEach((m, t) => (where[b * T + t] = m ? 1 : 0)));
  }
  return tf.mul(tf.tensor3d(where, [B, T, 1]), v);
}

function lastPosition(x: tf.Tensor3D): tf.Tensor2D {
  const [B, T, H] = x.shape;
  return tf.reshape(tf.slice(x, [0, T - 1, 0], [B, 1, H]), [B, H]);
}

function resolveLayers(layers: number[] | 'all' | undefined, n: number): Set<number> {
  if (layers === 'all') return new Set(Array.from({ length: n }, (_, i) => i));
  for (const l of layers ?? []) if (!Number.isInteger(l) || l < 0 || l >= n) throw new UserError(`layer ${l} is out of range; the model has layers 0–${n - 1}`);
  return new Set(layers ?? []);
}

function checkRectangle(rows: number[][], width: number, what: string): void {
  rows.forEach((r, i) => {
    if (r.length !== width) throw new UserError(`${what}: row ${i} has ${r.length} entries, expected ${width}`);
  });
}

/**
 * The wasm backend's linear memory is bounded, and attention holds several [B, heads, T, S] f32 tensors at once
 * (scores, mask, softmax). A batch past the bound aborts deep inside WebAssembly with "memory access out of bounds"
 * and leaves the backend unusable, so refuse it up front with the fix. 0.5 GiB of scores is a measured safe bound:
 * 1.5 GiB crashed (4 heads × 10,000² positions).
 */
const WASM_ATTENTION_LIMIT_BYTES = 0.5 * 2 ** 30;

function checkWasmAttentionFits(batch: number, heads: number, queryLen: number, keyLen: number): void {
  if (tf.getBackend() !== 'wasm') return;
  const bytes = batch * heads * queryLen * keyLen * 4;
  if (bytes <= WASM_ATTENTION_LIMIT_BYTES) return;
  throw new UserError(
    `forward: batch ${batch} × ${heads} heads × ${queryLen} × ${keyLen} positions needs ${(bytes / 2 ** 30).toFixed(1)} GiB of attention scores, ` +
      `more than the wasm backend's memory allows; use a smaller batch (e.g. --batch-size 1) or the webgpu backend on a GPU host`,
  );
}
