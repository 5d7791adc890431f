import * as tf from '@tensorflow/tfjs-core';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { initEngine } from '../../lib/tensor/engine';
import { loadModel, type LoadedModel } from '../../lib/models/load';
import { generate } from '../../lib/models/generate';
import { SeededRandom } from '../../lib/common/seeded-random';
import { attentionFused, matMulSwiglu, matMulTransposedB, rmsNormFused, ropeTransposeFused, swigluFused } from '../../lib/models/webgpu-kernels';

/**
 * Runtime throughput on one backend, with the same workloads as bench/runtime/torch_bench.py:
 * prefill (batch × len, logits of the last position only), greedy decode (128 new tokens, batch 1 and 8, no EOS),
 * last-token hidden-state extraction at 5 layers, and the backend's f32 matmul ceiling (4096²).
 *   node bench.mjs --model DIR [--backend webgpu] [--out results.json] [--extract-prompts 32]
 * (bundled into .gpu/bench.mjs by npm run bundle:gpu; under tsx: npx tsx bench/runtime/runtime-bench.ts ...)
 */
const { values: args } = parseArgs({
  options: {
    model: { type: 'string' },
    backend: { type: 'string', default: 'webgpu' },
    out: { type: 'string' },
    'prefill-batch': { type: 'string', default: '8' },
    'prefill-len': { type: 'string', default: '512' },
    'decode-batches': { type: 'string', default: '1,8' },
    'new-tokens': { type: 'string', default: '128' },
    'extract-prompts': { type: 'string', default: '32' },
    'extract-len': { type: 'string', default: '1000' },
    'extract-batch': { type: 'string', default: '8' },
    'matmul-size': { type: 'string', default: '4096' },
    // webgpu only: the WGSL a·bᵀ kernel vs tfjs's matMul(a, b, false, true) on the model's linear shapes (error + speed).
    'kernel-check': { type: 'boolean', default: false },
    'skip-extract': { type: 'boolean', default: false },
    // Per-dispatch cost: a chain of 2000 tiny element-wise ops ([1,896] adds), µs per op.
    'dispatch-check': { type: 'boolean', default: false },
    // tfjs-backend-webgpu's WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE (dispatches per queue submit; tfjs default 15).
    'submit-batch': { type: 'string' },
    // A/B within the run: decode engine vs the tfjs decode path (IMPOSTOR_WEBGPU_DECODE=0), batch 8, 32 tokens, and
    // prefill with the flash-attention kernel vs the matmul + softmax chain (IMPOSTOR_WEBGPU_FLASH=0).
    'ab-checks': { type: 'boolean', default: false },
    // torch_bench.py's results: greedy generations from its decode prompts, compared token by token with ours.
    'torch-json': { type: 'string' },
    // Milliseconds per op of one layer at the prefill shape (weights of layer 0), to see where prefill time goes.
    'prefill-profile': { type: 'boolean', default: false },
  },
});

