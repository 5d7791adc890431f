import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../lib/cli/main';
import { runGrid } from '../../lib/collab/grid';
import { Journal } from '../../lib/collab/journal';
import { quickCellSpec } from '../../lib/collab/quick-cell';
import { runCollab } from '../../lib/collab/run';
import type { RunLog } from '../../lib/collab/run-log';

/**
 * End to end on the random preset (tiny seeded random Qwen2 checkpoints with the organisms' tokenizer): the real
 * pipeline — run file, model loading, steering, generation, scoring, supervisor, log, resume — on models that know
 * nothing, so scores are not asserted, only behaviour.
 */
const dir = mkdtempSync(join(tmpdir(), 'collab-run-'));
const names = ['expert-math', 'expert-knowledge', 'expert-safety', 'expert-instructions', 'expert-code', 'base'];

async function quiet<T>(fn: () => Promise<T>): Promise<T> {
  const write = process.stderr.write.bind(process.stderr);
  const out = process.stdout.write.bind(process.stdout);
  process.stderr.write = (() => true) as typeof process.stderr.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await fn();
  } finally {
    process.stderr.write = write;
    process.stdout.write = out;
  }
}

describe('impostor collab -c RUN.json', () => {
  const runFile = join(dir, 'run.json');
  const logFile = join(dir, 'log.json');
  writeFileSync(runFile, JSON.stringify({
    method: 'text_multiagent_refine', task: 'math', task_type: 'exact_match', gpu_ids: [0],
    model_names: names,
    hyperparameters: { max_response_length: 6, temperature: 0.7, top_p: 0.9, batch_size: 8, round: 2 },
    malicious: { type: 'steer', index: 5 }, supervisor: 'free', preset: 'random', limit: 2, out: logFile,
  }));

  it('writes the original log schema plus the malicious/supervisor facts; each model loaded once', async () => {
    expect(await quiet(() => main(['collab', '-c', runFile]))).toBe(0);
    const log = JSON.parse(readFileSync(logFile, 'utf8')) as RunLog;
    expect(Object.keys(log)).toEqual(expect.arrayContaining(['task', 'task_type', 'model_names', 'hyperparameters', 'avg_test_score', 'logs']));
    expect(log.model_names[5]).toBe('malicious-steer');
    expect(log.hyperparameters.steers).toEqual([0, 0, 0, 0, 0, 1]);
    expect(log.logs).toHaveLength(2);
    expect(log.avg_test_score).toBe((log.logs[0]!.score + log.logs[1]!.score) / 2);
    expect(log.logs[0]!.input).toMatch(/Please provide the final answer wrapped as \\box\{ANSWER\}$/);
    // supervisor-free masks the dev-worst model from every refine prompt
    expect(log.logs.map((l) => l.masked_model)).toEqual([log.collab.dev_worst, log.collab.dev_worst]);
    expect(log.model_loads).toBe(6);
    // dev (6 models) + round 0 (6) + round 1 (6) + summary (1) batches
    expect(log.generation.generated).toBe(19);
  });

  it('a rerun resumes from the journal: nothing regenerated, identical outputs', async () => {
    const first = JSON.parse(readFileSync(logFile, 'utf8')) as RunLog;
    expect(await quiet(() => main(['collab', '-c', runFile]))).toBe(0);
    const again = JSON.parse(readFileSync(logFile, 'utf8')) as RunLog;
    expect(again.generation).toMatchObject({ generated: 0, reused: 19, resumed: 19 });
    expect(again.logs.map((l) => l.output)).toEqual(first.logs.map((l) => l.output));
  });
});

