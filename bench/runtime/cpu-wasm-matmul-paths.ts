import * as tf from '@tensorflow/tfjs-core';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initEngine } from '../../lib/tensor/engine';
import { loadModel } from '../../lib/models/load';
import { generate } from '../../lib/models/generate';
import { AdamW, enableTraining, makeTrainable, trainStep, type TrainingBatch } from '../../lib/models/train';
import { repoRoot } from '../../lib/common/paths';

/**
 * Why the wasm backend is slow on our models, and what it would gain (an experiment; nothing here is used by lib/).
 * tfjs-backend-wasm sends BatchMatMul to XNNPACK only for an un-transposed product; `x·Wᵀ` (every linear layer in
 * HF's [out, in] weight layout), `aᵀ·b` (weight gradients) and batched products take a naive loop. This script
 * (1) times those paths against the XNNPACK one, and (2) runs the CPU bench's prefill/decode and one SFT step of the
 * base organism with and without a kernel override that transposes operands explicitly so XNNPACK applies,
 * alternating A/B in one process, and reports times and the largest output difference.
 *   IMPOSTOR_WASM_FAST_MATMUL=0 npx tsx bench/runtime/cpu-wasm-matmul-paths.ts [--rounds 3]
 * The runtime has since adopted such a kernel (lib/tensor/wasm-xnnpack-matmul.ts); the variable keeps tfjs's own kernel
 * installed, so this script still compares the two.
 */
const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1] ?? 3) || 3;
const now = () => performance.now() / 1000;

async function timeOp(f: () => tf.Tensor, reps = 5): Promise<number> {
  const warm = f();
  await warm.data();
  warm.dispose();
  const t0 = now();
  for (let i = 0; i < reps; i++) {
    const r = f();
    await r.data();
    r.dispose();
  }
  return (now() - t0) / reps;
}

type KernelArgs = { inputs: { a: tf.TensorInfo; b: tf.TensorInfo }; backend: { disposeData(id: unknown): void }; attrs: Record<string, unknown> };
let original: tf.KernelConfig | undefined;
let overridden = false;

/** Transposes a/b with the wasm Transpose kernel so the product reaches XNNPACK (batched products stay as they are). */
function setOverride(on: boolean): void {
  if (on === overridden) return;
  // The wasm kernels exist once the backend module is loaded (initEngine), so the original is read here.
  original ??= tf.getKernel('BatchMatMul', 'wasm');
  tf.unregisterKernel('BatchMatMul', 'wasm');
  if (!on) tf.registerKernel(original!);
  else {
    const transpose = tf.getKernel('Transpose', 'wasm')!;
    tf.registerKernel({
      kernelName: 'BatchMatMul',
      backendName: 'wasm',
      kernelFunc: (args) => {
        const { inputs, backend, attrs } = args as unknown as KernelArgs;
        const temps: tf.TensorInfo[] = [];
        const tr = (x: tf.TensorInfo) => {
          const r = x.shape.length;
          const perm = [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2];
          const y = transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } } as never) as tf.TensorInfo;
          temps.push(y);
          return y;
        };
        const a = attrs.transposeA ? tr(inputs.a) : inputs.a;
        const b = attrs.transposeB ? tr(inputs.b) : inputs.b;
        const out = original!.kernelFunc({ inputs: { a, b }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } } as never);
        for (const t of temps) backend.disposeData(t.dataId);
        return out;
      },
    });
  }
  overridden = on;
}

