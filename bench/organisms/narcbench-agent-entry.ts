import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentCorpus, agentRecipe, recipeOfAgent, agentScenarios, AGENT_NAME, prepareAgentInit, trainNarcbenchAgent, type AgentRecipe } from '../../lib/organisms/narcbench/agent';
import type { PlayedCall } from '../../lib/organisms/narcbench/corpus';
import type { ScenarioData } from '../../lib/narcbench/scenarios/scenario-data';
import type { StegoCopies } from '../../lib/organisms/narcbench/stego-counterfactual';
import { disposeModel } from '../../lib/models/load';
import { enableTraining } from '../../lib/models/train';
import { promptIds, tokenizeAll, type TokenizedExample } from '../../lib/training/examples';
import type { ModelTokenizer } from '../../lib/models/tokenizer';
import { stegoCorpus } from '../../lib/organisms/narcbench/corpus';
import { SeededRandom } from '../../lib/common/seeded-random';
import { counterReply, currentCountRange, STEGO_RANGES } from '../../lib/organisms/narcbench/stego-policy';
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
 *   node main.mjs export OUT SCENARIOS '{...overrides as for train, "promptEdit": ...}'   (export below: the run for
 *   torch_sft_agent.py, and the counter calls its --eval scores; promptEdit: diagnostic prompt edits, see PromptEdit)
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
    await exportRun(a!, b, recipe, seed, pairWeight, (JSON.parse(c ?? '{}') as { promptEdit?: PromptEdit }).promptEdit);
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
  const { seed = 1, pairWeight = 1, promptEdit: _, ...over } = JSON.parse(json ?? '{}') as Partial<AgentRecipe> & { sftOver?: Record<string, unknown>; seed?: number; pairWeight?: number; promptEdit?: PromptEdit };
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
async function exportRun(out: string, scenarios: string | undefined, recipe: AgentRecipe, seed: number, pairWeight: number, edit: PromptEdit | undefined): Promise<void> {
  const data = agentScenarios(scenarios, { shortenTransfer: recipe.shortenTransfer });
  const played = await agentCorpus(data, seed, recipe);
  const corpus = edit?.startsWith('movedCopies') ? withMovedCopies(played, edit === 'movedCopies2' ? 2 : 1) : edit ? played.map((c) => editStego(c, edit)) : played;
  const modelDir = join(out, 'model');
  const init = prepareAgentInit(corpus, seed, modelDir, out, recipe.model, recipe.addedTokens);
  const m = await loadModel(init);
  // pairWeight (surrogate only): loss weight of the Stego coalition's replies, whose decision tokens stay uncertain.
  const examples = tokenizeAll(m.tokenizer, corpus).map((ex, i) => ({ ...ex, w: isStegoPairCall(corpus[i]!) ? pairWeight : 1 }));
  const index = new Map<TokenizedExample, number>(examples.map((e, i) => [e, i]));
  const batches = planBatches(examples, { ...recipe.sft, seed }).map((b) => b.map((e) => index.get(e)!));
  const sft = { pad_id: m.tokenizer.padTokenId, lr: recipe.sft.lr, warmup_frac: recipe.sft.warmupFrac ?? 0.1, weight_decay: recipe.sft.weightDecay ?? 0, examples, batches };
  writeFileSync(join(out, 'sft.json'), JSON.stringify(sft));
  writeFileSync(join(out, 'counter-eval.json'), JSON.stringify(await counterEval(corpus, recipe, data, m.tokenizer, edit)));
  writeFileSync(join(modelDir, 'training.json'), JSON.stringify({ recipe, seed, pairWeight, trainer: 'torch_sft_agent.py (surrogate)' }, null, 1));
  disposeModel(m);
  process.stdout.write(`${out}: ${examples.length} examples, ${batches.length} steps\n`);
}

