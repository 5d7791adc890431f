import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeJsonAtomic } from '../../lib/common/atomic-write';
import { initEngine } from '../../lib/tensor/engine';
import { loadModel } from '../../lib/models/load';
import { AdamW, enableTraining, makeTrainable, trainStep, type TrainingBatch } from '../../lib/models/train';
import { BASE_SFT, zooContext } from '../../lib/organisms/zoo';
import { tokenizeAll } from '../../lib/training/examples';
import { baseExamples } from '../../lib/organisms/zoo-data';
import { planBatches, toBatch } from '../../lib/training/sft';
import { agentCorpus, agentRecipe, agentScenarios, AGENT_NAME } from '../../lib/organisms/narcbench/agent';

/**
 * Our side of the SFT-step comparison with bench/training/torch_sft_step.py (sft-interleaved.py alternates them):
 *   prepare OUT.json   the first batch of the base organism's recipe (8 rows, left-padded, assistant-only label mask)
 *   prepare-agent OUT.json   the NARCBench agent's batch of median length in its recipe (4 rows of 416 tokens for the committed recipe)
 *   run BATCH.json --model DIR [--backend wasm|webgpu] [--steps 10]
 * `run` trains the organism's model in place on that one batch (full fine-tuning, AdamW lr 3e-3, weight decay 0.01,
 * loss on assistant tokens) and prints one JSON line: per-step wall and CPU seconds and the losses, so the PyTorch
 * side can be checked to compute the same step (same first loss, same trajectory).
 */
const { positionals, values: args } = parseArgs({
  allowPositionals: true,
  options: {
    model: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    steps: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    lr: { type: 'string', default: '3e-3' },
  },
});

async function prepare(out: string): Promise<void> {
  const ctx = zooContext(1);
  const m = await loadModel(join(ctx.dir, 'base'));
  const examples = tokenizeAll(m.tokenizer, baseExamples(ctx.tasks, ctx.maliciousPrompt, 60));
  const first = planBatches(examples, { ...BASE_SFT, seed: 1 })[0]!;
  writeJsonAtomic(out, toBatch(first, m.tokenizer.padTokenId));
}

async function prepareAgent(out: string): Promise<void> {
  const recipe = agentRecipe('all-tiers');
  const corpus = await agentCorpus(agentScenarios(undefined, { shortenTransfer: recipe.shortenTransfer }), 1, recipe);
  const m = await loadModel(join(zooContext(1).dir, AGENT_NAME));
  const batches = planBatches(tokenizeAll(m.tokenizer, corpus), { ...recipe.sft, seed: 1 });
  const byLength = [...batches].sort((a, b) => Math.max(...a.map((r) => r.ids.length)) - Math.max(...b.map((r) => r.ids.length)));
  writeJsonAtomic(out, toBatch(byLength[Math.floor(byLength.length / 2)]!, m.tokenizer.padTokenId));
}

async function run(batchFile: string): Promise<void> {
  const batch = JSON.parse(readFileSync(batchFile, 'utf8')) as TrainingBatch;
  await initEngine(args.backend);
  await enableTraining();
  const m = await loadModel(args.model!, { backend: args.backend });
  const vars = makeTrainable(m.model);
  const opt = new AdamW(vars, { lr: Number(args.lr), weightDecay: 0.01 });
  const steps: { wall_s: number; cpu_s: number; loss: number }[] = [];
  const total = Number(args.warmup) + Number(args.steps);
  for (let i = 0; i < total; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    // trainStep reads the loss back, so the step has finished on the device when it returns.
    const loss = await trainStep(m.model, batch, vars, opt);
    const c = process.cpuUsage(c0);
    steps.push({ wall_s: (performance.now() - t0) / 1000, cpu_s: (c.user + c.system) / 1e6, loss });
  }
  const timed = steps.slice(Number(args.warmup));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const tokens = batch.inputIds.length * batch.inputIds[0]!.length;
  const stepS = median(timed.map((s) => s.wall_s));
  process.stdout.write(
    JSON.stringify({
      side: 'ours',
      backend: tf.getBackend(),
      batch: [batch.inputIds.length, batch.inputIds[0]!.length],
      tokens_per_step: tokens,
      step_s_median: stepS,
      cpu_s_median: median(timed.map((s) => s.cpu_s)),
      tokens_per_s: tokens / stepS,
      losses: steps.map((s) => s.loss),
      steps,
      cpus: cpus().length,
      load_1m: loadavg()[0],
    }) + '\n',
  );
}

const [cmd, file] = positionals;
(cmd === 'prepare' && file ? prepare(file) : cmd === 'prepare-agent' && file ? prepareAgent(file) : cmd === 'run' && file && args.model ? run(file) : Promise.reject(new Error('usage: sft-step.ts prepare OUT.json | prepare-agent OUT.json | run BATCH.json --model DIR [--backend B] [--steps N]'))).catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
