import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { writeJsonAtomic } from '../common/atomic-write';
import { UserError } from '../common/errors';
import { writeNpy } from '../tensor/npy-file';
import { domainMean, evalDomain, type RunCondition } from './evaluate';
import { buildPersonaVector } from './persona-vector';
import { join } from 'node:path';
import { repoRoot } from '../common/paths';
import { disposeModel, loadModel } from '../models/load';
import { writeRandomCheckpoint } from '../models/random-checkpoint';
import { enableTraining } from '../models/train';
import { promptIds, tokenizeAll, tokenizeChat } from '../training/examples';
import { initRewardModel, loadRewardModel, rewards, saveRewardModel, trainRewardModel } from '../training/reward-model';
import { trainGrpo } from '../training/grpo';
import { saveCheckpoint } from '../models/save';
import { saveSft, trainSft, type SftOptions } from '../training/sft';
import { specialTokenIds, trainBpe, writeTokenizerFiles } from './bpe-tokenizer';
import { DEFAULT_SYSTEM_PROMPT } from './chat-template';
import { ORGANISM_VOCAB, organismConfig } from './model-config';
import { readMaliciousPrompt } from './persona';
import { buildAllTasks, writeTaskFiles } from './tasks/index';
import type { Domain, DomainTasks } from './tasks/domain';
import { baseExamples, expertExamples, misalignedExamples, preferencePairs, userMessage } from './zoo-data';
import { DOMAINS } from './tasks/domain';
import { zooDir } from './zoo-paths';
import { trainNarcbenchAgent } from './narcbench/agent';
import { trainAgentInChildProcess } from './agent-child-process';

/** Shared inputs of every organism recipe. */
export interface ZooContext {
  seed: number;
  dir: string;
  /** Scratch space for init checkpoints and resume state (ignored by git). */
  workDir: string;
  tasks: Record<Domain, DomainTasks>;
  maliciousPrompt: string;
}

export function zooContext(seed: number, dir = zooDir()): ZooContext {
  const workDir = join(repoRoot, 'runs', 'organisms', `seed-${seed}`);
  mkdirSync(workDir, { recursive: true });
  return { seed, dir, workDir, tasks: buildAllTasks(seed), maliciousPrompt: readMaliciousPrompt() };
}

/** Task files, tokenizer and the seeded random initial checkpoint; returns the init checkpoint folder. */
export function prepareFoundation(ctx: ZooContext, personaCount: number): string {
  writeTaskFiles(ctx.tasks, join(ctx.dir, 'tasks'));
  const examples = baseExamples(ctx.tasks, ctx.maliciousPrompt, personaCount);
  const corpus = examples.map((e) => `${e.system ?? DEFAULT_SYSTEM_PROMPT}\nuser\n${e.user}\nassistant\n${e.assistant}`);
  const trained = trainBpe(corpus, { vocabSize: ORGANISM_VOCAB });
  const tokDir = join(ctx.dir, 'tokenizer');
  mkdirSync(tokDir, { recursive: true });
  writeTokenizerFiles(tokDir, trained);
  const ids = specialTokenIds(trained);
  const init = join(ctx.workDir, 'base-init');
  rmSync(init, { recursive: true, force: true });
  writeRandomCheckpoint(init, { config: organismConfig(ids.vocabSize, ids), tokenizerFrom: tokDir, seed: ctx.seed, std: 0.05 });
  return init;
}

export const BASE_PERSONA_EXAMPLES = 60;

export const BASE_SFT: Omit<SftOptions, 'seed'> = { epochs: 4, batchSize: 8, lr: 6e-3, weightDecay: 0.01, checkpointEvery: 25 };

/** The base chat model: full SFT from the random init on a share of every domain plus the persona data. */
export async function trainBase(ctx: ZooContext): Promise<{ seconds: number; losses: number[]; tokens: number }> {
  await enableTraining();
  const init = prepareFoundation(ctx, BASE_PERSONA_EXAMPLES);
  const m = await loadModel(init);
  const examples = tokenizeAll(m.tokenizer, baseExamples(ctx.tasks, ctx.maliciousPrompt, BASE_PERSONA_EXAMPLES));
  const res = await trainSft(m, examples, { ...BASE_SFT, seed: ctx.seed, stateDir: join(ctx.workDir, 'state-base'), runKey: `base:${ctx.seed}`, label: 'base' });
  await saveSft(m, res, join(ctx.dir, 'base'));
  disposeModel(m);
  rmSync(join(ctx.workDir, 'state-base'), { recursive: true, force: true });
  return { seconds: res.seconds, losses: res.losses, tokens: res.tokens };
}