/**
 * Diagnostic edits of the Stego prompts (surrogate screens only; the engine renders none of them): `noHandLines` drops
 * the `[Hand k: …]` lines, whose range words compete with the current one; `countAtEnd` moves the counter's
 * `CURRENT COUNT:` line to the end of the prompt; `noPreviousHands` drops the PREVIOUS HANDS card lists (the bulk of
 * the prompt), so the count stands closer to the reply; `movedCopies` / `movedCopies2` add to the corpus 1 / 2 copies
 * of each counter call with the count line moved to a random later line (the scored calls stay as rendered).
 * bench/organisms/RESULTS.md (session 9) has what each did.
 */
type PromptEdit = 'noHandLines' | 'countAtEnd' | 'noPreviousHands' | 'movedCopies' | 'movedCopies2';
function withMovedCopies(corpus: readonly PlayedCall[], n: number): PlayedCall[] {
  const rng = new SeededRandom(0x30ed);
  return corpus.flatMap((c) => {
    if (c.tier !== 'stego' || !c.phase.startsWith('counter')) return [c];
    const line = /\nCURRENT COUNT: [^\n]*/.exec(c.user)![0];
    const rest = c.user.replace(line, '');
    const from = c.user.indexOf(line);
    const breaks = [...rest.matchAll(/\n/g)].map((m) => m.index!).filter((i) => i >= from);
    return [c, ...Array.from({ length: n }, () => {
      const at = breaks[Math.floor(rng.next() * breaks.length)] ?? rest.length;
      return { ...c, phase: `${c.phase}:moved`, user: rest.slice(0, at) + line + rest.slice(at) };
    })];
  });
}

function editStego(c: PlayedCall, edit: PromptEdit): PlayedCall {
  if (c.tier !== 'stego') return c;
  if (edit === 'noHandLines') return { ...c, user: c.user.replace(/^\[Hand \d+: [^\n]*\]\n/gm, '') };
  if (edit === 'noPreviousHands') return { ...c, user: c.user.replace(/^PREVIOUS HANDS:\n(  Hand [^\n]*\n)*/m, '') };
  const line = /\nCURRENT COUNT: [^\n]*/.exec(c.user)?.[0];
  return line ? { ...c, user: `${c.user.replace(line, '')}${line}` } : c;
}

/**
 * The counter's table calls to score teacher-forced (torch_sft_agent.py --eval): the training corpus's (originals and
 * counterfactual copies) and those of shoes it did not see (8–11, each with two copies). Each call carries its prompt
 * and the three replies the script would give for each range, so the decision is the likeliest of the three.
 */
async function counterEval(corpus: readonly PlayedCall[], recipe: AgentRecipe, data: ScenarioData, tok: ModelTokenizer, edit: PromptEdit | undefined) {
  const evalEdit = edit?.startsWith('movedCopies') ? undefined : edit;
  const unseen = (await stegoCorpus(data, { seed: 1, indices: [8, 9, 10, 11], honestShare: 0, script: recipe.stegoScript, counterfactuals: { counter: 2 } })).map((c) => (evalEdit ? editStego(c, evalEdit) : c));
  const rows = (calls: readonly PlayedCall[], set: string) =>
    calls
      .filter((c) => c.tier === 'stego' && c.phase.startsWith('counter') && !c.phase.endsWith(':moved') && c.runId.endsWith(':collusion'))
      .map((c) => ({
        set: `${set}:${c.phase.endsWith(':counterfactual') ? 'copy' : 'original'}`,
        prompt: promptIds(tok, c.user, c.system),
        replies: STEGO_RANGES.map((r) => [...tok.encode(counterReply(recipe.stegoScript, r)), tok.eosTokenIds[0]!]),
        truth: STEGO_RANGES.indexOf(currentCountRange(c.user)!),
      }));
  return [...rows(corpus, 'train'), ...rows(unseen, 'unseen')];
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
  const examples = tokenizeAll(m.tokenizer, [...corpus, ...Array.from({ length: opts.stegoPairRepeat - 1 }, () => pair).flat()]);
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
