import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initEngine } from '../../lib/tensor/engine';
import { loadModel } from '../../lib/models/load';
import { generate } from '../../lib/models/generate';
import { writeRandomCheckpoint } from '../../lib/models/random-checkpoint';
import { SeededRandom } from '../../lib/common/seeded-random';
import { repoRoot } from '../../lib/common/paths';

/**
 * Our side of the CPU comparison (bench/runtime/cpu-interleaved.py runs it alternately with torch_cpu_bench.py):
 * the same ~1.1M-parameter Qwen2 and workloads, on the wasm backend, printing one JSON line with tokens/s from wall
 * time and the process CPU time (user+sys) of each workload.
 *   npx tsx bench/runtime/cpu-ours.ts --model DIR   (writes the seeded random checkpoint first when DIR is missing)
 */
const { values: args } = parseArgs({
  options: {
    model: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    'prefill-batch': { type: 'string', default: '8' },
    'prefill-len': { type: 'string', default: '128' },
    'new-tokens': { type: 'string', default: '64' },
  },
});

/** hidden 128, 4 layers, intermediate 512, GQA 4/2, vocab 1,024 tied: 1.12M parameters (the organisms' tokenizer). */
const CPU_BENCH_CONFIG = {
  architectures: ['Qwen2ForCausalLM'],
  model_type: 'qwen2',
  hidden_size: 128,
  intermediate_size: 512,
  num_hidden_layers: 4,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  hidden_act: 'silu',
  max_position_embeddings: 1024,
  rms_norm_eps: 1e-6,
  rope_theta: 10000,
  tie_word_embeddings: true,
  vocab_size: 1024,
  bos_token_id: 1021,
  eos_token_id: 1023,
  torch_dtype: 'float32',
};

/** Wall and CPU seconds of an async workload. */
async function timed(f: () => Promise<void>): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await f();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

async function main(): Promise<void> {
  const dir = args.model ?? join(repoRoot, 'runs', 'bench-cpu-model');
  if (!existsSync(join(dir, 'config.json'))) writeRandomCheckpoint(dir, { config: CPU_BENCH_CONFIG, tokenizerFrom: join(repoRoot, 'data', 'organisms', 'tokenizer'), seed: 1, std: 0.05 });
  await initEngine(args.backend);
  const m = await loadModel(dir, { backend: args.backend });
  const V = m.config.vocabSize;
  const rng = new SeededRandom(1);
  const randomIds = (rows: number, len: number) => Array.from({ length: rows }, () => Array.from({ length: len }, () => 3 + Math.floor(rng.next() * (V - 3))));
  const params = [...m.model.params.values()].reduce((a, t) => a + t.size, 0);
  const res: Record<string, unknown> = { backend: tf.getBackend(), params };

  const B = Number(args['prefill-batch']);
  const T = Number(args['prefill-len']);
  const ids = randomIds(B, T);
  const mask = ids.map((r) => r.map(() => 1));
  const prefill = async () => {
    const t = tf.tidy(() => m.model.forward({ inputIds: ids, attentionMask: mask, logits: 'last' }).logits!);
    await t.data();
    t.dispose();
  };
  await prefill();
  const p = await timed(async () => {
    for (let i = 0; i < 3; i++) await prefill();
  });
  res.prefill = { tokens_per_s: (3 * B * T) / p.wall, wall_s: p.wall, cpu_s: p.cpu };

  const newTokens = Number(args['new-tokens']);
  for (const batch of [1, 8]) {
    const prompts = randomIds(batch, 16);
    await generate(m, prompts, { maxNewTokens: 4, greedy: true, stopOnEos: false });
    const d = await timed(async () => {
      await generate(m, prompts, { maxNewTokens: newTokens, greedy: true, stopOnEos: false });
    });
    res[`decode_batch_${batch}`] = { tokens_per_s: (batch * newTokens) / d.wall, wall_s: d.wall, cpu_s: d.cpu };
  }
  process.stdout.write(JSON.stringify(res) + '\n');
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