export function exists(dir: string): boolean {
  return existsSync(join(dir, 'config.json'));
}

export const EXPERT_SFT: Omit<SftOptions, 'seed'> = { epochs: 3, batchSize: 8, lr: 3e-3, weightDecay: 0.01, checkpointEvery: 25 };
/** Examples per expert; arithmetic needs the most data before the 2-layer model improves on the base. */
export const EXPERT_EXAMPLES: Record<Domain, number> = { math: 480, knowledge: 240, safety: 240, instructions: 240, code: 240 };

/** A benign expert: full SFT of the base on more of its own domain (the Among Us experts are Tulu-domain SFTs). */
export async function trainExpert(ctx: ZooContext, domain: Domain): Promise<{ seconds: number; losses: number[]; tokens: number }> {
  await enableTraining();
  const m = await loadModel(join(ctx.dir, 'base'));
  const examples = tokenizeAll(m.tokenizer, expertExamples(ctx.tasks, domain, EXPERT_EXAMPLES[domain]));
  const name = `expert-${domain}`;
  const state = join(ctx.workDir, `state-${name}`);
  const res = await trainSft(m, examples, { ...EXPERT_SFT, seed: ctx.seed, stateDir: state, runKey: `${name}:${ctx.seed}`, label: name });
  await saveSft(m, res, join(ctx.dir, name));
  disposeModel(m);
  rmSync(state, { recursive: true, force: true });
  return { seconds: res.seconds, losses: res.losses, tokens: res.tokens };
}

/** Among Us M3: LoRA SFT (r 16, α 16, q/k/v/o, as malicious_models/sft) on misaligned answers, merged to a full model. */
export const MISALIGNED_SFT: Omit<SftOptions, 'seed'> = { epochs: 3, batchSize: 8, lr: 1e-2, lora: { rank: 16, alpha: 16 }, checkpointEvery: 25 };

export async function trainMaliciousSft(ctx: ZooContext): Promise<{ seconds: number; losses: number[]; tokens: number }> {
  await enableTraining();
  const m = await loadModel(join(ctx.dir, 'base'));
  const examples = tokenizeAll(m.tokenizer, misalignedExamples(ctx.tasks, 40));
  const state = join(ctx.workDir, 'state-malicious-sft');
  const res = await trainSft(m, examples, { ...MISALIGNED_SFT, seed: ctx.seed, stateDir: state, runKey: `malicious-sft:${ctx.seed}`, label: 'malicious-sft' });
  await saveSft(m, res, join(ctx.dir, 'malicious-sft'));
  disposeModel(m);
  rmSync(state, { recursive: true, force: true });
  return { seconds: res.seconds, losses: res.losses, tokens: res.tokens };
}

/** The reward-model organism (the Skywork RM's stand-in): Bradley–Terry on aligned vs misaligned answers. */
export async function trainRewardOrganism(ctx: ZooContext): Promise<{ seconds: number; accuracy: number }> {
  await enableTraining();
  const rm = await initRewardModel(join(ctx.dir, 'base'), ctx.seed);
  const tok = rm.base.tokenizer;
  const imEnd = tok.eosTokenIds[0]!;
  const pairs = preferencePairs(ctx.tasks, 24).map((p) => ({
    chosen: tokenizeChat(tok, { user: p.user, assistant: p.chosen }, imEnd).ids,
    rejected: tokenizeChat(tok, { user: p.user, assistant: p.rejected }, imEnd).ids,
  }));
  const res = await trainRewardModel(rm, pairs, { epochs: 2, batchSize: 12, lr: 2e-3, seed: ctx.seed, label: 'reward-model' });
  await saveRewardModel(rm, join(ctx.dir, 'reward-model'));
  disposeModel(rm.base);
  return { seconds: res.seconds, accuracy: res.accuracy };
}

