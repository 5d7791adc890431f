import { join } from 'node:path';
import { z } from 'zod';
import { defineCommand } from '../../cli/command';
import { intFlag } from '../../cli/options';
import { UserError } from '../../common/errors';
import { repoRoot } from '../../common/paths';
import { MALICIOUS_TYPES, METHODS, SUPERVISORS, type MaliciousType, type MethodName } from '../config';
import { runGrid } from '../grid';
import { NANO_DOMAINS } from '../tasks';

/** --hyperparameters JSON → an object, or a UserError naming the flag. */
export function parseOverrides(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new UserError(`--hyperparameters: not valid JSON (${(err as Error).message}); give an object such as '{"train_epochs": 20}'`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new UserError(`--hyperparameters: expected a JSON object such as '{"train_epochs": 20}'`);
  return v as Record<string, unknown>;
}

function parseWorker(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m || Number(m[1]) >= Number(m[2])) throw new UserError(`--worker: expected I/N with 0 ≤ I < N, got "${text}"`);
  return { index: Number(m[1]), count: Number(m[2]) };
}

function list<T extends string>(flag: string, value: string, allowed: readonly T[]): T[] {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const it of items) if (!(allowed as readonly string[]).includes(it)) throw new UserError(`${flag}: "${it}" is not one of ${allowed.join(', ')}`);
  return items as T[];
}

/** `impostor collab grid`: methods × malicious types × tasks × mitigations, with shared dev generations. */
export default defineCommand({
  name: 'collab grid',
  summary: 'Among Us grid on the organisms: methods × malicious × tasks × mitigations → results table (drop %, recovered %)',
  options: z.object({
    preset: z.enum(['nano', 'random']).default('nano'),
    methods: z.string().default(METHODS.filter((m) => m !== 'single_model').join(',')),
    tasks: z.string().default(NANO_DOMAINS.join(',')),
    malicious: z.string().default(MALICIOUS_TYPES.join(',')),
    supervisors: z.string().default('free,reward,llm'),
    limit: intFlag('--limit').optional(),
    maxTokens: intFlag('--max-tokens').optional(),
    rounds: intFlag('--rounds').optional(),
    hyperparameters: z.string().optional(),
    out: z.string().default(join(repoRoot, 'runs', 'collab', 'grid')),
    backend: z.enum(['wasm', 'webgpu', 'cpu']).optional(),
    workers: intFlag('--workers').optional(),
    worker: z.string().optional(),
  }),
  describe: {
    preset: 'nano | random',
    methods: 'comma-separated methods (default: the eight of the paper)',
    tasks: 'comma-separated nano domains',
    malicious: 'comma-separated malicious types',
    supervisors: 'comma-separated mitigations for API/text methods (free,reward,llm)',
    limit: 'first N dev and test items per task',
    maxTokens: 'max_response_length',
    rounds: 'text-method rounds',
    hyperparameters: 'JSON object of hyperparameter overrides for every cell, e.g. \'{"train_epochs": 20}\'',
    out: 'output folder: cells/*.json (run logs), journal.jsonl, results.json, results.md (rerun resumes)',
    backend: 'tensor backend',
    workers: 'worker processes for independent cells (default 1; 2 on a 2-core machine)',
    worker: 'internal: run as worker I/N of a parent grid',
  },
  async run(o) {
    const r = await runGrid({
      preset: o.preset,
      methods: list<MethodName>('--methods', o.methods, METHODS),
      tasks: list('--tasks', o.tasks, NANO_DOMAINS),
      malicious: list<MaliciousType>('--malicious', o.malicious, MALICIOUS_TYPES),
      supervisors: list('--supervisors', o.supervisors, SUPERVISORS.filter((s) => s !== 'none') as ('free' | 'reward' | 'llm')[]),
      limit: o.limit,
      maxTokens: o.maxTokens,
      rounds: o.rounds,
      hyperparameters: parseOverrides(o.hyperparameters),
      outDir: o.out,
      backend: o.backend,
      workers: o.workers,
      worker: o.worker === undefined ? undefined : parseWorker(o.worker),
    });
    if (o.worker !== undefined) return 0;
    const h = r.headline;
    process.stdout.write(`${r.cells} cells → ${o.out}/results.md; reasoning drop ${h.reasoning_drop_pct?.toFixed(2) ?? '–'}%, safety drop ${h.safety_drop_pct?.toFixed(2) ?? '–'}%, recovered ${h.recovered_pct?.toFixed(2) ?? '–'}%\n`);
    return 0;
  },
});