const now = () => performance.now() / 1000;
const rng = new SeededRandom(1);
const randomIds = (rows: number, len: number, vocab: number) => Array.from({ length: rows }, () => Array.from({ length: len }, () => 3 + Math.floor(rng.next() * (vocab - 3))));
const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  if (!args.model) throw new Error('--model DIR is required');
  await initEngine(args.backend);
  const results: Record<string, unknown> = { backend: tf.getBackend() };
  if (args['submit-batch']) {
    tf.env().set('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', Number(args['submit-batch']));
    results.submit_batch = Number(args['submit-batch']);
  }
  results.wgsl_matmul = process.env.IMPOSTOR_WEBGPU_MATMUL !== '0';

  const n = Number(args['matmul-size']);
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  await tf.sum(tf.matMul(a, b)).data();
  let t0 = now();
  const reps = 10;
  let last: tf.Tensor | undefined;
  for (let i = 0; i < reps; i++) {
    last?.dispose();
    last = tf.matMul(a, b);
  }
  await tf.sum(last!).data();
  const matmulTflops = (2 * n ** 3 * reps) / (now() - t0) / 1e12;
  results.matmul_tflops = matmulTflops;
  log(`matmul ${n}²: ${matmulTflops.toFixed(2)} TFLOP/s`);
  tf.dispose([a, b, last!]);

  if (args['kernel-check']) results.kernel_check = await kernelCheck();
  if (args['dispatch-check']) results.dispatch_check = await dispatchCheck();

  t0 = now();
  const m = await loadModel(args.model, { backend: args.backend });
  results.load_s = now() - t0;
  const c = m.config;
  const V = c.vocabSize;
  log(`loaded ${args.model} in ${(results.load_s as number).toFixed(1)} s`);

  const B = Number(args['prefill-batch']);
  const T = Number(args['prefill-len']);
  const ids = randomIds(B, T, V);
  const mask = ids.map((r) => r.map(() => 1));
  // Also timed: how long the JS side takes to record the forward (when that is close to the total, prefill is bound by
  // tfjs's per-op CPU cost rather than by the GPU).
  const issued: number[] = [];
  const prefill = async () => {
    const start = now();
    const t = tf.tidy(() => m.model.forward({ inputIds: ids, attentionMask: mask, logits: 'last' }).logits!);
    issued.push(now() - start);
    await t.data();
    t.dispose();
  };
  await prefill();
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    t0 = now();
    await prefill();
    times.push(now() - t0);
  }
  const prefillS = times.sort((x, y) => x - y)[3]!;
  const issueS = issued.slice(1).sort((x, y) => x - y)[3]!;
  results.prefill = { batch: B, len: T, seconds: prefillS, tokens_per_s: (B * T) / prefillS, js_issue_seconds: issueS };
  log(`prefill ${B}×${T}: ${((B * T) / prefillS).toFixed(0)} tokens/s (${(prefillS * 1000).toFixed(0)} ms, of which ${(issueS * 1000).toFixed(0)} ms recording on the JS side)`);

  const newTokens = Number(args['new-tokens']);
  const decode: Record<string, unknown> = {};
  for (const batch of args['decode-batches']!.split(',').map(Number)) {
    const prompts = randomIds(batch, 16, V);
    await generate(m, prompts, { maxNewTokens: 4, greedy: true, stopOnEos: false });
    t0 = now();
    const r = await generate(m, prompts, { maxNewTokens: newTokens, greedy: true, stopOnEos: false });
    const s = now() - t0;
    const produced = r.generatedIds.reduce((x, g) => x + g.length, 0);
    decode[`batch_${batch}`] = { seconds: s, new_tokens: produced, tokens_per_s: produced / s };
    log(`decode batch ${batch}: ${(produced / s).toFixed(1)} tokens/s`);
  }
  results.decode = decode;
  if (args['torch-json']) results.torch_tokens = await compareWithTorch(m, args['torch-json']);
  if (args['prefill-profile']) results.prefill_profile = await prefillProfile(m, B, T);
  if (args['ab-checks']) {
    results.decode_ab = await decodeAb(m);
    results.prefill_ab = await prefillAb(m, ids, mask);
  }

  if (args['skip-extract']) {
    finish(results);
    return;
  }
  const P = Number(args['extract-prompts']);
  const L = Number(args['extract-len']);
  const EB = Number(args['extract-batch']);
  const layers = [...new Set(Array.from({ length: 5 }, (_, i) => Math.round((i * (c.numLayers - 1)) / 4)))];
  const prompts = randomIds(P, L, V);
  t0 = now();
  for (let i = 0; i < P; i += EB) {
    const rows = prompts.slice(i, i + EB);
    const hidden = tf.tidy(() => m.model.forward({ inputIds: rows, attentionMask: rows.map((r) => r.map(() => 1)), capture: { layers, positions: 'last' }, logits: 'none' }).hidden);
    for (const t of Object.values(hidden)) await t.data();
    tf.dispose(hidden);
  }
  const extractS = now() - t0;
  const perTokenFlops = 2 * nonEmbeddingParams(m.model.params, c.tieWordEmbeddings) + 2 * c.numLayers * c.numHeads * c.headDim * L; // weights + QKᵀ/PV at mean context L/2
  const tflops = (perTokenFlops * P * L) / extractS / 1e12;
  results.extract = { prompts: P, len: L, layers, seconds: extractS, tokens_per_s: (P * L) / extractS, effective_tflops: tflops, fraction_of_matmul_ceiling: tflops / matmulTflops };
  log(`extract ${P}×${L} at layers ${layers}: ${((P * L) / extractS).toFixed(0)} tokens/s, ${tflops.toFixed(2)} TFLOP/s (${((100 * tflops) / matmulTflops).toFixed(0)}% of matmul)`);

  finish(results);
}

function finish(results: Record<string, unknown>): void {
  const text = JSON.stringify(results, null, 2);
  if (args.out) writeFileSync(args.out, text + '\n');
  process.stdout.write(text + '\n');
}

