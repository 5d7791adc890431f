import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentCorpus, agentRecipe, recipeOfAgent, agentScenarios, refineAgent, trainNarcbenchAgent, type AgentRecipe } from '../../lib/organisms/narcbench/agent';
import { agentChat, replayCheck } from '../../lib/organisms/narcbench/replay-check';
import { specsFor } from '../../lib/organisms/narcbench/pipeline';
import { loadModel } from '../../lib/models/load';
import { TIERS } from '../../lib/narcbench/scenarios/run-spec';

/**
 * Entry for bench/organisms/bundle.ts, to try NARCBench agent recipes on the GPU host's CPUs (one wasm process per
 * candidate, checkpointed every 25 steps so a run can resume in the next device call):
 *   node main.mjs train ZOO WORK SCENARIOS '{"sftOver":{"lr":0.008},"stegoShoes":6,...}'   (the all-tiers recipe + overrides)
 *   node main.mjs refine FROM_AGENT OUT_DIR SCENARIOS '{"epochs":2,"lr":0.003,"stegoPairRepeat":4}'   (agent.ts refineAgent)
 *   node main.mjs check AGENT_DIR SCENARIOS OUT.json [tiers]   (replay-check.ts on the pipeline's runs; NB_SAMPLED=1 samples,
 *   seeds from NB_SEED; NB_SHOES / NB_TPF: Stego shoes and Transfer scenarios per family)
 * SCENARIOS is a folder with core_scenarios.json and transfer_scenarios.json (the host has no ../shared).
 */
async function main(): Promise<void> {
  const [cmd, a, b, c, d] = process.argv.slice(2);
  if (cmd === 'train') {
    const over = JSON.parse(d ?? '{}') as Partial<AgentRecipe> & { sftOver?: Record<string, unknown> };
    const base = agentRecipe('all-tiers');
    const recipe: AgentRecipe = { ...base, ...over, sft: { ...base.sft, ...(over.sftOver ?? {}) } };
    const info = await trainNarcbenchAgent({ seed: 1, dir: a!, workDir: b! }, { scenarioDir: c, recipe });
    process.stdout.write(JSON.stringify(info) + '\n');
  } else if (cmd === 'refine') {
    // refine FROM_AGENT OUT_DIR SCENARIOS '{"epochs":2,"lr":0.003,"stegoPairRepeat":4}': the recipe's refinement
    // stage on an already trained first stage (what `train` runs after the first stage when the recipe has one).
    const recipe = { ...recipeOfAgent(a!), refine: JSON.parse(d!) as NonNullable<AgentRecipe['refine']> };
    const data = agentScenarios(c, { shortenTransfer: recipe.shortenTransfer });
    const corpus = await agentCorpus(data, 1, recipe);
    const info = await refineAgent(a!, b!, corpus, recipe, 1, join(b!, '..', 'work-refine'));
    writeFileSync(join(b!, 'training.json'), JSON.stringify({ recipe, refine: info }, null, 1));
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
main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
