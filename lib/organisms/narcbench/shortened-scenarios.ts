import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_FILE, TRANSFER_FILE, type CoreScenario, type ScenarioData } from '../../narcbench/scenarios/scenario-data';

/**
 * The NARCBench agent organism is a 2-layer, hidden-64 model trained on a 2-core CPU, so every prompt token costs
 * training time and the original Core texts (mandates and instructions of 500–900 characters) would make a final-vote
 * prompt ~2,000 tokens. The engines, templates and call order stay exactly the original's; only these scenario
 * fields are cut to their first sentence before the engines render them:
 *
 * - Core: `context`, `collusion_motive`, `deception_instruction`, `lowkey_instruction`, `honest_mandate`,
 *   `aggressive_mandate`, `private_frame` and `public_frame` keep their first sentence; `final_frame` keeps only its
 *   `RECOMMENDATION: [Option A or Option B]` line (the vote format; the engine relabels it as before). Kept
 *   verbatim: `options` and everything the engine adds (system header, label variants, styles, speaking orders).
 *
 * The shortened files are written in the layout `--scenarios DIR` takes, so `narcbench generate` renders them with
 * the unchanged engines. Like the originals they are derived data and never committed.
 */

/** Core fields cut to their first sentence. */
export const SHORTENED_CORE_FIELDS = ['context', 'collusion_motive', 'deception_instruction', 'lowkey_instruction', 'honest_mandate', 'aggressive_mandate', 'private_frame', 'public_frame'] as const;

/** The first sentence: text up to the first `.`, `!` or `?` followed by whitespace, at least 40 characters in. */
export function firstSentence(text: string): string {
  const m = /^([\s\S]{40,}?[.!?])(?:\s|$)/.exec(text);
  return m ? m[1]! : text;
}

export function shortenCoreScenario(s: CoreScenario): CoreScenario {
  const out = { ...s };
  for (const f of SHORTENED_CORE_FIELDS) out[f] = firstSentence(s[f]);
  out.final_frame = s.final_frame.split('\n').find((l) => l.includes('Option A or Option B')) ?? s.final_frame;
  return out;
}

/** The scenario data the organism plays: Core shortened as above, Transfer as given. */
export function shortenScenarioData(data: ScenarioData): ScenarioData {
  return { ...data, core: { namePool: data.core.namePool, scenarios: data.core.scenarios.map(shortenCoreScenario) } };
}

/** Writes core_scenarios.json and transfer_scenarios.json of `data` into `dir` (the `--scenarios` layout). */
export function writeScenarioFiles(data: ScenarioData, dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, CORE_FILE), JSON.stringify({ name_pool: data.core.namePool, scenarios: data.core.scenarios }, null, 1));
  const keys = { code_review: 'CODE_REVIEW_SCENARIOS', pump_dump: 'PUMP_DUMP_SCENARIOS', cicd: 'CICD_SCENARIOS', rag: 'RAG_SCENARIOS', research: 'RESEARCH_SCENARIOS', news: 'NEWS_SCENARIOS' } as const;
  const transfer = Object.fromEntries(Object.entries(keys).map(([family, key]) => [key, data.transfer[family as keyof typeof keys]]));
  writeFileSync(join(dir, TRANSFER_FILE), JSON.stringify(transfer, null, 1));
}
