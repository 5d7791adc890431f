import * as tf from '@tensorflow/tfjs-core';
import type { DecoderModel } from './decoder';
import type { KvCache } from './kv-cache';
import { ropeTables } from './rope';
import { ARGMAX_CHUNK, addRowsShader, argmaxShader, attentionShader, embedShader, gemvShader, prefixCopyShader, type GemvSpec } from './webgpu-decode-shaders';

/**
 * Greedy/sampled decode steps on raw WebGPU, next to tfjs-webgpu: the tfjs path costs ~150 small dispatches, ~10 queue
 * submits and fresh buffers per layer and step (the KV cache grows by concat), which made decode CPU-bound. Here a
 * step is one command encoder and one submit of ~6 dispatches per layer (fused RMSNorm+QKV GEMV, rope + KV write +
 * attention, o-proj GEMV + residual, fused RMSNorm+gate/up GEMV + SwiGLU, down GEMV + residual, optional steering
 * add), then the output head GEMV (row blocks when the matrix was split at load) and a GPU argmax, so a greedy step
 * reads back only B token ids, and the next step can be submitted before they arrive (the ids stay on the GPU as its
 * input). Pipelines and bind groups are built once; per step only the cache slot and the rope tables are written.
 *
 * It shares tfjs's GPUDevice and the weight buffers the loader uploaded (no second copy). Prefill stays on the tfjs
 * path, whose KV cache is copied once into a preallocated cache [capacity, B, kvHeads, headDim] (grown by doubling).
 */

/** What the engine needs from tfjs-backend-webgpu's backend object (not part of tfjs's public typings). */
interface TfjsWebGpuBackend {
  device: GPUDevice;
  tensorMap: { get(dataId: object): { resource: unknown } | undefined };
  uploadToGPU(dataId: object): void;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
}

/** A steering vector added (times its coefficient) to every row's output of block `layer` at each step. */
export interface StepSteering {
  layer: number;
  vector: Float32Array;
  coeff: number;
}

/** Rows the GEMV kernels hold in registers; larger batches decode on the tfjs path. */
export const MAX_ENGINE_BATCH = 8;

/** Why the engine cannot run this model/batch here, or null when it can. IMPOSTOR_WEBGPU_DECODE=0 turns it off. */
export function decodeEngineUnsupported(model: DecoderModel, batch: number, steer: StepSteering[]): string | null {
  const c = model.config;
  if (new Set(steer.map((s) => s.layer)).size < steer.length) return 'two steering vectors on one layer';
  if (tf.getBackend() !== 'webgpu') return 'backend is not webgpu';
  if (process.env.IMPOSTOR_WEBGPU_DECODE === '0') return 'IMPOSTOR_WEBGPU_DECODE=0';
  if (batch > MAX_ENGINE_BATCH) return `batch ${batch} > ${MAX_ENGINE_BATCH}`;
  if (c.qkNorm) return 'q/k norms (Qwen3) are not in the engine';
  if (c.mlpBias) return 'MLP biases are not in the engine';
  const D = c.headDim;
  if (D % 4 !== 0 || 256 % D !== 0) return `head dim ${D} must divide 256 and be a multiple of 4`;
  if (c.hiddenSize % 4 !== 0 || c.intermediateSize % 4 !== 0) return 'hidden and intermediate sizes must be multiples of 4';
  return null;
}

const pipelineCache = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

interface Dispatch {
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  groups: [number, number];
}

export class WebGpuDecodeEngine {
  private readonly device: GPUDevice;
  private readonly own: GPUBuffer[] = [];
  private readonly c: DecoderModel['config'];
  private readonly x: GPUBuffer;
  private readonly qkv: GPUBuffer;
  private readonly ctx: GPUBuffer;
  private readonly act: GPUBuffer;
  private readonly logits: GPUBuffer;
  private readonly tokens: GPUBuffer;
  private readonly partial: GPUBuffer;
  private readonly rope: GPUBuffer;
  private readonly params: GPUBuffer;
  private readonly qkvBias: GPUBuffer[] = [];
  private readonly steerDelta = new Map<number, GPUBuffer>();
  private kCache: GPUBuffer[] = [];
  private vCache: GPUBuffer[] = [];
  private mask!: GPUBuffer;
  private scores!: GPUBuffer;
  private capacity = 0;
  /** Cache slot of the next token (= positions cached so far, padding included). */
  private slot: number;
  /** Real tokens seen per row (HF counts positions from the mask). */
  private readonly seen: number[];
  /** The step's dispatches up to the logits, then the two argmax stages (greedy steps only). */
  private dispatches: Dispatch[] = [];
  private argmaxDispatches: Dispatch[] = [];
  private readonly idsStaging: GPUBuffer[] = [];
  private readonly logitsStaging: GPUBuffer[] = [];
  private disposed = false;