describe('grid', () => {
  it('shares the dev generations between methods and reports drop/recovery per cell', async () => {
    const out = join(dir, 'grid');
    const r = await quiet(() => runGrid({ preset: 'random', methods: ['logit_logit_contrastive', 'text_multiagent_refine'], tasks: ['knowledge'], malicious: ['sft'], supervisors: ['free'], limit: 2, maxTokens: 4, rounds: 1, outDir: out, log: () => {} }));
    expect(r.cells).toBe(5); // contrastive: clean, sft; refine: clean, sft, sft+free
    // the refine cells ask for exactly the dev answers the contrastive cells already generated (12 batches)
    expect(r.generation.batches_shared).toBeGreaterThanOrEqual(12);
    const mitigated = r.rows.find((x) => x.supervisor === 'free')!;
    expect(mitigated.recovered_pct).toBe(mitigated.clean === 0 ? null : (mitigated.score / mitigated.clean) * 100);
    expect(existsSync(join(out, 'results.md'))).toBe(true);
    expect(readFileSync(join(out, 'results.md'), 'utf8')).toMatch(/Headline \(this run vs paper\)/);
  });
});

describe('grid workers and resume', () => {
  const opts = { preset: 'random' as const, methods: ['logit_logit_contrastive' as const, 'text_multiagent_refine' as const], tasks: ['knowledge'], malicious: ['sft' as const], supervisors: ['free' as const], limit: 2, maxTokens: 4, rounds: 2, log: () => {} };
  const outputs = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as RunLog).logs.map((l) => l.output);

  it('two worker processes give exactly the cells one process gives; a lost cell is rerun from the journal alone', async () => {
    const one = await quiet(() => runGrid({ ...opts, outDir: join(dir, 'grid-1') }));
    const two = await quiet(() => runGrid({ ...opts, outDir: join(dir, 'grid-2'), workers: 2 }));
    expect(two.rows.map((r) => r.score)).toEqual(one.rows.map((r) => r.score));
    two.rows.forEach((r, k) => expect(outputs(r.file)).toEqual(outputs(one.rows[k]!.file)));
    expect(two.generation.batches_requested).toBe(one.generation.batches_requested);
    // as if the grid had been killed before its last cell was written
    const lost = one.rows[4]!.file;
    const before = outputs(lost);
    rmSync(lost);
    const again = await quiet(() => runGrid({ ...opts, outDir: join(dir, 'grid-1') }));
    expect(again.cells_run).toBe(1);
    expect(again.generation.batches_generated).toBe(one.generation.batches_generated);
    expect(again.generation.batches_resumed).toBeGreaterThan(0);
    expect(outputs(lost)).toEqual(before);
  });
});

describe('routers and logit/weight methods on random checkpoints', () => {
  const cell = (method: any, supervisor: any, malicious: any = 'grpo') =>
    quiet(async () => (await runCollab(quickCellSpec({ preset: 'random', method, task: 'math', malicious, supervisor, limit: 2, maxTokens: 4, rounds: 1, hyperparameters: { train_epochs: 3, batch_size: 4, router_epochs: 1 } }), { journal: new Journal(undefined), noWrite: true, log: () => {} })).log);

  it('graph router with the LLM judge: every item keeps top-1 or top-2, and a replaced top-1 is logged as masked', async () => {
    const log = await cell('api_graph_routing', 'llm');
    expect(log.collab.dev_labels).toHaveLength(2);
    for (const item of log.logs) {
      expect(item.selected_model).toBeGreaterThanOrEqual(0);
      expect(item.selected_model).toBeLessThan(6);
      if (item.masked_model !== undefined) expect(item.masked_model).not.toBe(item.selected_model);
    }
  });

  it('trained router: LoRA-trained router routes every test item to one of the six models', async () => {
    const log = await cell('api_trained_router', 'none');
    expect(log.logs.every((l) => typeof l.selected_model === 'number' && l.selected_model >= 0 && l.selected_model < 6)).toBe(true);
  });

  it('contrastive decoding: 1.2·best − 0.2·worst over the stable dev ranking (all-zero dev → models 0 and 5)', async () => {
    const log = await cell('logit_logit_contrastive', 'none', 'sft');
    expect(log.collab.coefficients).toEqual({ 0: 1.2, 5: -0.2 });
    expect(log.model_names[5]).toBe('malicious-sft');
  });
});