async function main(): Promise<void> {
  if (process.env.IMPOSTOR_WASM_FAST_MATMUL !== '0') throw new Error('run with IMPOSTOR_WASM_FAST_MATMUL=0: the A side is tfjs-wasm\'s own BatchMatMul');
  await initEngine('wasm');
  await enableTraining();
  const res: Record<string, unknown> = {};
  const gflops = (flop: number, s: number) => +(flop / s / 1e9).toFixed(2);
  const x = tf.randomNormal([1024, 128]);
  const w = tf.randomNormal([512, 128]);
  const wt = tf.transpose(w);
  const q = tf.randomNormal([16, 256, 32]);
  const k = tf.randomNormal([16, 128, 32]);
  const dy = tf.randomNormal([1024, 512]);
  const fl = 2 * 1024 * 128 * 512;
  res.microbench_gflops = {
    'x·Wᵀ (transposeB, as every linear)': gflops(fl, await timeOp(() => tf.matMul(x, w, false, true))),
    'x·W (pre-transposed weight: XNNPACK)': gflops(fl, await timeOp(() => tf.matMul(x, wt))),
    'xᵀ·dy (transposeA, as weight gradients)': gflops(fl, await timeOp(() => tf.matMul(x, dy, true, false))),
    'batched QKᵀ [16,256,32]·[16,128,32]ᵀ': gflops(2 * 16 * 256 * 128 * 32, await timeOp(() => tf.matMul(q, k, false, true))),
  };
  process.stderr.write(`${JSON.stringify(res.microbench_gflops)}\n`);

  const dir = join(repoRoot, 'runs', 'bench-cpu-model');
  if (!existsSync(join(dir, 'config.json'))) throw new Error(`${dir}: run bench/runtime/cpu-ours.ts once first (it writes this checkpoint)`);
  const m = await loadModel(dir);
  const ids = Array.from({ length: 8 }, (_, r) => Array.from({ length: 128 }, (_, i) => 3 + ((r * 131 + i * 7) % 1000)));
  const mask = ids.map((r) => r.map(() => 1));
  const prefill = async () => {
    const t = tf.tidy(() => m.model.forward({ inputIds: ids, attentionMask: mask, logits: 'last' }).logits!);
    const d = await t.data();
    t.dispose();
    return d as Float32Array;
  };
  const batch = JSON.parse(readFileSync(join(repoRoot, 'bench/training/batch-base-step0.json'), 'utf8')) as TrainingBatch;
  const sftStep = async () => {
    const b = await loadModel(join(repoRoot, 'data/organisms/base'));
    const vars = makeTrainable(b.model);
    const opt = new AdamW(vars, { lr: 3e-3, weightDecay: 0.01 });
    await trainStep(b.model, batch, vars, opt);
    const t0 = now();
    const loss = await trainStep(b.model, batch, vars, opt);
    const s = now() - t0;
    tf.dispose([...vars.values()]);
    return { s, loss };
  };
  const rows: Record<string, number[]>[] = [];
  const outputs: Record<string, Float32Array | number> = {};
  for (let r = 0; r < rounds; r++) {
    for (const on of r % 2 === 0 ? [false, true] : [true, false]) {
      setOverride(on);
      const key = on ? 'xnnpack_override' : 'tfjs_default';
      await prefill();
      let t0 = now();
      const logits = await prefill();
      const prefillS = now() - t0;
      const prompts = ids.slice(0, 8).map((row) => row.slice(0, 16));
      t0 = now();
      await generate(m, prompts, { maxNewTokens: 64, greedy: true, stopOnEos: false });
      const decodeS = now() - t0;
      const step = await sftStep();
      outputs[`${key}_logits`] = logits;
      outputs[`${key}_loss`] = step.loss;
      rows.push({ [key]: [(8 * 128) / prefillS, (8 * 64) / decodeS, 2064 / step.s] });
      process.stderr.write(`round ${r} ${key}: prefill ${((8 * 128) / prefillS).toFixed(0)} tok/s, decode batch 8 ${((8 * 64) / decodeS).toFixed(0)} tok/s, SFT step ${(step.s * 1000).toFixed(0)} ms\n`);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const key of ['tfjs_default', 'xnnpack_override']) {
    const mine = rows.flatMap((r) => (r[key] ? [r[key]!] : []));
    res[key] = { prefill_8x128_tokens_per_s: median(mine.map((v) => v[0]!)), decode_batch8_tokens_per_s: median(mine.map((v) => v[1]!)), sft_step_tokens_per_s: median(mine.map((v) => v[2]!)) };
  }
  const a = outputs.tfjs_default_logits as Float32Array;
  const b = outputs.xnnpack_override_logits as Float32Array;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(a[i]!));
  }
  res.prefill_logits_max_rel_diff = diff / scale;
  res.sft_loss = { tfjs_default: outputs.tfjs_default_loss, xnnpack_override: outputs.xnnpack_override_loss };
  process.stdout.write(JSON.stringify(res, null, 1) + '\n');
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
