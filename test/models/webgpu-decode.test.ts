import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { sharedPath } from '../../lib/common/paths';
import { DecodeSession } from '../../lib/models/decode-session';
import { generate, type GenerateOptions } from '../../lib/models/generate';
import { KvCache } from '../../lib/models/kv-cache';
import { loadModel, type LoadedModel } from '../../lib/models/load';
import { writeRandomCheckpoint } from '../../lib/models/random-checkpoint';
import { initEngine } from '../../lib/tensor/engine';
import { readNpy } from '../../lib/tensor/npy-file';
import { readNpz } from '../../lib/tensor/npz';
import { maskedRelativeError, readInputs, referenceTokenRows } from './runtime-fixture';

/**
 * The raw-WebGPU decode engine (lib/models/webgpu-decode.ts) against the fixture's PyTorch generations and against the
 * tfjs decode path (IMPOSTOR_WEBGPU_DECODE=0) on the same process and weights. Needs a Vulkan adapter: on a CPU-only
 * machine Mesa's lavapipe (VK_DRIVER_FILES=/usr/share/vulkan/icd.d/lvp_icd.json, used when present and nothing else is
 * configured); without one the suite is skipped with the reason in its title. About 10 s once Mesa's shader cache is
 * warm; the first run on a machine compiles the shaders with llvmpipe (≈1–2 min at high load, mostly the unrolled
 * flash-attention shader and tfjs's own kernels).
 */
const LAVAPIPE = '/usr/share/vulkan/icd.d/lvp_icd.json';
if (!process.env.VK_DRIVER_FILES && !process.env.VK_ICD_FILENAMES && existsSync(LAVAPIPE)) process.env.VK_DRIVER_FILES = LAVAPIPE;
process.env.XDG_RUNTIME_DIR ??= tmpdir();

const fixture = sharedPath('fixtures', 'runtime', 'qwen2_tiny');
const unavailable = await initEngine('webgpu').then(
  () => (fixture ? null : '../shared/fixtures/runtime/qwen2_tiny is absent'),
  (err: Error) => `no WebGPU adapter (${err.message.split('\n')[0]})`,
);

/** Runs `fn` with the engine switched off (tfjs decode path) and restores the setting. */
async function onTfjsPath<T>(fn: () => Promise<T>): Promise<T> {
  process.env.IMPOSTOR_WEBGPU_DECODE = '0';
  try {
    return await fn();
  } finally {
    delete process.env.IMPOSTOR_WEBGPU_DECODE;
  }
}

/** Next-token logits of `steps` fed tokens after the prompts, per step and row. */
async function stepLogits(m: LoadedModel, prompts: number[][], fed: number[][], capacityHint: number, expectEngine: boolean): Promise<Float32Array[][]> {
  const session = new DecodeSession(m);
  const all = [await session.start(prompts, capacityHint)];
  expect(!!session.engine, 'engine in use').toBe(expectEngine);
  for (let i = 0; i < fed[0]!.length; i++) all.push(await session.step(fed.map((f) => f[i]!)));
  session.dispose();
  return all;
}

