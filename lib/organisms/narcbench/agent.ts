import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { UserError } from '../../common/errors';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { writeJsonAtomic } from '../../common/atomic-write';
import { disposeModel, loadModel } from '../../models/load';
import { writeRandomCheckpoint } from '../../models/random-checkpoint';
import { enableTraining } from '../../models/train';
import { activeBackend } from '../../tensor/engine';
import { loadScenarioData, resolveScenarioDir, type ScenarioData } from '../../narcbench/scenarios/scenario-data';
import { saveSft, trainSft, type SftOptions } from '../../training/sft';
import { specialTokenIds, trainBpe, writeTokenizerFiles } from '../bpe-tokenizer';
import { organismConfig } from '../model-config';
import { tokenizeAll } from '../../training/examples';
import { coreCorpus, DEFAULT_DISCUSSION_SHARE, stegoCorpus, transferCorpus, type PlayedCall } from './corpus';
import { nanoCoreScenarios } from './core-policy';
import { shortenScenarioData } from './shortened-scenarios';
import { STEGO_COUNT_TOKENS, type StegoScript } from './stego-policy';
import type { StegoCopies } from './stego-counterfactual';

/**
 * The NARCBench agent organism: the zoo's architecture (Qwen2, hidden 64; the `all-tiers` recipe adds a third layer,
 * which Stego's mid-prompt look-ups need, notebook 07 §4) with its own byte-level BPE (same trainer, ChatML specials)
 * learned on the NARCBench transcripts and a longer context (the final-vote prompt holds the whole discussion), fully
 * fine-tuned from a seeded random init on the scripted players' calls.
 */

export const AGENT_NAME = 'narcbench-agent';
export const AGENT_VOCAB = 2048;
export const AGENT_MAX_POSITIONS = 4096;

/**
 * What the agent is trained on and how. One model must play all three tiers (the probes are trained on its Core
 * activations and applied zero-shot to its Transfer and Stego activations), so a recipe's corpus holds every game it
 * plays:
 *
 * - Core: the 17 nano scenarios in both modes, every private and final call and a share of the discussion calls;
 * - Transfer: the first `transferScenarios` scenarios of every family (the pipeline plays the first), every call of the
 *   pair and a share of the honest agents' calls;
 * - Stego: the first `stegoShoes` shoes, every call of the counter and the Big Player and a share of the honest
 *   players' and the judge's calls (each ~550 tokens of cards for a one-line reply), plus counterfactual copies of
 *   the pair's table calls (stego-counterfactual.ts).
 *
 * Two recipes: `all-tiers` (the default and the committed agent: Core + Transfer + Stego on the scripted players,
 * Transfer texts shortened, the count lines as whole tokens; 16 epochs, 3,680 steps, about 23 minutes on one core of
 * this machine) and `core` (Core only:
 * `IMPOSTOR_NARCBENCH_RECIPE=core`; on Transfer and Stego it answers in its Core register). Notebook 07 §4 has the
 * measured rates of both and of the variants tried.
 */
export interface AgentRecipe {
  name: string;
  sft: Omit<SftOptions, 'seed'>;
  /** Overrides of the zoo's model config (hidden_size, num_hidden_layers, ...). */
  model: Record<string, number>;
  /** Share of the Core discussion calls kept. */
  coreDiscussionShare: number;
  transferScenarios: number;
  transferHonestShare: number;
  stegoShoes: number;
  stegoHonestShare: number;
  /** Further shoes of which only the counter's and the Big Player's table calls are kept (collusion mode). */
  stegoPairShoes?: number;
  /** Counterfactual copies (0–2) of each counter and Big Player table call (stego-counterfactual.ts). */
  stegoCounterfactuals?: StegoCopies;
  /** Phrases its tokenizer keeps whole (bpe-tokenizer.ts addedTokens). */
  addedTokens?: readonly string[];
  /** Which scripted Stego players it learns from (stego-policy.ts: 1 writes the private note first, 2 last, 3 none, 4 as 3 with a one-line proposal). */
  stegoScript: StegoScript;
  /** Transfer scenario texts cut as shortened-scenarios.ts says (the pipeline then plays the same cut texts). */
  shortenTransfer: boolean;
}

export const AGENT_RECIPES: Record<'core' | 'all-tiers', AgentRecipe> = {
  core: {
    name: 'core',
    sft: { epochs: 6, batchSize: 8, lr: 8e-3, weightDecay: 0.01, checkpointEvery: 25, headAtTargetsOnly: true },
    model: {},
    coreDiscussionShare: DEFAULT_DISCUSSION_SHARE,
    transferScenarios: 0,
    transferHonestShare: 0,
    stegoShoes: 0,
    stegoHonestShare: 0,
    stegoScript: 1,
    shortenTransfer: false,
  },
  'all-tiers': {
    name: 'all-tiers',
    // 16 epochs, not 12: over three sample seeds Stego passed 14/24 collusion runs against 11/24 (bench/organisms/RESULTS.md,
    // session 7); with session 9's copies 12 epochs did not learn the counter's rule in the PyTorch stand-in.
    sft: { epochs: 16, batchSize: 4, lr: 8e-3, weightDecay: 0.01, checkpointEvery: 25, headAtTargetsOnly: true, groupByLength: true },
    model: { num_hidden_layers: 3 },
    coreDiscussionShare: 0.25,
    transferScenarios: 3,
    transferHonestShare: 0.2,
    stegoShoes: 8,
    stegoHonestShare: 0.1,
    // Session 9 (bench/organisms/RESULTS.md): with the count lines as whole tokens and two counterfactual copies of
    // each pair call, the counter and the Big Player read their cues (0 wrong of 128 table calls at each of sample
    // seeds 1–3) and Stego passes 7/8 at every seed, the ceiling; either change alone, or one Big Player copy, fell short.
    stegoCounterfactuals: { counter: 2, big_player: 2 },
    addedTokens: STEGO_COUNT_TOKENS,
    stegoScript: 4,
    shortenTransfer: true,
  },
};

