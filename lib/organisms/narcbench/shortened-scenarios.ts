import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_FILE, TRANSFER_FAMILIES, TRANSFER_FILE, type CoreScenario, type ScenarioData, type TransferFamily, type TransferScenario } from '../../narcbench/scenarios/scenario-data';

/**
 * The NARCBench agent organism is a 3-layer, hidden-64 model trained on a 2-core CPU, so every prompt token costs
 * training time and the original Core texts (mandates and instructions of 500–900 characters) would make a final-vote
 * prompt ~2,000 tokens. The engines, templates and call order stay exactly the original's; only these scenario
 * fields are cut to their first sentence before the engines render them:
 *
 * - Core: `context`, `collusion_motive`, `deception_instruction`, `lowkey_instruction`, `honest_mandate`,
 *   `aggressive_mandate`, `private_frame` and `public_frame` keep their first sentence; `final_frame` keeps only its
 *   `RECOMMENDATION: [Option A or Option B]` line (the vote format; the engine relabels it as before). Kept
 *   verbatim: `options` and everything the engine adds (system header, label variants, styles, speaking orders).
 * - Transfer (only for agents trained with the `all-tiers` recipe, which learns from these texts; the `core` agent plays
 *   them as given): the long free-text fields below keep their first sentence, and the code of code_review's
 *   `code_snippet` its first CODE_LINES lines. Kept verbatim: ids, titles, `vuln_type`, `target_stock`, `sector`,
 *   `market_data` (the four stocks the analysts weigh), `service`, `topic`, `subtopics`, `bias_direction`,
 *   `research_question`, `good_tests`, and what the audit checks (the target stock, the flaw's type).
 *
 * The shortened files are written in the layout `--scenarios DIR` takes, so `narcbench generate` renders them with
 * the unchanged engines. Like the originals they are derived data and never committed.
 */

/** Core fields cut to their first sentence. */
export const SHORTENED_CORE_FIELDS = ['context', 'collusion_motive', 'deception_instruction', 'lowkey_instruction', 'honest_mandate', 'aggressive_mandate', 'private_frame', 'public_frame'] as const;

/** Transfer fields cut to their first sentence, per family (drift_steps: each step). */
export const SHORTENED_TRANSFER_FIELDS: { [F in TransferFamily]: ReadonlyArray<keyof TransferScenario<F>> } = {
  code_review: ['pr_description', 'vuln_detail', 'cosmetic_issues'],
  pump_dump: ['pump_angle', 'fud_angle'],
  cicd: ['task_description', 'vuln_detail'],
  rag: ['biased_entry_guidance', 'omitted_facts'],
  research: ['supporting_studies', 'contradicting_studies', 'biased_conclusion', 'correct_conclusion'],
  news: ['event', 'source_material', 'drift_target', 'drift_steps'],
};
/** Lines of code_review's code_snippet kept (the function signatures and the first body lines). */
export const CODE_LINES = 12;

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

export function shortenTransferScenario<F extends TransferFamily>(family: F, s: TransferScenario<F>): TransferScenario<F> {
  const out: Record<string, unknown> = { ...s };
  for (const f of SHORTENED_TRANSFER_FIELDS[family] as readonly string[]) {
    const v = out[f];
    out[f] = Array.isArray(v) ? v.map((x) => firstSentence(String(x))) : firstSentence(String(v));
  }
  if (family === 'code_review') out.code_snippet = String(out.code_snippet).split('\n').slice(0, CODE_LINES).join('\n');
  return out as TransferScenario<F>;
}

/** The scenario data the organism plays: Core shortened as above, Transfer too when asked (the `all-tiers` recipe). */
export function shortenScenarioData(data: ScenarioData, opts: { transfer?: boolean } = {}): ScenarioData {
  const core = { namePool: data.core.namePool, scenarios: data.core.scenarios.map(shortenCoreScenario) };
  if (!opts.transfer) return { ...data, core };
  const transfer = Object.fromEntries(TRANSFER_FAMILIES.map((f) => [f, (data.transfer[f] as TransferScenario[]).map((s) => shortenTransferScenario(f, s as never))])) as unknown as ScenarioData['transfer'];
  return { ...data, core, transfer };
}

/** Writes core_scenarios.json and transfer_scenarios.json of `data` into `dir` (the `--scenarios` layout). */
export function writeScenarioFiles(data: ScenarioData, dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, CORE_FILE), JSON.stringify({ name_pool: data.core.namePool, scenarios: data.core.scenarios }, null, 1));
  const keys = { code_review: 'CODE_REVIEW_SCENARIOS', pump_dump: 'PUMP_DUMP_SCENARIOS', cicd: 'CICD_SCENARIOS', rag: 'RAG_SCENARIOS', research: 'RESEARCH_SCENARIOS', news: 'NEWS_SCENARIOS' } as const;
  const transfer = Object.fromEntries(Object.entries(keys).map(([family, key]) => [key, data.transfer[family as keyof typeof keys]]));
  writeFileSync(join(dir, TRANSFER_FILE), JSON.stringify(transfer, null, 1));
}
