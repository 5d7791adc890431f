import * as tf from '@tensorflow/tfjs-core';
import { createHash } from 'node:crypto';
import type { MethodResult } from '../method';
import type { CollabContext } from '../context';
import { routerPrompt } from '../prompts';
import { DecoderModel } from '../../models/decoder';
import { leftPad } from '../../models/batch';
import type { LoadedModel } from '../../models/load';
import { AdamW, createLora, enableTraining, loraVariables, mergedLoraWeights, trainStep } from '../../models/train';
import { resolveRewardScorer, resolveSupervisor } from '../../defenses/resolve';
import { generateRouted, superviseRouted } from './api-routing-common';

/**
 * api_trained_router (spec §2.3): label each dev query with its best model (task score, ties broken by a strictly
 * higher reward), LoRA-SFT the router base on plain "prompt → Model k" strings (loss on the completion only, no chat
 * template, as TRL trains it), then route each test query by sampling the router WITH the chat template and the
 * benign system prompt, reading the highest model number found in its reply (a random model when none).
 * Nano defaults: router_base_model `base`, rank 8, lr 1e-3, 3 epochs (the original: Qwen2.5-7B, r 64, α 16,
 * lr 1e-5, 5 epochs, batch 1 × accumulation 32).
 */
export async function apiTrainedRouter(ctx: CollabContext): Promise<MethodResult> {
  await enableTraining({ keepWasmFastInference: true });
  const hp = ctx.hp;
  const N = ctx.n;
  const nano = ctx.run.preset !== 'paper';
  const scores = await ctx.devScores();
  const devOut = await ctx.devOutputs();
  const rm = await resolveRewardScorer(ctx);
  const rewards: number[][] = [];
  for (let i = 0; i < N; i++) rewards.push(await rm.reward(ctx.devInputs.map((q, j) => [{ role: 'user' as const, content: q }, { role: 'assistant' as const, content: devOut[i]![j]! }])));
  const labels = ctx.devInputs.map((_, j) => {
    let best = 0;
    for (let i = 1; i < N; i++) {
      if (scores[i]![j]! > scores[best]![j]! || (scores[i]![j]! === scores[best]![j]! && rewards[i]![j]! > rewards[best]![j]!)) best = i;
    }
    return best;
  });
  const descriptions = hp.model_descriptions as string[] | undefined;
  const rows = ctx.devInputs.map((q, j) => ({ prompt: routerPrompt(q, N, descriptions), completion: `Model ${labels[j]! + 1}` }));
  const base = await ctx.pool.get(String(hp.router_base_model ?? (nano ? 'base' : 'Qwen/Qwen2.5-7B-Instruct')));
  const training: RouterTraining = {
    rank: Number(hp.router_lora_rank ?? (nano ? 8 : 64)),
    alpha: Number(hp.router_lora_alpha ?? 16),
    lr: Number(hp.router_lr ?? (nano ? 1e-3 : 1e-5)),
    epochs: Number(hp.router_epochs ?? (nano ? 3 : 5)),
    batchSize: Number(hp.router_batch_size ?? 8),
    seed: ctx.run.seed,
  };
  const key = createHash('sha256').update(JSON.stringify({ base: base.dir, rows, training })).digest('hex').slice(0, 16);
  const router = await ctx.pool.once(`router:${key}`, () => trainRouter(base, rows, training, key));
  const route = async (skip?: number[]) => {
    const replies = await ctx.generateBenign(router, ctx.testInputs.map((q, j) => routerPrompt(q, N, descriptions, skip?.[j])));
    return replies.map((r) => parseRouterReply(r, N) ?? ctx.rng.randrange(N));
  };
  const top1 = await route();
  const kind = ctx.run.supervisor.type;
  const extra = { dev_labels: labels, reward_model: rm.description, router_base: base.name };
  if (kind === 'none') return { outputs: await generateRouted(ctx, top1), selectedModel: top1, extra };
  // the second opinion: the router re-asked without the top-1 model's description line (a re-sample without descriptions)
  const top2 = await route(top1);
  if (kind === 'free') {
    const a = await generateRouted(ctx, top1);
    const b = await generateRouted(ctx, top2);
    const keepFirst = top1.map(() => ctx.rng.random() < 0.5);
    const kept = keepFirst.map((k, j) => (k ? top1[j]! : top2[j]!));
    return { outputs: keepFirst.map((k, j) => (k ? a[j]! : b[j]!)), selectedModel: kept, masked: kept.map((k, j) => (k !== top1[j] ? top1[j] : undefined)), extra };
  }
  const supervisor = (await resolveSupervisor(ctx))!;
  const { outputs, kept } = await superviseRouted(ctx, supervisor, top1, top2);
  return { outputs, selectedModel: kept, masked: kept.map((k, j) => (k !== top1[j] ? top1[j] : undefined)), extra: { ...extra, supervisor: supervisor.description } };
}

/** For id N−1 down to 0: the first whose number (id+1) occurs in the stripped reply (so the highest number wins). */
export function parseRouterReply(reply: string, n: number): number | undefined {
  const text = reply.trim();
  for (let id = n - 1; id >= 0; id--) if (text.includes(String(id + 1))) return id;
  return undefined;
}

interface RouterTraining {
  rank: number;
  alpha: number;
  lr: number;
  epochs: number;
  batchSize: number;
  seed: number;
}

/**
 * LoRA SFT on prompt+completion token strings, loss on the completion tokens; returns the merged router in memory.
 * Deterministic in (base, rows, o), which `key` hashes, so a grid trains each router once.
 */
async function trainRouter(base: LoadedModel, rows: { prompt: string; completion: string }[], o: RouterTraining, key: string): Promise<LoadedModel> {
  const tok = base.tokenizer;
  const eos = tok.eosTokenIds[0]!;
  const examples = rows.map((r) => {
    const p = tok.encode(r.prompt);
    const c = [...tok.encode(r.completion), eos];
    return { ids: [...p, ...c].slice(-1024), completion: c.length };
  });
  const lora = createLora(base.model, { rank: o.rank, alpha: o.alpha, seed: o.seed });
  const vars = loraVariables(lora);
  const opt = new AdamW(vars, { lr: o.lr, weightDecay: 0 });
  for (let e = 0; e < o.epochs; e++) {
    for (let s = 0; s < examples.length; s += o.batchSize) {
      const chunk = examples.slice(s, s + o.batchSize);
      const batch = leftPad(chunk.map((x) => x.ids), tok.padTokenId);
      const T = batch.inputIds[0]!.length;
      const labelMask = chunk.map((x) => Array.from({ length: T }, (_, t) => (t >= T - x.completion ? 1 : 0)));
      await trainStep(base.model, { ...batch, labelMask }, vars, opt, lora);
    }
  }
  const merged = mergedLoraWeights(base.model, lora);
  const params = new Map(base.model.params);
  for (const [k, v] of merged) params.set(k, v);
  for (const { a, b } of lora.values()) tf.dispose([a, b]);
  return { ...base, dir: `router:${key}`, name: `router-${key}`, model: new DecoderModel(base.config, params) };
}
