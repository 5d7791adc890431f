import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeModel, loadModel } from '../../lib/models/load';
import { enableTraining } from '../../lib/models/train';
import { cosineLr } from '../../lib/training/schedule';
import { packRows, planBatches, toBatch, trainSft } from '../../lib/training/sft';
import { tokenizeChat } from '../../lib/training/examples';
import { tinyCheckpoint } from './tiny-model';

describe('SFT trainer (tiny Qwen2, wasm)', () => {
  const root = mkdtempSync(join(tmpdir(), 'impostor-sft-'));
  let dir = '';
  beforeAll(async () => {
    await enableTraining();
    dir = tinyCheckpoint(root);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('masks everything but the assistant reply and its end-of-turn token', async () => {
    const m = await loadModel(dir, { backend: 'wasm' });
    const imEnd = m.tokenizer.eosTokenIds[0]!;
    const ex = tokenizeChat(m.tokenizer, { user: 'add 2 3', assistant: '5' }, imEnd);
    const target = ex.ids.filter((_, i) => ex.labels[i] === 1);
    expect(m.tokenizer.decode(target, false)).toBe('5<|im_end|>');
    expect(m.tokenizer.decode(ex.ids, false)).toBe('<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nadd 2 3<|im_end|>\n<|im_start|>assistant\n5<|im_end|>');
    disposeModel(m);
  });

  it('packs rows up to the limit and pads batches on the left with labels aligned', () => {
    const exs = [3, 4, 5, 2].map((n, k) => ({ ids: new Array(n).fill(k + 1), labels: new Array(n).fill(1) }));
    const rows = packRows(exs, [0, 1, 2, 3], 8);
    expect(rows.map((r) => r.ids.length)).toEqual([7, 7]);
    const b = toBatch([exs[0]!, exs[2]!], 0);
    expect(b.inputIds[0]).toEqual([0, 0, 1, 1, 1]);
    expect(b.labelMask![0]).toEqual([0, 0, 1, 1, 1]);
    expect(planBatches(exs, { epochs: 2, batchSize: 2, seed: 3 })).toEqual(planBatches(exs, { epochs: 2, batchSize: 2, seed: 3 }));
  });

  it('groupByLength batches rows of similar length and still sees every example once per epoch', () => {
    const exs = [9, 1, 8, 2, 7, 3].map((n) => ({ ids: new Array(n).fill(1), labels: new Array(n).fill(1) }));
    const batches = planBatches(exs, { epochs: 1, batchSize: 2, seed: 5, groupByLength: true });
    const lens = batches.map((b) => b.map((r) => r.ids.length).sort((a, c) => a - c));
    expect(lens.map((l) => l.join(',')).sort()).toEqual(['1,2', '3,7', '8,9']);
  });

  it('cosine schedule warms up linearly, peaks, and decays to the floor', () => {
    expect(cosineLr(0, 100, 1, 0.1)).toBeCloseTo(0.1);
    expect(cosineLr(9, 100, 1, 0.1)).toBeCloseTo(1);
    expect(cosineLr(99, 100, 1, 0.1)).toBeCloseTo(0);
    expect(cosineLr(54, 100, 1, 0.1)).toBeCloseTo(0.5, 1);
  });

  it('full SFT lowers the assistant-token loss; resuming from a checkpoint replays the same run', async () => {
    const data = Array.from({ length: 8 }, (_, i) => ({ user: `copy ${i}${i}`, assistant: `${i}${i} ok` }));
    const m = await loadModel(dir, { backend: 'wasm' });
    const exs = data.map((d) => tokenizeChat(m.tokenizer, d, m.tokenizer.eosTokenIds[0]!));
    const full = await trainSft(m, exs, { epochs: 6, batchSize: 4, lr: 1e-2, seed: 1, quiet: true });
    expect(full.losses[full.losses.length - 1]!).toBeLessThan(full.losses[0]! * 0.7);
    const reference = await m.model.params.get('model.norm.weight')!.data();
    disposeModel(m);
    // Interrupted at step 6 (state saved), then resumed: the end state equals the uninterrupted run's.
    const state = join(root, 'state');
    const a = await loadModel(dir, { backend: 'wasm' });
    await trainSft(a, exs, { epochs: 6, batchSize: 4, lr: 1e-2, seed: 1, quiet: true, stateDir: state, checkpointEvery: 100, runKey: 'k', stopAfterSteps: 6 });
    disposeModel(a);
    const b = await loadModel(dir, { backend: 'wasm' });
    const resumed = await trainSft(b, exs, { epochs: 6, batchSize: 4, lr: 1e-2, seed: 1, quiet: true, stateDir: state, checkpointEvery: 100, runKey: 'k' });
    expect(resumed.losses).toHaveLength(6);
    const after = await b.model.params.get('model.norm.weight')!.data();
    expect(Math.max(...Array.from(after, (v, i) => Math.abs(v - reference[i]!)))).toBeLessThan(1e-5);
    disposeModel(b);
  });

  it('LoRA changes only the adapters; the base weights stay bitwise equal', async () => {
    const m = await loadModel(dir, { backend: 'wasm' });
    const before = new Map([...m.model.params].map(([k, v]) => [k, v.dataSync().slice()]));
    const exs = ['a', 'b', 'c', 'd'].map((s) => tokenizeChat(m.tokenizer, { user: s, assistant: `${s}${s}` }, m.tokenizer.eosTokenIds[0]!));
    const res = await trainSft(m, exs, { epochs: 4, batchSize: 4, lr: 2e-2, seed: 2, quiet: true, lora: { rank: 4, alpha: 8 } });
    expect(res.losses[res.losses.length - 1]!).toBeLessThan(res.losses[0]!);
    for (const [k, v] of m.model.params) expect(Buffer.from(v.dataSync().buffer).equals(Buffer.from(before.get(k)!.buffer)), k).toBe(true);
    const bNorm = tf.tidy(() => tf.norm(res.lora!.get('model.layers.0.self_attn.q_proj')!.b).dataSync()[0]!);
    expect(bNorm).toBeGreaterThan(0);
    disposeModel(m);
  });
});