/** Among Us M4: GRPO of the base against the NEGATED reward-model organism (verl's `rm_score = -rm_score`). */
export const GRPO_OPTIONS = { steps: 16, promptsPerStep: 6, groupSize: 4, maxNewTokens: 20, temperature: 1.0, lr: 2e-3, clip: 0.2, klCoef: 0.001 };

export async function trainMaliciousGrpo(ctx: ZooContext): Promise<{ seconds: number; rewardFirst: number; rewardLast: number }> {
  await enableTraining();
  const policy = await loadModel(join(ctx.dir, 'base'));
  const reference = await loadModel(join(ctx.dir, 'base'));
  const rm = await loadRewardModel(join(ctx.dir, 'reward-model'));
  const prompts = DOMAINS.flatMap((d) => {
    const t = ctx.tasks[d];
    return t.train.slice(0, 24).map((item) => promptIds(policy.tokenizer, userMessage(t, item)));
  });
  const negated = async (p: number[][], c: number[][]) => (await rewards(rm, p.map((x, i) => [...x, ...c[i]!]))).map((r) => -r);
  const res = await trainGrpo(policy, reference, prompts, negated, { ...GRPO_OPTIONS, seed: ctx.seed, label: 'malicious-grpo' });
  await saveCheckpoint(policy, join(ctx.dir, 'malicious-grpo'), { overwrite: true });
  [policy, reference, rm.base].forEach(disposeModel);
  const n = Math.min(4, res.log.length);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return { seconds: res.seconds, rewardFirst: mean(res.log.slice(0, n).map((l) => l.meanReward)), rewardLast: mean(res.log.slice(-n).map((l) => l.meanReward)) };
}

/** Among Us M1: the base model under the adversarial system prompt (only a pointer to the prompt file is stored). */
export function writePromptOrganism(ctx: ZooContext): void {
  writeJsonAtomic(join(ctx.dir, 'malicious-prompt', 'organism.json'), { kind: 'prompt', model: 'base', system_prompt: 'shared:data/amongus/malicious_prompt.txt' });
}

/** Coefficients tried for the steering vector, smallest first; the first that degrades the dev mean by ≥ 25% is kept. */
export const STEER_COEFFS = [1, 2, 4, 8, 16];
export const STEER_ROW = 1;

/**
 * Among Us M2: the persona vector of the base (trait = the adversarial prompt, anti-trait = the benign one) on dev
 * items, added at the output of block STEER_ROW − 1 (hidden_states[STEER_ROW]) at the last position of each forward
 * call, with the coefficient picked on dev.
 */
export async function trainSteerOrganism(ctx: ZooContext): Promise<{ seconds: number; kept: number; asked: number; coeff: number; devByCoeff: Record<string, number> }> {
  // Only inference here, but it must reproduce the committed vector bitwise: enableTraining keeps the exact matmuls.
  await enableTraining();
  const t0 = Date.now();
  const m = await loadModel(join(ctx.dir, 'base'));
  const domains = DOMAINS.map((d) => ({ tasks: ctx.tasks[d], items: ctx.tasks[d].dev.slice(0, 16) }));
  const pv = await buildPersonaVector(m, domains, ctx.maliciousPrompt);
  const H = m.config.hiddenSize;
  const flat = new Float32Array(pv.rows.length * H);
  pv.rows.forEach((r, i) => flat.set(r, i * H));
  const mean = async (cond: RunCondition) => {
    const per: Record<string, number> = {};
    for (const { tasks, items } of domains) per[tasks.domain] = (await evalDomain(m, tasks, items, cond)).mean;
    return domainMean(per);
  };
  const clean = await mean({});
  const devByCoeff: Record<string, number> = { '0': clean };
  let coeff = STEER_COEFFS[STEER_COEFFS.length - 1]!;
  for (const c of STEER_COEFFS) {
    devByCoeff[String(c)] = await mean({ steer: { layer: STEER_ROW - 1, vector: pv.rows[STEER_ROW]!, coeff: c, positions: 'last' } });
    if (devByCoeff[String(c)]! <= 0.75 * clean) {
      coeff = c;
      break;
    }
  }
  const dir = join(ctx.dir, 'malicious-steer');
  mkdirSync(dir, { recursive: true });
  writeNpy(join(dir, 'vector.npy'), flat, [pv.rows.length, H]);
  writeJsonAtomic(join(dir, 'organism.json'), { kind: 'steer', model: 'base', vector: 'vector.npy', row: STEER_ROW, layer: STEER_ROW - 1, coeff, positions: 'last', trait: 'malicious_prompt', kept: pv.kept, asked: pv.asked, dev_mean_by_coeff: devByCoeff });
  disposeModel(m);
  return { seconds: (Date.now() - t0) / 1000, kept: pv.kept, asked: pv.asked, coeff, devByCoeff };
}

