import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { writeJsonAtomic } from '../../common/atomic-write';
import { disposeModel, loadModel } from '../../models/load';
import { writeRandomCheckpoint } from '../../models/random-checkpoint';
import { enableTraining } from '../../models/train';
import { loadScenarioData, resolveScenarioDir, type ScenarioData } from '../../narcbench/scenarios/scenario-data';
import { saveSft, trainSft, type SftOptions } from '../../training/sft';
import { specialTokenIds, trainBpe, writeTokenizerFiles } from '../bpe-tokenizer';
import { organismConfig } from '../model-config';
import { tokenizeChat } from '../../training/examples';
import { coreCorpus, DEFAULT_DISCUSSION_SHARE, type PlayedCall } from './corpus';
import { nanoCoreScenarios } from './core-policy';
import { shortenScenarioData } from './shortened-scenarios';

/**
 * The NARCBench agent organism: the zoo's architecture (Qwen2, 2 layers, hidden 64) with its own byte-level BPE
 * (same trainer, ChatML specials) learned on the NARCBench transcripts and a longer context (the final-vote prompt
 * holds the whole discussion), fully fine-tuned from a seeded random init on the scripted players' calls.
 */

export const AGENT_NAME = 'narcbench-agent';
export const AGENT_VOCAB = 2048;
export const AGENT_MAX_POSITIONS = 4096;
export const AGENT_SFT: Omit<SftOptions, 'seed'> = { epochs: 6, batchSize: 8, lr: 8e-3, weightDecay: 0.01, checkpointEvery: 25, headAtTargetsOnly: true };

/** The scenario texts the agent plays (the fetched/shared originals, shortened: see shortened-scenarios.ts). */
export function agentScenarios(scenarioDir?: string): ScenarioData {
  return shortenScenarioData(loadScenarioData(resolveScenarioDir(scenarioDir)));
}

export function corpusText(c: { system: string; user: string; assistant: string }): string {
  return `${c.system}\nuser\n${c.user}\nassistant\n${c.assistant}`;
}

export async function agentCorpus(data: ScenarioData, seed: number): Promise<PlayedCall[]> {
  return coreCorpus(data, { seed, scenarios: nanoCoreScenarios(data.core), discussionShare: DEFAULT_DISCUSSION_SHARE });
}

/** Tokenizer + seeded random init for the agent; returns the init folder. */
export function prepareAgentInit(corpus: readonly PlayedCall[], seed: number, outDir: string, workDir: string): string {
  const trained = trainBpe(corpus.map(corpusText), { vocabSize: AGENT_VOCAB });
  mkdirSync(outDir, { recursive: true });
  writeTokenizerFiles(outDir, trained, AGENT_MAX_POSITIONS);
  const ids = specialTokenIds(trained);
  const init = join(workDir, `${AGENT_NAME}-init`);
  rmSync(init, { recursive: true, force: true });
  writeRandomCheckpoint(init, { config: { ...organismConfig(ids.vocabSize, ids), max_position_embeddings: AGENT_MAX_POSITIONS }, tokenizerFrom: outDir, seed, std: 0.05 });
  return init;
}

/** Trains the agent into <zoo>/narcbench-agent and returns what happened (also written to training.json there). */
export async function trainNarcbenchAgent(ctx: { seed: number; dir: string; workDir: string }, opts: { scenarioDir?: string } = {}): Promise<Record<string, unknown>> {
  await enableTraining();
  const t0 = Date.now();
  const data = agentScenarios(opts.scenarioDir);
  const corpus = await agentCorpus(data, ctx.seed);
  const outDir = join(ctx.dir, AGENT_NAME);
  const init = prepareAgentInit(corpus, ctx.seed, outDir, ctx.workDir);
  const m = await loadModel(init);
  const imEnd = m.tokenizer.eosTokenIds[0]!;
  const examples = corpus.map((c) => tokenizeChat(m.tokenizer, c, imEnd));
  const state = join(ctx.workDir, `state-${AGENT_NAME}`);
  const res = await trainSft(m, examples, { ...AGENT_SFT, seed: ctx.seed, stateDir: state, runKey: `${AGENT_NAME}:${ctx.seed}:${examples.length}`, label: AGENT_NAME });
  const tokens = examples.reduce((a, e) => a + e.ids.length, 0);
  const info = {
    seed: ctx.seed,
    examples: examples.length,
    example_tokens_mean: tokens / examples.length,
    by_phase: countBy(corpus.map((c) => `${c.tier}:${c.phase}`)),
    seconds: res.seconds,
    tokens: res.tokens,
    steps: res.losses.length,
    loss_first: res.losses[0],
    loss_last: res.losses[res.losses.length - 1],
    wall_seconds: (Date.now() - t0) / 1000,
    backend: 'wasm',
    cpus: cpus().length,
    load_average_1m: loadavg()[0],
  };
  await saveSft(m, res, outDir);
  writeJsonAtomic(join(outDir, 'training.json'), info);
  rmSync(state, { recursive: true, force: true });
  disposeModel(m);
  return info;
}

function countBy(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