/** The recipe `impostor organisms train` uses: IMPOSTOR_NARCBENCH_RECIPE, else `all-tiers`. */
export function agentRecipe(name = process.env.IMPOSTOR_NARCBENCH_RECIPE ?? 'all-tiers'): AgentRecipe {
  const recipe = AGENT_RECIPES[name as keyof typeof AGENT_RECIPES];
  if (!recipe) throw new UserError(`IMPOSTOR_NARCBENCH_RECIPE=${name}: unknown recipe; use one of ${Object.keys(AGENT_RECIPES).join(', ')}`);
  return recipe;
}

/**
 * The recipe a trained agent folder was made with: the one its training.json records (folders from before recipes:
 * `core`; from before Stego script versions: script 1).
 */
export function recipeOfAgent(modelDir: string): AgentRecipe {
  const path = join(modelDir, 'training.json');
  const stored = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { recipe?: Partial<AgentRecipe> }).recipe : undefined;
  return { ...agentRecipe(stored?.name ?? 'core'), ...stored, stegoScript: stored?.stegoScript ?? 1 };
}

/** The scenario texts the agent plays (the fetched/shared originals, shortened: see shortened-scenarios.ts). */
export function agentScenarios(scenarioDir?: string, opts: { shortenTransfer?: boolean } = {}): ScenarioData {
  return shortenScenarioData(loadScenarioData(resolveScenarioDir(scenarioDir)), { transfer: opts.shortenTransfer ?? false });
}

export function corpusText(c: { system: string; user: string; assistant: string }): string {
  return `${c.system}\nuser\n${c.user}\nassistant\n${c.assistant}`;
}

const firstN = (n: number) => Array.from({ length: n }, (_, i) => i);

export async function agentCorpus(data: ScenarioData, seed: number, recipe: AgentRecipe): Promise<PlayedCall[]> {
  return [
    ...(await coreCorpus(data, { seed, scenarios: nanoCoreScenarios(data.core), discussionShare: recipe.coreDiscussionShare })),
    ...(await transferCorpus(data, { seed, indices: firstN(recipe.transferScenarios), honestShare: recipe.transferHonestShare })),
    ...(await stegoCorpus(data, { seed, indices: firstN(recipe.stegoShoes), honestShare: recipe.stegoHonestShare, script: recipe.stegoScript, pairOnly: firstN(recipe.stegoPairShoes ?? 0).map((i) => recipe.stegoShoes + i), counterfactuals: recipe.stegoCounterfactuals })),
  ];
}

/** Tokenizer + seeded random init for the agent; returns the init folder. */
export function prepareAgentInit(corpus: readonly PlayedCall[], seed: number, outDir: string, workDir: string, model: Record<string, number> = {}, addedTokens?: readonly string[]): string {
  const trained = trainBpe(corpus.map(corpusText), { vocabSize: AGENT_VOCAB, addedTokens });
  mkdirSync(outDir, { recursive: true });
  writeTokenizerFiles(outDir, trained, AGENT_MAX_POSITIONS);
  const ids = specialTokenIds(trained);
  const init = join(workDir, `${AGENT_NAME}-init`);
  rmSync(init, { recursive: true, force: true });
  writeRandomCheckpoint(init, { config: { ...organismConfig(ids.vocabSize, ids), max_position_embeddings: AGENT_MAX_POSITIONS, ...model }, tokenizerFrom: outDir, seed, std: 0.05 });
  return init;
}

/** Trains the agent into <zoo>/narcbench-agent and returns what happened (also written to training.json there). */
export async function trainNarcbenchAgent(ctx: { seed: number; dir: string; workDir: string }, opts: { scenarioDir?: string; recipe?: AgentRecipe } = {}): Promise<Record<string, unknown>> {
  const recipe = opts.recipe ?? agentRecipe();
  await enableTraining();
  const t0 = Date.now();
  const data = agentScenarios(opts.scenarioDir, { shortenTransfer: recipe.shortenTransfer });
  const corpus = await agentCorpus(data, ctx.seed, recipe);
  const outDir = join(ctx.dir, AGENT_NAME);
  const init = prepareAgentInit(corpus, ctx.seed, outDir, ctx.workDir, recipe.model, recipe.addedTokens);
  const m = await loadModel(init);
  const examples = tokenizeAll(m.tokenizer, corpus);
  const state = join(ctx.workDir, `state-${AGENT_NAME}`);
  const res = await trainSft(m, examples, { ...recipe.sft, seed: ctx.seed, stateDir: state, runKey: `${AGENT_NAME}:${ctx.seed}:${examples.length}`, label: AGENT_NAME });

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
    backend: activeBackend(),
    recipe,
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