const describeGpu = unavailable ? describe.skip : describe;
describeGpu(`WebGPU decode engine${unavailable ? ` — SKIPPED: ${unavailable}` : ''}`, () => {
  const dir = fixture!;
  afterEach(() => {
    delete process.env.IMPOSTOR_WEBGPU_DECODE;
    delete process.env.IMPOSTOR_WEBGPU_FLASH;
    delete process.env.IMPOSTOR_WEBGPU_SWIGLU_MATMUL;
  });

  it('greedy generation matches gen_greedy and gen_greedy_steer_last token for token', async () => {
    const m = await loadModel(join(dir, 'model'), { backend: 'webgpu' });
    const inputs = readInputs(dir);
    const ref = readNpz(join(dir, 'reference.npz'));
    const vector = readNpy(join(dir, 'steer_vector.npy')).data as Float32Array;
    for (const [key, steer] of [['gen_greedy', false], ['gen_greedy_steer_last', true]] as const) {
      const result = await generate(m, inputs.chat.input_ids, {
        maxNewTokens: inputs.chat.generation.max_new_tokens,
        greedy: true,
        stopOnEos: false,
        steer: steer ? [{ layer: inputs.steer.layer, vector, coeff: inputs.steer.coeff, positions: 'last' }] : [],
      });
      const rows = referenceTokenRows(ref, key);
      expect(result.generatedIds, key).toEqual(rows);
    }
  });

  it('gives the tfjs path’s generations (greedy, sampled, steered, stop strings) and logits on ragged prompts', async () => {
    const m = await loadModel(join(dir, 'model'), { backend: 'webgpu' });
    const vector = readNpy(join(dir, 'steer_vector.npy')).data as Float32Array;
    const prompts = [[5, 9, 200, 31], [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17], [300]];
    const runs: GenerateOptions[] = [
      { maxNewTokens: 10, greedy: true, stopOnEos: false },
      { maxNewTokens: 10, greedy: false, temperature: 1.3, topP: 0.9, topK: 50, seed: 3, stopOnEos: false },
      { maxNewTokens: 8, greedy: true, stopOnEos: false, steer: [{ layer: 2, vector, coeff: 4, positions: 'response' }] },
      { maxNewTokens: 10, greedy: false, temperature: 2, seed: 11, stopStrings: ['e'] },
    ];
    for (const opts of runs) {
      const ours = await generate(m, prompts, opts);
      const tfjs = await onTfjsPath(() => generate(m, prompts, opts));
      expect(ours, JSON.stringify(opts)).toEqual(tfjs);
      expect(new Set(ours.generatedIds.flat()).size).toBeGreaterThan(3);
    }
    const fed = [[1, 2, 3, 4, 5], [20, 21, 22, 23, 24], [40, 41, 42, 43, 44]];
    // A capacity hint of 2 makes the engine grow its cache twice on the way.
    const ours = await stepLogits(m, prompts, fed, 2, true);
    const tfjs = await onTfjsPath(() => stepLogits(m, prompts, fed, 2, false));
    ours.forEach((rows, i) => rows.forEach((row, b) => expect(maskedRelativeError(row, tfjs[i]![b]!, [[1]]), `step ${i} row ${b}`).toBeLessThan(1e-5)));
  });

  it('matches the tfjs path on a split embedding, an untied head with o-proj bias, and a sliding window', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'webgpu-decode-'));
    const base = { hidden_size: 64, intermediate_size: 96, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 1, vocab_size: 512, max_position_embeddings: 256 };
    const configs = {
      llama: { ...base, model_type: 'llama', tie_word_embeddings: false, attention_bias: true, rope_theta: 500000 },
      mistral: { ...base, model_type: 'mistral', tie_word_embeddings: false, sliding_window: 4, head_dim: 32, rope_theta: 10000 },
    };
    for (const [name, config] of Object.entries(configs)) {
      const path = join(tmp, name);
      writeRandomCheckpoint(path, { config, tokenizerFrom: join(dir, 'model'), seed: 2 });
      // 40 KB blocks: the 512 × 64 embedding and head (128 KB each) are split into 4 row blocks.
      const m = await loadModel(path, { backend: 'webgpu', maxTensorBytes: 40_000 });
      expect(m.model.rowBlocks.get('model.embed_tokens.weight')?.length, name).toBe(4);
      const prompts = [[3, 4, 5, 6, 7], [100, 200]];
      const fed = [Array.from({ length: 5 }, (_, i) => 10 + 37 * i), Array.from({ length: 5 }, (_, i) => 500 - 29 * i)];
      const ours = await stepLogits(m, prompts, fed, 5, true);
      const tfjs = await onTfjsPath(() => stepLogits(m, prompts, fed, 5, false));
      ours.forEach((rows, i) => rows.forEach((row, b) => expect(maskedRelativeError(row, tfjs[i]![b]!, [[1]]), `${name} step ${i} row ${b}`).toBeLessThan(1e-5)));
    }
  });

  it('prefill flash attention (head dim 64) and the gate/up SwiGLU matmul equal the op chains on padded rows, with and without a cache', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'webgpu-flash-')), 'qwen2');
    const config = { model_type: 'qwen2', hidden_size: 128, intermediate_size: 96, num_hidden_layers: 2, num_attention_heads: 2, num_key_value_heads: 1, vocab_size: 512, rope_theta: 10000 };
    writeRandomCheckpoint(path, { config, tokenizerFrom: join(dir, 'model'), seed: 4 });
    const m = await loadModel(path, { backend: 'webgpu' });
    const ids = [Array.from({ length: 70 }, (_, i) => (i * 13) % 500), [...new Array(11).fill(0), ...Array.from({ length: 59 }, (_, i) => (i * 7 + 3) % 500)]];
    const mask = ids.map((_, b) => ids[b]!.map((_, t) => (b === 1 && t < 11 ? 0 : 1)));
    const run = async (cached: boolean) => {
      const cache = new KvCache(2);
      const logits: Float32Array[] = [];
      const parts = cached ? [66, 4] : [70];
      let start = 0;
      for (const n of parts) {
        const t = tf.tidy(() => m.model.forward({ inputIds: ids.map((r) => r.slice(start, start + n)), attentionMask: mask.map((r) => r.slice(0, start + n)), cache, logits: 'last' }).logits!);
        logits.push((await t.data()) as Float32Array);
        t.dispose();
        start += n;
      }
      cache.dispose();
      return logits;
    };
    for (const cached of [false, true]) {
      const ours = await run(cached);
      process.env.IMPOSTOR_WEBGPU_FLASH = '0';
      process.env.IMPOSTOR_WEBGPU_SWIGLU_MATMUL = '0';
      const chain = await run(cached);
      delete process.env.IMPOSTOR_WEBGPU_FLASH;
      delete process.env.IMPOSTOR_WEBGPU_SWIGLU_MATMUL;
      ours.forEach((l, i) => expect(maskedRelativeError(l, chain[i]!, [[1, 1]]), `cached ${cached} call ${i}`).toBeLessThan(1e-5));
    }
  });
});