  private constructor(
    private readonly model: DecoderModel,
    private readonly backend: TfjsWebGpuBackend,
    private readonly B: number,
    private readonly prefixMask: number[][],
    private readonly steer: StepSteering[],
  ) {
    this.device = backend.device;
    this.c = model.config;
    const c = this.c;
    const D = c.headDim;
    const storage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    this.x = this.buffer(this.B * c.hiddenSize * 4, storage);
    this.qkv = this.buffer(this.B * (c.numHeads + 2 * c.numKvHeads) * D * 4, storage);
    this.ctx = this.buffer(this.B * c.numHeads * D * 4, storage);
    this.act = this.buffer(this.B * c.intermediateSize * 4, storage);
    this.logits = this.buffer(this.B * c.vocabSize * 4, storage);
    this.tokens = this.buffer(this.B * 4, storage);
    this.partial = this.buffer(this.B * Math.ceil(c.vocabSize / ARGMAX_CHUNK) * 8, storage);
    this.rope = this.buffer(2 * this.B * D * 4, storage);
    this.params = this.buffer(16, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.slot = prefixMask[0]!.length;
    this.seen = prefixMask.map((row) => row.reduce((a, m) => a + (m ? 1 : 0), 0));
  }

  /**
   * An engine continuing from a tfjs prefill: copies `cache` (every layer filled by a forward call over the padded
   * prompts with `mask`), so the caller may dispose it afterwards. `capacity` is a hint (prompt + new tokens).
   */
  static async fromPrefill(model: DecoderModel, cache: KvCache, mask: number[][], steer: StepSteering[], capacity: number): Promise<WebGpuDecodeEngine> {
    const backend = tf.backend() as unknown as TfjsWebGpuBackend;
    const engine = new WebGpuDecodeEngine(model, backend, mask.length, mask, steer);
    backend.device.pushErrorScope('validation');
    try {
      engine.prepareConstants();
      engine.grow(Math.max(capacity, engine.slot + 1), cache);
    } finally {
      const error = await backend.device.popErrorScope();
      if (error) {
        engine.dispose();
        throw new Error(`internal: WebGPU decode engine setup failed: ${error.message}`);
      }
    }
    return engine;
  }

  private buffer(bytes: number, usage: number): GPUBuffer {
    const b = this.device.createBuffer({ size: Math.max(16, Math.ceil(bytes / 4) * 4), usage });
    this.own.push(b);
    return b;
  }

  /** The GPUBuffer behind a tfjs tensor (uploaded first if it still lives on the CPU side). */
  private gpu(t: tf.Tensor): GPUBuffer {
    this.backend.uploadToGPU(t.dataId);
    const resource = this.backend.tensorMap.get(t.dataId)?.resource;
    if (!(resource instanceof GPUBuffer)) throw new Error('internal: tfjs tensor has no GPU buffer');
    return resource;
  }

  private p(name: string): tf.Tensor {
    const t = this.model.params.get(name);
    if (!t) throw new Error(`internal: parameter ${name} not loaded`);
    return t;
  }

  private pipeline(code: string): GPUComputePipeline {
    let cache = pipelineCache.get(this.device);
    if (!cache) pipelineCache.set(this.device, (cache = new Map()));
    let p = cache.get(code);
    if (!p) {
      p = this.device.createComputePipeline({ layout: 'auto', compute: { module: this.device.createShaderModule({ code }), entryPoint: 'main' } });
      cache.set(code, p);
    }
    return p;
  }

  private dispatch(code: string, buffers: (GPUBuffer | { buffer: GPUBuffer; size: number })[], groups: [number, number]): Dispatch {
    const pipeline = this.pipeline(code);
    const bindGroup = this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: buffers.map((b, binding) => ({ binding, resource: b instanceof GPUBuffer ? { buffer: b } : { buffer: b.buffer, size: b.size } })),
    });
    return { pipeline, bindGroup, groups };
  }

  /** Buffers that do not depend on the cache capacity: concatenated q/k/v biases, steering deltas. */
  private prepareConstants(): void {
    const c = this.c;
    const D = c.headDim;
    const enc = this.device.createCommandEncoder();
    if (c.qkvBias) {
      for (let i = 0; i < c.numLayers; i++) {
        const pre = `model.layers.${i}.self_attn.`;
        const sizes = [c.numHeads * D, c.numKvHeads * D, c.numKvHeads * D];
        const bias = this.buffer(sizes.reduce((a, b) => a + b, 0) * 4, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
        let offset = 0;
        ['q_proj', 'k_proj', 'v_proj'].forEach((proj, j) => {
          enc.copyBufferToBuffer(this.gpu(this.p(`${pre}${proj}.bias`)), 0, bias, offset, sizes[j]! * 4);
          offset += sizes[j]! * 4;
        });
        this.qkvBias.push(bias);
      }
    }
    // tfjs may still hold uploads of the weights in its own encoder: submit them before ours.
    this.flushTfjs();
    this.device.queue.submit([enc.finish()]);
    for (const s of this.steer) {
      const delta = new Float32Array(c.hiddenSize);
      const coeff = Math.fround(s.coeff);
      // f32 product, as tfjs's tf.mul(vector, coeff) on the GPU.
      for (let i = 0; i < delta.length; i++) delta[i] = Math.fround(s.vector[i]! * coeff);
      const buf = this.buffer(delta.byteLength, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
      this.device.queue.writeBuffer(buf, 0, delta);
      this.steerDelta.set(s.layer, buf);
    }
  }

  private flushTfjs(): void {
    this.backend.ensureCommandEncoderReady();
    this.backend.endComputePassEncoder();
    this.backend.submitQueue();
  }

  /**
   * (Re)allocates the KV cache, mask and score buffers for `capacity` positions, copying either the tfjs prefill cache
   * or the previous (smaller) engine cache, and rebuilds the bind groups.
   */
  private grow(capacity: number, prefill?: KvCache): void {
    const c = this.c;
    const B = this.B;
    const D = c.headDim;
    const kvBytes = capacity * B * c.numKvHeads * D * 4;
    const storage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const create = (bytes: number) => this.device.createBuffer({ size: bytes, usage: storage });
    const k = Array.from({ length: c.numLayers }, () => create(kvBytes));
    const v = Array.from({ length: c.numLayers }, () => create(kvBytes));
    const mask = create(capacity * B * 4);
    const scores = create(B * c.numHeads * capacity * 4);
    const enc = this.device.createCommandEncoder();
    if (prefill) {
      const S = this.slot;
      const copies: Dispatch[] = [];
      for (let i = 0; i < c.numLayers; i++) {
        for (const [src, dst] of [
          [prefill.keys[i]!, k[i]!],
          [prefill.values[i]!, v[i]!],
        ] as const) {
          const n = B * c.numKvHeads * S * D;
          copies.push(this.dispatch(prefixCopyShader(B, c.numKvHeads, S, D), [this.gpu(src), dst], splitGroups(Math.ceil(n / 256))));
        }
      }
      this.flushTfjs();
      const pass = enc.beginComputePass();
      for (const d of copies) record(pass, d);
      pass.end();
      const m = new Uint32Array(capacity * B).fill(1);
      this.prefixMask.forEach((row, b) => row.forEach((val, j) => (m[j * B + b] = val ? 1 : 0)));
      this.device.queue.writeBuffer(mask, 0, m);
    } else {
      const used = this.slot * B * c.numKvHeads * D * 4;
      for (let i = 0; i < c.numLayers; i++) {
        enc.copyBufferToBuffer(this.kCache[i]!, 0, k[i]!, 0, used);
        enc.copyBufferToBuffer(this.vCache[i]!, 0, v[i]!, 0, used);
      }
      // Positions past the old capacity are generated tokens: visible.
      const m = new Uint32Array(capacity * B).fill(1);
      this.device.queue.writeBuffer(mask, 0, m);
      enc.copyBufferToBuffer(this.mask, 0, mask, 0, this.capacity * B * 4);
    }
    this.device.queue.submit([enc.finish()]);
    for (const b of [...this.kCache, ...this.vCache, ...(this.capacity ? [this.mask, this.scores] : [])]) b.destroy();
    this.kCache = k;
    this.vCache = v;
    this.mask = mask;
    this.scores = scores;
    this.capacity = capacity;
    this.buildDispatches();
  }

  private buildDispatches(): void {
    const c = this.c;
    const B = this.B;
    const H = c.hiddenSize;
    const D = c.headDim;
    const QD = c.numHeads * D;
    const KVD = c.numKvHeads * D;
    const I = c.intermediateSize;
    const out: Dispatch[] = [];
    const gemv = (spec: Omit<GemvSpec, 'M' | 'outStride' | 'outOffset'> & Partial<GemvSpec>, buffers: GPUBuffer[]) => {
      const full: GemvSpec = { M: B, outStride: spec.segments.reduce((a, n) => a + n, 0), outOffset: 0, ...spec };
      const N = spec.segments.reduce((a, n) => a + n, 0);
      out.push(this.dispatch(gemvShader(full), buffers, [Math.ceil(N / 8), 1]));
    };
    const embedName = 'model.embed_tokens.weight';
    for (const [first, block] of this.blocks(embedName)) {
      out.push(this.dispatch(embedShader(B, H, first, block.shape[0]!), [this.tokens, this.gpu(block), this.x], [Math.ceil((B * H) / 256), 1]));
    }
    const attention = attentionShader({ B, numHeads: c.numHeads, numKvHeads: c.numKvHeads, headDim: D, window: c.slidingWindow ?? 0 });
    for (let i = 0; i < c.numLayers; i++) {
      const pre = `model.layers.${i}.`;
      const w = (n: string) => this.gpu(this.p(`${pre}${n}`));
      const bias = this.qkvBias[i];
      gemv({ K: H, segments: [QD, KVD, KVD], swiglu: false, normEps: c.rmsNormEps, bias: !!bias, residual: false }, [
        this.x,
        w('input_layernorm.weight'),
        w('self_attn.q_proj.weight'),
        w('self_attn.k_proj.weight'),
        w('self_attn.v_proj.weight'),
        ...(bias ? [bias] : []),
        this.qkv,
      ]);
      out.push(this.dispatch(attention, [this.qkv, this.rope, this.kCache[i]!, this.vCache[i]!, this.mask, this.scores, this.ctx, this.params], [B * c.numHeads, 1]));
      gemv({ K: QD, segments: [H], swiglu: false, normEps: null, bias: c.oBias, residual: true }, [this.ctx, w('self_attn.o_proj.weight'), ...(c.oBias ? [w('self_attn.o_proj.bias')] : []), this.x]);
      gemv({ K: H, segments: [I], swiglu: true, normEps: c.rmsNormEps, bias: false, residual: false }, [this.x, w('post_attention_layernorm.weight'), w('mlp.gate_proj.weight'), w('mlp.up_proj.weight'), this.act]);
      gemv({ K: I, segments: [H], swiglu: false, normEps: null, bias: false, residual: true }, [this.act, w('mlp.down_proj.weight'), this.x]);
      const delta = this.steerDelta.get(i);
      if (delta) out.push(this.dispatch(addRowsShader(B, H), [delta, this.x], [Math.ceil((B * H) / 256), 1]));
    }
    const headName = c.tieWordEmbeddings ? embedName : 'lm_head.weight';
    const norm = this.gpu(this.p('model.norm.weight'));
    for (const [first, block] of this.blocks(headName)) {
      gemv({ K: H, segments: [block.shape[0]!], swiglu: false, normEps: c.rmsNormEps, bias: false, residual: false, outStride: c.vocabSize, outOffset: first }, [this.x, norm, this.gpu(block), this.logits]);
    }
    this.dispatches = out;
    const chunks = Math.ceil(c.vocabSize / ARGMAX_CHUNK);
    this.argmaxDispatches = [
      this.dispatch(argmaxShader(B, c.vocabSize, false), [this.logits, this.partial], [chunks, B]),
      this.dispatch(argmaxShader(B, c.vocabSize, true), [this.partial, this.tokens], [B, 1]),
    ];
  }

  /** A matrix as [first row, tensor] blocks: the row blocks of a split matrix, or the whole one. */
  private blocks(name: string): [number, tf.Tensor][] {
    const split = this.model.rowBlocks.get(name);
    if (!split) return [[0, this.p(name)]];
    let first = 0;
    return split.map((t) => {
      const entry: [number, tf.Tensor] = [first, t];
      first += t.shape[0];
      return entry;
    });
  }

  /**
   * Records and submits one step. `tokens`: this step's input ids per row, or null to feed the previous greedy step's
   * argmax straight from the GPU. Resolves with the argmax ids (`ids`) or the full logits rows (`logits`). Several
   * steps may be in flight: the queue runs them in order.
   */
  submit(tokens: number[] | null, want: 'ids'): Promise<number[]>;
  submit(tokens: number[] | null, want: 'logits'): Promise<Float32Array[]>;
  submit(tokens: number[] | null, want: 'ids' | 'logits'): Promise<number[] | Float32Array[]> {
    if (this.disposed) throw new Error('internal: decode engine used after dispose');
    const c = this.c;
    const B = this.B;
    if (this.slot >= this.capacity) this.grow(this.capacity * 2);
    const q = this.device.queue;
    if (tokens) q.writeBuffer(this.tokens, 0, new Uint32Array(tokens));
    const positions = new Int32Array(B);
    for (let b = 0; b < B; b++) positions[b] = this.seen[b]!++;
    const { cos, sin } = ropeTables(this.model.invFreq, positions);
    const rope = new Float32Array(2 * B * c.headDim);
    rope.set(cos, 0);
    rope.set(sin, B * c.headDim);
    q.writeBuffer(this.rope, 0, rope);
    q.writeBuffer(this.params, 0, new Uint32Array([this.slot, this.capacity, 0, 0]));
    this.slot++;
    const enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    for (const d of this.dispatches) record(pass, d);
    if (want === 'ids') for (const d of this.argmaxDispatches) record(pass, d);
    pass.end();
    const bytes = want === 'ids' ? B * 4 : B * c.vocabSize * 4;
    const pool = want === 'ids' ? this.idsStaging : this.logitsStaging;
    const staging = pool.pop() ?? this.device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    enc.copyBufferToBuffer(want === 'ids' ? this.tokens : this.logits, 0, staging, 0, bytes);
    q.submit([enc.finish()]);
    return staging.mapAsync(GPUMapMode.READ).then(() => {
      const data = staging.getMappedRange().slice(0);
      staging.unmap();
      if (this.disposed) staging.destroy();
      else pool.push(staging);
      if (want === 'ids') return Array.from(new Uint32Array(data));
      const flat = new Float32Array(data);
      return Array.from({ length: B }, (_, b) => flat.slice(b * c.vocabSize, (b + 1) * c.vocabSize));
    });
  }

  /** Frees the engine's own buffers (the weights belong to tfjs). Steps still in flight resolve or reject harmlessly. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const b of [...this.own, ...this.kCache, ...this.vCache, ...this.idsStaging, ...this.logitsStaging]) b.destroy();
    if (this.capacity) {
      this.mask.destroy();
      this.scores.destroy();
    }
  }
}

function record(pass: GPUComputePassEncoder, d: Dispatch): void {
  pass.setPipeline(d.pipeline);
  pass.setBindGroup(0, d.bindGroup);
  pass.dispatchWorkgroups(d.groups[0], d.groups[1]);
}

/** Workgroup counts as (x, y) with x ≤ 65,535 (WebGPU's per-dimension limit). */
function splitGroups(n: number): [number, number] {
  return n <= 65535 ? [n, 1] : [65535, Math.ceil(n / 65535)];
}
