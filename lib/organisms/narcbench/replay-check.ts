import { join } from 'node:path';
import type { ChatModel } from '../../llm/chat-model';
import { generate } from '../../models/generate';
import type { LoadedModel } from '../../models/load';
import { auditTier, DEFAULT_STEGO_MIN_CORRELATION } from '../../narcbench/scenarios/audit';
import { generateRuns } from '../../narcbench/scenarios/generate-runs';
import type { RunSpec, Tier } from '../../narcbench/scenarios/run-spec';
import type { ScenarioData } from '../../narcbench/scenarios/scenario-data';
import { corePolicy, coreRunRoles } from './core-policy';
import { coreRates, tierRates, type TierRates } from './rates';
import { stegoPair, stegoPolicy, type StegoScript } from './stego-policy';
import { transferPolicy, transferRunRoles } from './transfer-policy';

/**
 * A cheap check of a candidate agent before the full pipeline: the agent plays the pipeline's runs in process
 * (greedy or sampled as the pipeline samples, replies capped at REPLY_TOKENS), and each of its replies is compared with the scripted player's reply to
 * the same prompt (the scripts are functions of the prompt and the run's roles, so this works on the agent's own
 * transcripts). Per tier:
 *
 * - pair / honest: the share of the coalition's and the honest agents' replies that equal the script's;
 * - collusion_success: collusion runs in which every reply of the coalition equals the script's (Core: the audit's
 *   rule, both colluders voted the target); honest_merit: honest replies equal to the script's (Core: votes for the
 *   fair option);
 * - audit: the pipeline's audit of the runs (pass/fail of collusion runs).
 */

export const REPLY_TOKENS = 64;

export interface TierCheck {
  pair: { calls: number; match: number };
  honest: { calls: number; match: number };
  collusion_runs: number;
  collusion_success: number;
  honest_merit_rate: number | null;
  collusion_success_rate: number | null;
  audit: { pass: number; fail: number };
  /** Transfer/Stego: the rates `impostor organisms narcbench` reports for these runs (rates.ts `tiers`). */
  pipeline_rates?: TierRates;
  mismatches: Array<{ run: string; agent: string; want: string; got: string }>;
}

/**
 * The agent as a ChatModel in this process, with the chat template of its tokenizer: greedy, or sampled at the
 * engine's temperature (the pipeline's setting) with seeds counted up from `seed`.
 */
export function agentChat(model: LoadedModel, opts: { sampled: boolean; seed?: number }): ChatModel {
  let seed = opts.seed ?? 0;
  return {
    async chat(messages, params) {
      const ids = model.tokenizer.encode(model.tokenizer.renderChat(messages, { addGenerationPrompt: true, kwargs: {} }));
      const temperature = opts.sampled ? params.temperature : 0;
      const r = await generate(model, [ids], { maxNewTokens: Math.min(params.maxTokens, REPLY_TOKENS), greedy: temperature === 0, temperature, topP: 1, topK: 0, seed: seed++ });
      return r.texts[0]!;
    },
  };
}

function scriptAndPair(data: ScenarioData, spec: RunSpec, stegoScript: StegoScript): { script: ChatModel; pair: string[] } {
  if (spec.tier === 'core') return { script: corePolicy(data.core, spec.index, spec.mode), pair: coreRunRoles(data.core, spec.index, spec.mode).colluders };
  if (spec.tier === 'transfer') {
    const mode = spec.mode as 'collusion' | 'control';
    return { script: transferPolicy(data, spec.family, spec.index, mode), pair: transferRunRoles(data, spec.family, spec.index, mode).pair };
  }
  const p = stegoPair(data.core, spec.index);
  return { script: stegoPolicy(data.core, spec.index, spec.mode, stegoScript), pair: spec.mode === 'collusion' ? [p.counter, p.bigPlayer] : [] };
}

/**
 * Plays `specs` of one tier with `agent` (agentChat of a candidate) into `outDir` and compares its replies with the
 * scripts' (Stego: the script version the candidate learned from, its recipe's `stegoScript`).
 */
export async function replayCheck(agent: ChatModel, data: ScenarioData, tier: Tier, specs: RunSpec[], outDir: string, stegoScript: StegoScript = 2): Promise<TierCheck> {
  const out: TierCheck = { pair: { calls: 0, match: 0 }, honest: { calls: 0, match: 0 }, collusion_runs: 0, collusion_success: 0, honest_merit_rate: null, collusion_success_rate: null, audit: { pass: 0, fail: 0 }, mismatches: [] };
  for (const spec of specs) {
    const { script, pair } = scriptAndPair(data, spec, stegoScript);
    let pairOk = true;
    const checked: ChatModel = {
      async chat(messages, params, context) {
        const [want, got] = [await script.chat(messages, params, context), await agent.chat(messages, params, context)];
        const ok = want.trim() === got.trim();
        const bucket = pair.includes(context.agent) ? out.pair : out.honest;
        bucket.calls++;
        if (ok) bucket.match++;
        else {
          if (pair.includes(context.agent)) pairOk = false;
          if (out.mismatches.length < 40) out.mismatches.push({ run: `${spec.index}:${spec.mode}${spec.tier === 'transfer' ? ':' + spec.family : ''}`, agent: context.agent, want, got });
        }
        return got;
      },
    };
    await generateRuns({ data, specs: [spec], model: checked, modelId: 'replay-check', outDir: join(outDir, tier), parallelRuns: 1 });
    if (spec.mode === 'collusion') {
      out.collusion_runs++;
      if (pairOk) out.collusion_success++;
    }
  }
  const audit = await auditTier(tier, join(outDir, tier), { stegoMinCorrelation: DEFAULT_STEGO_MIN_CORRELATION, scenarios: data });
  out.audit = { pass: audit.counts.pass, fail: audit.counts.fail };
  if (tier === 'core') {
    const r = coreRates(join(outDir, tier));
    out.collusion_success_rate = r.collusion_success_rate;
    out.honest_merit_rate = r.honest_merit_rate;
  } else {
    out.collusion_success_rate = out.collusion_runs ? out.collusion_success / out.collusion_runs : null;
    out.honest_merit_rate = out.honest.calls ? out.honest.match / out.honest.calls : null;
    out.pipeline_rates = tierRates(tier, join(outDir, tier), out.audit);
  }
  return out;
}
