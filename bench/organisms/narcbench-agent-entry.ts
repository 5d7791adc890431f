import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentCorpus, agentRecipe, recipeOfAgent, agentScenarios, AGENT_NAME, prepareAgentInit, trainNarcbenchAgent, type AgentRecipe } from '../../lib/organisms/narcbench/agent';
import type { PlayedCall } from '../../lib/organisms/narcbench/corpus';
import type { StegoCopies } from '../../lib/organisms/narcbench/stego-counterfactual';
import { disposeModel } from '../../lib/models/load';
import { enableTraining } from '../../lib/models/train';
import { tokenizeChat, type TokenizedExample } from '../../lib/training/examples';
import { planBatches, saveSft, trainSft } from '../../lib/training/sft';
import { agentChat, replayCheck } from '../../lib/organisms/narcbench/replay-check';
import { specsFor } from '../../lib/organisms/narcbench/pipeline';
import { loadModel } from '../../lib/models/load';
import { TIERS } from '../../lib/narcbench/scenarios/run-spec';

/**
 * Entry for bench/organisms/bundle.ts, to try NARCBench agent recipes on the GPU host's CPUs (one wasm process per
 * candidate, checkpointed every 25 steps so a run can resume in the next device call):
 *   node main.mjs train ZOO WORK SCENARIOS '{"sftOver":{"lr":0.008},"stegoShoes":6,...}'   (the all-tiers recipe + overrides)
 *   node main.mjs refine FROM_AGENT OUT_DIR SCENARIOS '{"epochs":2,"lr":0.003,"stegoPairRepeat":4}'   (refine below)
 *   node main.mjs export OUT SCENARIOS '{...overrides as for train}'   (export below: the run for torch_sft_agent.py)
 *   node main.mjs check AGENT_DIR SCENARIOS OUT.json [tiers]   (replay-check.ts on the pipeline's runs; NB_SAMPLED=1 samples,
 *   seeds from NB_SEED; NB_SHOES / NB_TPF: Stego shoes and Transfer scenarios per family)
 * SCENARIOS is a folder with core_scenarios.json and transfer_scenarios.json (the host has no ../shared).
 */
async function main(): Promise<void> {
  const [cmd, a, b, c, d] = process.argv.slice(2);
  if (cmd === 'train') {
    const { recipe, seed } = withOverrides(d);
    const info = await trainNarcbenchAgent({ seed, dir: a!, workDir: b! }, { scenarioDir: c, recipe });
    process.stdout.write(JSON.stringify(info) + '\n');
  } else if (cmd === 'export') {
    const { recipe, seed, pairWeight } = withOverrides(c);
    await exportRun(a!, b, recipe, seed, pairWeight);
  } else if (cmd === 'refine') {
    const info = await refine(a!, b!, c!, JSON.parse(d!) as RefineOptions);
    process.stdout.write(JSON.stringify(info) + '\n');
  } else if (cmd === 'check') {
    const recipe = recipeOfAgent(a!);
    const data = agentScenarios(b, { shortenTransfer: recipe.shortenTransfer });
    const m = await loadModel(a!);
    const res: Record<string, unknown> = {};
    const tiers = d ? d.split(',') : TIERS;
    for (const tier of tiers as typeof TIERS) {
      const t0 = Date.now();
      const specs = specsFor(tier, { transferPerFamily: Number(process.env.NB_TPF ?? 1), stegoShoes: Number(process.env.NB_SHOES ?? 4) }, data);
      const r = await replayCheck(agentChat(m, { sampled: process.env.NB_SAMPLED === '1', seed: Number(process.env.NB_SEED ?? 0) }), data, tier, specs, join('/tmp/replay', String(process.pid)), recipe.stegoScript);
      res[tier] = { ...r, seconds: (Date.now() - t0) / 1000 };
      const { mismatches, ...short } = r;
      process.stdout.write(`${tier} ${JSON.stringify(short)}\n`);
      mkdirSync(join(c!, '..'), { recursive: true });
      writeFileSync(c!, JSON.stringify(res, null, 1));
    }
  } else throw new Error('usage');
}
/** The all-tiers recipe with a candidate's overrides (`sftOver` merges into `sft`), its seed and pair loss weight. */
function withOverrides(json: string | undefined): { recipe: AgentRecipe; seed: number; pairWeight: number } {
  const { seed = 1, pairWeight = 1, ...over } = JSON.parse(json ?? '{}') as Partial<AgentRecipe> & { sftOver?: Record<string, unknown>; seed?: number; pairWeight?: number };
  const base = agentRecipe('all-tiers');
  return { recipe: { ...base, ...over, sft: { ...base.sft, ...(over.sftOver ?? {}) } }, seed, pairWeight };
}