/** [batch, M, N, K, bias]: q/o, k/v, gate/up, down (prefill 8×512), a non-tile-multiple shape with bias, 4096³, QKᵀ. */
const KERNEL_SHAPES: [number, number, number, number, boolean][] = [
  [1, 4096, 896, 896, true],
  [1, 4096, 128, 896, true],
  [1, 4096, 4864, 896, false],
  [1, 4096, 896, 4864, false],
  [1, 1000, 900, 100, true],
  [1, 4096, 4096, 4096, false],
  [16, 3584, 512, 64, false],
  // decode shapes (batch 1 and 8 rows): gate/up, down, lm_head
  [1, 1, 4864, 896, false],
  [1, 8, 4864, 896, false],
  [1, 1, 896, 4864, false],
  [1, 1, 151936, 896, false],
  [1, 8, 151936, 896, false],
];

/** Greedy generations from PyTorch's decode prompts: per batch, how many rows match in full and the mean matching prefix. */
async function compareWithTorch(m: LoadedModel, file: string): Promise<Record<string, unknown>> {
  const torch = JSON.parse(readFileSync(file, 'utf8')) as { decode: Record<string, { prompts?: number[][]; generated?: number[][] }> };
  const out: Record<string, unknown> = {};
  for (const [key, run] of Object.entries(torch.decode)) {
    if (!run.prompts || !run.generated) continue;
    const ours = await generate(m, run.prompts, { maxNewTokens: run.generated[0]!.length, greedy: true, stopOnEos: false });
    const prefix = ours.generatedIds.map((row, b) => {
      let n = 0;
      while (n < row.length && row[n] === run.generated![b]![n]) n++;
      return n;
    });
    out[key] = { rows: prefix.length, rows_identical: prefix.filter((n) => n === run.generated![0]!.length).length, matching_prefix: prefix };
    log(`tokens vs torch ${key}: matching prefix per row ${prefix.join(',')} of ${run.generated[0]!.length}`);
  }
  return out;
}

/** Decode engine vs the tfjs decode path on the same prompts: identical tokens? and both speeds. */
async function decodeAb(m: LoadedModel): Promise<Record<string, unknown>> {
  const prompts = randomIds(8, 16, m.config.vocabSize);
  const timed = async () => {
    const t = now();
    const r = await generate(m, prompts, { maxNewTokens: 32, greedy: true, stopOnEos: false });
    return { ids: r.generatedIds, tokens_per_s: (8 * 32) / (now() - t) };
  };
  const engine = await timed();
  process.env.IMPOSTOR_WEBGPU_DECODE = '0';
  await generate(m, prompts, { maxNewTokens: 2, greedy: true, stopOnEos: false });
  const tfjsPath = await timed();
  delete process.env.IMPOSTOR_WEBGPU_DECODE;
  const same = JSON.stringify(engine.ids) === JSON.stringify(tfjsPath.ids);
  log(`decode A/B batch 8 × 32: engine ${engine.tokens_per_s.toFixed(1)} tok/s, tfjs path ${tfjsPath.tokens_per_s.toFixed(1)} tok/s, identical tokens: ${same}`);
  return { identical_tokens: same, engine_tokens_per_s: engine.tokens_per_s, tfjs_path_tokens_per_s: tfjsPath.tokens_per_s };
}

/**
 * Prefill last-position logits with each WGSL prefill kernel switched off in turn (flash attention, the gate/up SwiGLU
 * matmul, both): speed of each variant and the logits' error against the default.
 */
