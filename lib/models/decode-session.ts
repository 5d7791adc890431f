import * as tf from '@tensorflow/tfjs-core';
import type { Steering } from './decoder';
import { KvCache } from './kv-cache';
import type { LoadedModel } from './load';
import { leftPad } from './batch';
import { decodeEngineUnsupported, WebGpuDecodeEngine } from './webgpu-decode';

/** Steering during generation: `response` adds the vector at every generated token but not over the prompt. */
export type GenerationSteering = Omit<Steering, 'positions'> & { positions: 'all' | 'last' | 'response' };

/**
 * One model's incremental decoding state over a left-padded batch: prefill the prompts, then feed one token per row
 * per step. Each call returns next-token logits per row, so several sessions (same tokenizer) can be stepped in
 * lockstep and their logits combined (fusion, contrastive decoding) before a token is chosen.
 *
 * On webgpu the steps after the prefill run on the raw-WebGPU decode engine (webgpu-decode.ts) when it supports the
 * model and batch; otherwise, and on other backends, every call is a tfjs forward over the KV cache.
 */
export class DecodeSession {
  private cache: KvCache;
  private mask: number[][] = [];
  private gpuEngine: WebGpuDecodeEngine | undefined;

  constructor(
    readonly model: LoadedModel,
    private readonly steer: GenerationSteering[] = [],
  ) {
    this.cache = new KvCache(model.config.numLayers);
  }

  /**
   * Prefills the prompts (ragged token lists) and returns each row's next-token logits. `maxNewTokens` sizes the
   * engine's KV cache up front (it grows when exceeded).
   */
  async start(prompts: number[][], maxNewTokens = 64): Promise<Float32Array[]> {
    this.dispose();
    const batch = leftPad(prompts, this.model.tokenizer.padTokenId);
    this.mask = batch.attentionMask.map((r) => [...r]);
    const logits = await this.run(batch.inputIds, true);
    const steer = this.steer.map((s) => ({ layer: s.layer, vector: s.vector, coeff: s.coeff }));
    if (decodeEngineUnsupported(this.model.model, prompts.length, steer) === null) {
      this.gpuEngine = await WebGpuDecodeEngine.fromPrefill(this.model.model, this.cache, this.mask, steer, this.mask[0]!.length + maxNewTokens + 1);
      this.cache.dispose();
    }
    return logits;
  }

  /** The WebGPU decode engine running this session's steps, if any (generate() uses it for GPU-side greedy choice). */
  get engine(): WebGpuDecodeEngine | undefined {
    return this.gpuEngine;
  }

  /** Appends one token per row and returns the next-token logits. */
  step(tokens: number[]): Promise<Float32Array[]> {
    this.mask.forEach((row) => row.push(1));
    if (this.gpuEngine) return this.gpuEngine.submit(tokens, 'logits');
    return this.run(tokens.map((t) => [t]), false);
  }

  /** Reads logits back asynchronously: the webgpu backend has no synchronous readback in Node. */
  private async run(inputIds: number[][], prefill: boolean): Promise<Float32Array[]> {
    const steer: Steering[] = [];
    for (const s of this.steer) {
      if (s.positions === 'response') {
        if (!prefill) steer.push({ ...s, positions: 'all' });
      } else steer.push({ ...s, positions: s.positions });
    }
    const logits = tf.tidy(() => this.model.model.forward({ inputIds, attentionMask: this.mask, cache: this.cache, steer, logits: 'last' }).logits!);
    const flat = (await logits.data()) as Float32Array;
    logits.dispose();
    const V = this.model.config.vocabSize;
    return inputIds.map((_, b) => flat.slice(b * V, (b + 1) * V));
  }

  dispose(): void {
    this.cache.dispose();
    this.gpuEngine?.dispose();
    this.gpuEngine = undefined;
  }
}