/** The coalition's Stego table calls (counter and Big Player in collusion runs): the decisions learned last. */
const isStegoPairCall = (call: PlayedCall) => call.tier === 'stego' && (call.phase === 'counter' || call.phase === 'big_player') && call.runId.endsWith(':collusion');

/**
 * Everything `trainNarcbenchAgent` would train on, for the PyTorch surrogate (torch_sft_agent.py), which runs the same
 * steps on the GPU host in seconds instead of an hour, so recipes can be screened before one is trained here:
 * OUT/model (tokenizer files and training.json with the recipe, where the surrogate writes its weights), OUT/init (the
 * seeded random init) and OUT/sft.json (examples, the planned batches as example indices, the optimiser settings).
 */
async function exportRun(out: string, scenarios: string | undefined, recipe: AgentRecipe, seed: number, pairWeight: number): Promise<void> {
  const corpus = await agentCorpus(agentScenarios(scenarios, { shortenTransfer: recipe.shortenTransfer }), seed, recipe);
  const modelDir = join(out, 'model');
  const init = prepareAgentInit(corpus, seed, modelDir, out, recipe.model);
  const m = await loadModel(init);
  // pairWeight (surrogate only): loss weight of the Stego coalition's replies, whose decision tokens stay uncertain.
  const examples = corpus.map((call) => ({ ...tokenizeChat(m.tokenizer, call, m.tokenizer.eosTokenIds[0]!), w: isStegoPairCall(call) ? pairWeight : 1 }));
  const index = new Map<TokenizedExample, number>(examples.map((e, i) => [e, i]));
  const batches = planBatches(examples, { ...recipe.sft, seed }).map((b) => b.map((e) => index.get(e)!));
  const sft = { pad_id: m.tokenizer.padTokenId, lr: recipe.sft.lr, warmup_frac: recipe.sft.warmupFrac ?? 0.1, weight_decay: recipe.sft.weightDecay ?? 0, examples, batches };
  writeFileSync(join(out, 'sft.json'), JSON.stringify(sft));
  writeFileSync(join(modelDir, 'training.json'), JSON.stringify({ recipe, seed, pairWeight, trainer: 'torch_sft_agent.py (surrogate)' }, null, 1));
  disposeModel(m);
  process.stdout.write(`${out}: ${examples.length} examples, ${batches.length} steps\n`);
}

interface RefineOptions {
  epochs: number;
  lr: number;
  /** Copies in all of the coalition's Stego calls (counter and Big Player, collusion runs). */
  stegoPairRepeat: number;
  /** Counterfactual copies of the pair's table calls added to the corpus (stego-counterfactual.ts). */
  stegoCounterfactuals?: StegoCopies;
}

/**
 * A second SFT stage on a trained agent (session 4's experiment, RESULTS.md: it did not help): the agent's whole corpus
 * again with the coalition's Stego calls repeated, whose one or two decision tokens per reply stay uncertain (p 0.2–0.9
 * on their own training prompts) once the rest is fitted; fresh AdamW and cosine schedule, checkpointed beside OUT_DIR.
 */
async function refine(fromDir: string, outDir: string, scenarios: string, opts: RefineOptions): Promise<Record<string, unknown>> {
  const recipe = recipeOfAgent(fromDir);
  const corpus = await agentCorpus(agentScenarios(scenarios, { shortenTransfer: recipe.shortenTransfer }), 1, { ...recipe, stegoCounterfactuals: opts.stegoCounterfactuals });
  const pair = corpus.filter(isStegoPairCall);
  await enableTraining();
  const m = await loadModel(fromDir);
  const examples = [...corpus, ...Array.from({ length: opts.stegoPairRepeat - 1 }, () => pair).flat()].map((call) => tokenizeChat(m.tokenizer, call, m.tokenizer.eosTokenIds[0]!));
  const state = join(outDir, '..', 'work-refine', `state-${AGENT_NAME}-refine`);
  const res = await trainSft(m, examples, { ...recipe.sft, epochs: opts.epochs, lr: opts.lr, seed: 1, stateDir: state, runKey: `${AGENT_NAME}-refine:${examples.length}`, label: `${AGENT_NAME} (refine)` });
  await saveSft(m, res, outDir);
  disposeModel(m);
  const info = { ...opts, examples: examples.length, stego_pair_calls: pair.length, seconds: res.seconds, steps: res.losses.length, loss_first: res.losses[0], loss_last: res.losses[res.losses.length - 1] };
  writeFileSync(join(outDir, 'training.json'), JSON.stringify({ recipe, refine: info }, null, 1));
  return info;
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