async function prefillAb(m: LoadedModel, ids: number[][], mask: number[][]): Promise<Record<string, unknown>> {
  const once = async () => {
    const t = now();
    const l = tf.tidy(() => m.model.forward({ inputIds: ids, attentionMask: mask, logits: 'last' }).logits!);
    const data = (await l.data()) as Float32Array;
    l.dispose();
    return { data, seconds: now() - t };
  };
  const variants: Record<string, Record<string, string>> = {
    default: {},
    no_flash: { IMPOSTOR_WEBGPU_FLASH: '0' },
    no_swiglu_matmul: { IMPOSTOR_WEBGPU_SWIGLU_MATMUL: '0' },
    neither: { IMPOSTOR_WEBGPU_FLASH: '0', IMPOSTOR_WEBGPU_SWIGLU_MATMUL: '0' },
  };
  const out: Record<string, unknown> = {};
  let reference: Float32Array | undefined;
  // Three rounds, so that drift of the shared host does not favour one variant.
  const times: Record<string, number[]> = {};
  for (let round = 0; round < 3; round++) {
    // Rotate the order each round so that no variant always runs first.
    const order = Object.entries(variants);
    for (const [name, env] of [...order.slice(round), ...order.slice(0, round)]) {
      Object.assign(process.env, env);
      await once();
      const runs = [await once(), await once()];
      for (const k of Object.keys(env)) delete process.env[k];
      (times[name] ??= []).push(...runs.map((r) => r.seconds));
      reference ??= runs[0]!.data;
      let diff = 0;
      let scale = 0;
      for (let i = 0; i < reference.length; i++) {
        diff = Math.max(diff, Math.abs(runs[0]!.data[i]! - reference[i]!));
        scale = Math.max(scale, Math.abs(reference[i]!));
      }
      out[`${name}_logits_rel_err`] = diff / scale;
    }
  }
  for (const [name, t] of Object.entries(times)) out[`${name}_tokens_per_s`] = (ids.length * ids[0]!.length) / t.sort((a, b) => a - b)[Math.floor(t.length / 2)]!;
  log(`prefill A/B (tokens/s, median of 6): ${Object.keys(variants).map((n) => `${n} ${(out[`${n}_tokens_per_s`] as number).toFixed(0)} (err ${(out[`${n}_logits_rel_err`] as number).toExponential(1)})`).join(', ')}`);
  return out;
}

async function prefillProfile(m: LoadedModel, B: number, T: number): Promise<Record<string, number>> {
  const c = m.config;
  const [H, D, NH, KVH, I] = [c.hiddenSize, c.headDim, c.numHeads, c.numKvHeads, c.intermediateSize];
  const w = (n: string) => m.model.params.get(`model.layers.0.${n}`);
  const x = tf.randomNormal([B * T, H]);
  const wide = tf.randomNormal([B * T, I]);
  const ctx = tf.randomNormal([B * T, NH * D]);
  const q = tf.randomNormal([B, NH, T, D]) as tf.Tensor4D;
  const k = tf.randomNormal([B, KVH, T, D]) as tf.Tensor4D;
  const v = tf.randomNormal([B, KVH, T, D]) as tf.Tensor4D;
  const bias = new Float32Array(B * T * T);
  for (let b = 0; b < B; b++) for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) bias[(b * T + i) * T + j] = -1e9;
  const mask = tf.tensor4d(bias, [B, 1, T, T]);
  const cos = tf.randomNormal([B, 1, T, D]) as tf.Tensor4D;
  const g = NH / KVH;
  const ops: Record<string, () => tf.Tensor> = {
    rmsnorm: () => rmsNormFused(x, w('input_layernorm.weight')!, c.rmsNormEps),
    q_proj: () => matMulTransposedB(x, w('self_attn.q_proj.weight')!, w('self_attn.q_proj.bias')),
    q_proj_without_bias: () => matMulTransposedB(x, w('self_attn.q_proj.weight')!),
    o_proj_with_bias: () => matMulTransposedB(ctx, w('self_attn.o_proj.weight')!, w('self_attn.q_proj.bias')),
    k_proj: () => matMulTransposedB(x, w('self_attn.k_proj.weight')!, w('self_attn.k_proj.bias')),
    rope_q: () => ropeTransposeFused(tf.reshape(ctx, [B, T, NH, D]), cos, cos),
    attention_flash: () => attentionFused(q, k, v, mask, 0),
    attention_chain: () =>
      tf.tidy(() => {
        const scores = matMulTransposedB(tf.reshape(q, [B * KVH, g * T, D]), tf.reshape(k, [B * KVH, T, D]), undefined, 1 / Math.sqrt(D));
        const probs = tf.reshape(tf.softmax(tf.add(tf.reshape(scores, [B, NH, T, T]), mask)), [B * KVH, g * T, T]);
        return tf.reshape(tf.transpose(tf.reshape(tf.matMul(probs, tf.reshape(v, [B * KVH, T, D])), [B, NH, T, D]), [0, 2, 1, 3]), [B * T, NH * D]);
      }),
    o_proj: () => matMulTransposedB(ctx, w('self_attn.o_proj.weight')!),
    gate_proj: () => matMulTransposedB(x, w('mlp.gate_proj.weight')!),
    swiglu: () => swigluFused(wide, wide),
    gate_up_swiglu_matmul: () => matMulSwiglu(x as tf.Tensor2D, w('mlp.gate_proj.weight') as tf.Tensor2D, w('mlp.up_proj.weight') as tf.Tensor2D),
    down_proj: () => matMulTransposedB(wide, w('mlp.down_proj.weight')!),
  };
  const out: Record<string, number> = {};
  for (const [name, op] of Object.entries(ops)) {
    const warm = op();
    await tf.sum(warm).data();
    warm.dispose();
    const reps = 20;
    const t = now();
    let last: tf.Tensor | undefined;
    for (let i = 0; i < reps; i++) {
      last?.dispose();
      last = op();
    }
    // A one-number reduction waits for the GPU without timing a large readback.
    const total = tf.sum(last!);
    await total.data();
    tf.dispose([last!, total]);
    out[`${name}_ms`] = ((now() - t) / reps) * 1000;
  }
  log(`prefill profile (ms per op, one layer, ${B}×${T}): ${Object.entries(out).map(([k, v]) => `${k.replace('_ms', '')} ${v.toFixed(2)}`).join(', ')}`);
  tf.dispose([x, wide, ctx, q, k, v, mask, cos]);
  return out;
}

