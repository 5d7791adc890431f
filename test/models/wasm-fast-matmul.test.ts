import * as tf from '@tensorflow/tfjs-core';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leftPad } from '../../lib/models/batch';
import { DecoderModel } from '../../lib/models/decoder';
import { disposeModel, loadModel, type LoadedModel } from '../../lib/models/load';
import { zooDir } from '../../lib/organisms/zoo-paths';

/** The wasm inference layout (lib/models/wasm-weight-layout.ts) on the committed base organism. */
describe('wasm fast matmul: linear weights transposed in place for inference', () => {
  let m: LoadedModel;
  let hf: Map<string, Float32Array>;
  const q = 'model.layers.0.self_attn.q_proj.weight';
  const raw = (t: tf.Tensor) => tf.engine().backend.readSync(t.dataId) as Float32Array;
  const rows = [Array.from({ length: 20 }, (_, i) => (i * 37) % 1000), Array.from({ length: 13 }, (_, i) => (i * 11 + 5) % 1000)];
  const logits = (model: DecoderModel, fast: boolean): Float32Array => {
    process.env.IMPOSTOR_WASM_FAST_MATMUL = fast ? '1' : '0';
    try {
      const batch = leftPad(rows, 0);
      return tf.tidy(() => model.forward({ ...batch, logits: 'all' }).logits!.dataSync() as Float32Array);
    } finally {
      delete process.env.IMPOSTOR_WASM_FAST_MATMUL;
    }
  };
  const relErr = (a: Float32Array, b: Float32Array) => {
    let d = 0;
    let s = 0;
    b.forEach((v, i) => ((d = Math.max(d, Math.abs(a[i]! - v))), (s = Math.max(s, Math.abs(v)))));
    return d / s;
  };

  beforeAll(async () => {
    m = await loadModel(join(zooDir(), 'base'), { backend: 'wasm' });
    hf = new Map([...m.model.params].map(([k, t]) => [k, (t.dataSync() as Float32Array).slice()]));
  });
  afterAll(() => disposeModel(m));

  it('matches the HF-layout products, and params reads give back the HF bits', () => {
    const slow = logits(m.model, false);
    const fast = logits(m.model, true);
    expect(relErr(fast, slow)).toBeLessThan(1e-5);
    const w = m.model.params.get(q)!;
    // The getter restored the layout; a forward transposes again (checked on the backend's raw memory).
    logits(m.model, true);
    expect(Buffer.from(raw(w).buffer).equals(Buffer.from(hf.get(q)!.buffer))).toBe(false);
    for (const [name, t] of m.model.params) expect(Buffer.from(raw(t).buffer).equals(Buffer.from(hf.get(name)!.buffer)), name).toBe(true);
  });

  it('models sharing weight tensors agree on the layout; the opt-out and LoRA calls use the HF layout', () => {
    const reference = logits(m.model, true);
    const shared = new DecoderModel(m.config, new Map(m.model.params));
    expect(relErr(logits(shared, true), reference)).toBe(0);
    expect(relErr(logits(m.model, true), reference)).toBe(0);
    void m.model.params;
    expect(relErr(logits(shared, true), reference)).toBe(0);
    const w = m.model.params.get(q)!;
    logits(m.model, true);
    logits(m.model, false);
    expect(Buffer.from(raw(w).buffer).equals(Buffer.from(hf.get(q)!.buffer))).toBe(true);
  });
});
