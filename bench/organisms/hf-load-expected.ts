import * as tf from '@tensorflow/tfjs-core';
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { writeJsonAtomic } from '../../lib/common/atomic-write';
import { repoRoot } from '../../lib/common/paths';
import { initEngine } from '../../lib/tensor/engine';
import { writeNpz } from '../../lib/tensor/npz';
import { leftPad } from '../../lib/models/batch';
import { disposeModel, loadModel, type LoadedModel } from '../../lib/models/load';
import type { Steering } from '../../lib/models/decoder';
import { DEFAULT_SYSTEM_PROMPT } from '../../lib/organisms/chat-template';
import { resolveOrganism } from '../../lib/organisms/organism';
import { ORGANISMS, zooDir } from '../../lib/organisms/zoo-paths';
import { loadRewardModel, rewardTensor } from '../../lib/training/reward-model';
import { tokenizeChat } from '../../lib/training/examples';
import { AGENT_NAME, agentScenarios, recipeOfAgent } from '../../lib/organisms/narcbench/agent';
import { stegoCorpus } from '../../lib/organisms/narcbench/corpus';

/**
 * `npx tsx bench/organisms/hf-load-expected.ts OUTDIR`: what our runtime (wasm) computes for every committed organism
 * (and the NARCBench agent on two real Stego prompts)
 * on a fixed, left-padded two-prompt batch, for bench/organisms/hf-load-check.py to compare against HF transformers
 * on the GPU host. Per organism OUTDIR/<name>/: case.json (checkpoint folder, ids, mask, messages, steering) and
 * ours.npz (embeddings, layer_<i>, final_norm, logits [B,T,…]; the reward model also `reward` [B]).
 */
const USERS = ['Tom has 12 apples and buys 7 more. How many apples does he have now?', 'Write one sentence about the sea, all in lowercase letters.'];
/** The reward model scores whole conversations (prompt + answer + end of turn), as GRPO calls it. */
const ANSWERS = ['Tom has \\boxed{19} apples.', 'the sea is calm tonight.'];

async function forwardAll(m: LoadedModel, rows: number[][], steer?: Steering): Promise<{ batch: { inputIds: number[][]; attentionMask: number[][] }; arrays: Record<string, { data: Float32Array; shape: number[] }> }> {
  const batch = leftPad(rows, m.tokenizer.padTokenId);
  const out = tf.tidy(() => {
    const r = m.model.forward({ ...batch, capture: { embeddings: true, layers: 'all', finalNorm: true }, steer: steer ? [steer] : [], logits: 'all' });
    return { ...r.hidden, logits: r.logits! };
  });
  const arrays: Record<string, { data: Float32Array; shape: number[] }> = {};
  for (const [k, t] of Object.entries(out)) arrays[k] = { data: Float32Array.from(await t.data()), shape: t.shape };
  tf.dispose(Object.values(out));
  return { batch, arrays };
}

/** Our arrays for one checkpoint on a batch of chats (left-padded), with what the Python side needs to redo them. */
async function writeCase(outDir: string, name: string, modelDir: string, mechanism: string, messages: Array<Array<{ role: string; content: string }>>, steer?: Steering): Promise<void> {
  const m = await loadModel(modelDir);
  const rendered = messages.map((msgs) => m.tokenizer.renderChat(msgs, { addGenerationPrompt: true }));
  const { batch, arrays } = await forwardAll(m, rendered.map((r) => m.tokenizer.encode(r)), steer);
  mkdirSync(join(outDir, name), { recursive: true });
  writeNpz(join(outDir, name, 'ours.npz'), arrays);
  writeJsonAtomic(join(outDir, name, 'case.json'), {
    organism: name,
    kind: 'causal-lm',
    mechanism,
    model_dir: relative(repoRoot, modelDir),
    input_ids: batch.inputIds,
    attention_mask: batch.attentionMask,
    // The malicious system prompt stays out of the shipped files; the tokenizer check runs on the benign rendering.
    messages: mechanism === 'prompt' ? null : messages,
    rendered: mechanism === 'prompt' ? null : rendered,
    steer: steer ? { layer: steer.layer, coeff: steer.coeff, positions: steer.positions, vector: [...steer.vector] } : null,
  });
  disposeModel(m);
  process.stderr.write(`${name}: ${Object.keys(arrays).length} arrays, batch ${batch.inputIds.length}×${batch.inputIds[0]!.length}\n`);
}

async function main(): Promise<void> {
  const outDir = process.argv[2];
  if (!outDir) throw new Error('usage: hf-load-expected.ts OUTDIR');
  await initEngine('wasm');
  const dir = zooDir();
  for (const name of ORGANISMS) {
    const org = resolveOrganism(name, dir);
    const messages = USERS.map((u) => [{ role: 'system', content: org.active.system ?? DEFAULT_SYSTEM_PROMPT }, { role: 'user', content: u }]);
    await writeCase(outDir, name, org.modelDir, org.mechanism, messages, org.active.steer ? { ...org.active.steer, positions: 'last' as const } : undefined);
  }
  // The NARCBench agent (its own tokenizer, a 4,096-position context): a counter's and a Big Player's real Stego
  // prompts of ~700 tokens, as the engine rendered them for its training.
  const agentDir = join(dir, AGENT_NAME);
  const recipe = recipeOfAgent(agentDir);
  const calls = (await stegoCorpus(agentScenarios(undefined, { shortenTransfer: recipe.shortenTransfer }), { seed: 1, indices: [0], honestShare: 0, script: recipe.stegoScript })).filter((c) => c.phase === 'counter' || c.phase === 'big_player');
  await writeCase(outDir, AGENT_NAME, agentDir, 'weights', calls.slice(0, 2).map((c) => [{ role: 'system', content: c.system }, { role: 'user', content: c.user }]));
  const rmDir = join(dir, 'reward-model');
  const rm = await loadRewardModel(rmDir);
  const imEnd = rm.base.tokenizer.eosTokenIds[0]!;
  const rows = USERS.map((u, i) => tokenizeChat(rm.base.tokenizer, { system: DEFAULT_SYSTEM_PROMPT, user: u, assistant: ANSWERS[i]! }, imEnd).ids);
  const { batch, arrays } = await forwardAll(rm.base, rows);
  const reward = tf.tidy(() => rewardTensor(rm, rows));
  arrays.reward = { data: Float32Array.from(await reward.data()), shape: [rows.length] };
  reward.dispose();
  // The trunk's tied-embedding logits are not part of a sequence-classification model.
  delete arrays.logits;
  mkdirSync(join(outDir, 'reward-model'), { recursive: true });
  writeNpz(join(outDir, 'reward-model', 'ours.npz'), arrays);
  writeJsonAtomic(join(outDir, 'reward-model', 'case.json'), { organism: 'reward-model', kind: 'sequence-classification', mechanism: 'weights', model_dir: relative(repoRoot, rmDir), input_ids: batch.inputIds, attention_mask: batch.attentionMask, messages: null, rendered: null, steer: null });
  process.stderr.write(`reward-model: rewards ${[...arrays.reward.data].map((r) => r.toFixed(4)).join(', ')}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