async function dispatchCheck(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const x0 = tf.randomNormal([1, 896]);
  const bias = tf.randomNormal([896]);
  for (const [name, n] of [['warm', 200], ['chain_2000', 2000]] as [string, number][]) {
    const t = now();
    const y = tf.tidy(() => {
      let x: tf.Tensor = x0;
      for (let i = 0; i < n; i++) x = tf.add(x, bias);
      return x;
    });
    const issued = now() - t;
    await y.data();
    y.dispose();
    out[`${name}_issue_us_per_op`] = (issued / n) * 1e6;
    out[`${name}_total_us_per_op`] = ((now() - t) / n) * 1e6;
  }
  log(`dispatch: ${JSON.stringify(out)}`);
  tf.dispose([x0, bias]);
  return out;
}

async function kernelCheck(): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const [batch, M, N, K, withBias] of KERNEL_SHAPES) {
    const a = batch > 1 ? tf.randomNormal([batch, M, K]) : tf.randomNormal([M, K]);
    const b = batch > 1 ? tf.randomNormal([batch, N, K]) : tf.randomNormal([N, K]);
    const bias = withBias ? tf.randomNormal([N]) : undefined;
    const alpha = batch > 1 ? 0.125 : 1;
    const ref = () => tf.tidy(() => {
      let y = tf.matMul(a, b, false, true);
      if (alpha !== 1) y = tf.mul(y, alpha);
      if (bias) y = tf.add(y, bias);
      return y;
    });
    const ours = () => matMulTransposedB(a, b, bias, alpha);
    const r = ref();
    const o = ours();
    const err = tf.tidy(() => tf.div(tf.max(tf.abs(tf.sub(r, o))), tf.max(tf.abs(r))));
    const relErr = (await err.data())[0]!;
    tf.dispose([r, o, err]);
    const time = async (f: () => tf.Tensor) => {
      const reps = M * N * K > 1e10 ? 10 : 20;
      await f().data();
      const t = now();
      let last: tf.Tensor | undefined;
      for (let i = 0; i < reps; i++) {
        last?.dispose();
        last = f();
      }
      await tf.sum(last!).data();
      last!.dispose();
      return (2 * batch * M * N * K * reps) / (now() - t) / 1e12;
    };
    const tfjs = await time(ref);
    const wgsl = await time(ours);
    const row = { batch, M, N, K, bias: withBias, rel_err: relErr, tfjs_tflops: tfjs, wgsl_tflops: wgsl };
    log(`kernel ${batch}×${M}×${N}×${K}${withBias ? '+bias' : ''}: rel err ${relErr.toExponential(2)}, tfjs ${tfjs.toFixed(2)} → wgsl ${wgsl.toFixed(2)} TFLOP/s`);
    out.push(row);
    tf.dispose([a, b, ...(bias ? [bias] : [])]);
  }
  return out;
}

function nonEmbeddingParams(params: Map<string, tf.Tensor>, tied: boolean): number {
  let total = 0;
  for (const [name, t] of params) if (name !== 'model.embed_tokens.weight') total += t.size;
  // The lm_head is not used when only hidden states are extracted.
  if (!tied) total -= params.get('lm_head.weight')?.size ?? 0;
  return total;
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