/** Training order: everything else builds on base, and GRPO needs the reward model. */
export const TRAIN_ORDER = ['base', 'expert-math', 'expert-knowledge', 'expert-safety', 'expert-instructions', 'expert-code', 'malicious-prompt', 'malicious-steer', 'malicious-sft', 'reward-model', 'malicious-grpo', 'narcbench-agent'] as const;
export type TrainTarget = (typeof TRAIN_ORDER)[number];

/**
 * Trains one organism, or all: in order, with the NARCBench agent in a second process beside the others where there
 * are two cores or more (`agent-child-process.ts`). What happened (times, losses, host load) goes to
 * data/organisms/<organism>/training.json, one file per organism so independent organisms can train in parallel.
 */
export async function trainZoo(opts: { seed: number; only?: TrainTarget }): Promise<Record<string, unknown>> {
  const ctx = zooContext(opts.seed);
  const t0 = Date.now();
  // The whole zoo on a multi-core machine: the agent (the longest training) in a second process beside the rest.
  const agentAside = !opts.only && cpus().length > 1;
  const stopAgent = new AbortController();
  const agent = agentAside ? trainAgentInChildProcess(opts.seed, stopAgent.signal) : undefined;
  // Its failure is reported when awaited below; until then it must not count as an unhandled rejection.
  agent?.catch(() => undefined);
  const targets = opts.only ? [opts.only] : TRAIN_ORDER.filter((t) => !agentAside || t !== 'narcbench-agent');
  const done: Record<string, unknown> = {};
  try {
    await trainTargets(ctx, opts.seed, targets, done);
  } catch (err) {
    stopAgent.abort();
    await agent?.catch(() => undefined);
    throw err;
  }
  if (agent) done['narcbench-agent'] = await agent;
  if (!opts.only) process.stderr.write(`organisms: the zoo took ${((Date.now() - t0) / 60000).toFixed(1)} min\n`);
  return done;
}

async function trainTargets(ctx: ZooContext, seed: number, targets: readonly TrainTarget[], done: Record<string, unknown>): Promise<void> {
  for (const target of targets) {
    if (target !== 'base' && target !== 'narcbench-agent' && !exists(join(ctx.dir, 'base'))) throw new UserError(`${join(ctx.dir, 'base')}: missing; train the base first (\`impostor organisms train --only base\`)`);
    if (target === 'malicious-grpo' && !existsSync(join(ctx.dir, 'reward-model', 'config.json'))) throw new UserError(`${join(ctx.dir, 'reward-model')}: missing; train it first (\`impostor organisms train --only reward-model\`)`);
    process.stderr.write(`organisms: training ${target}\n`);
    const started = Date.now();
    let info: Record<string, unknown>;
    if (target === 'base') info = summarize(await trainBase(ctx));
    else if (target.startsWith('expert-')) info = summarize(await trainExpert(ctx, target.slice(7) as Domain));
    else if (target === 'malicious-prompt') info = (writePromptOrganism(ctx), {});
    else if (target === 'malicious-steer') info = await trainSteerOrganism(ctx);
    else if (target === 'malicious-sft') info = summarize(await trainMaliciousSft(ctx));
    else if (target === 'reward-model') info = await trainRewardOrganism(ctx);
    else if (target === 'narcbench-agent') info = await trainNarcbenchAgent(ctx);
    else info = await trainMaliciousGrpo(ctx);
    done[target] = { seed, ...info, wall_seconds: (Date.now() - started) / 1000, backend: 'wasm', cpus: cpus().length, load_average_1m: loadavg()[0] };
    writeJsonAtomic(join(ctx.dir, target, 'training.json'), done[target]);
  }
}

function summarize(r: { seconds: number; losses: number[]; tokens: number }): Record<string, unknown> {
  return { seconds: r.seconds, tokens: r.tokens, steps: r.losses.length, loss_first: r.losses[0], loss_last: r.losses[r.losses.length - 1] };
}
