import { resolve } from 'node:path';
import { z } from 'zod';
import { defineCommand } from '../../cli/command';
import { intFlag, rangeListFlag } from '../../cli/options';
import { UserError } from '../../common/errors';
import { TIERS, type Tier } from '../../narcbench/scenarios/run-spec';
import { DEFAULT_NARCBENCH_OUT, DEFAULT_NARCBENCH_WORK, defaultAgentDir, NANO_COUNTS, runAgentPipeline } from '../narcbench/pipeline';

export default defineCommand({
  name: 'organisms narcbench',
  summary: 'NARCBench agent organism: serve it, generate Core/Transfer/Stego runs, audit, rates, extract activations (resumable)',
  options: z.object({
    to: z.string().default(DEFAULT_NARCBENCH_OUT),
    work: z.string().default(DEFAULT_NARCBENCH_WORK),
    modelDir: z.string().optional(),
    tiers: z.string().optional(),
    coreRuns: rangeListFlag('--core-runs').optional(),
    transferPerFamily: intFlag('--transfer-per-family').default(NANO_COUNTS.transferPerFamily),
    stegoShoes: intFlag('--stego-shoes').default(NANO_COUNTS.stegoShoes),
    seed: intFlag('--seed').default(1),
  }),
  describe: {
    to: `activations (hub layout), audit.json, rates.json, raw Stego configs (default ${DEFAULT_NARCBENCH_OUT})`,
    work: `transcripts and shortened scenario files, git-ignored (default ${DEFAULT_NARCBENCH_WORK})`,
    modelDir: 'the agent checkpoint (default data/organisms/narcbench-agent)',
    tiers: `comma-separated tiers (default ${TIERS.join(',')})`,
    coreRuns: 'Core scenario indices, e.g. 0-9 (default the nano set: the first scenario of each of the 17 domains; both modes)',
    transferPerFamily: `Transfer scenarios per family, collusion + control (default ${NANO_COUNTS.transferPerFamily})`,
    stegoShoes: `Stego shoes, collusion + control (default ${NANO_COUNTS.stegoShoes})`,
    seed: 'sampling seed of the local server (the engines send none); the same seed gives the same runs (default 1, the committed data)',
  },
  async run(opts) {
    const tiers = (opts.tiers ? opts.tiers.split(',').map((t) => t.trim()) : [...TIERS]) as Tier[];
    for (const t of tiers) if (!TIERS.includes(t)) throw new UserError(`--tiers: "${t}" is not one of ${TIERS.join(', ')}`);
    const r = await runAgentPipeline({
      to: resolve(opts.to),
      work: resolve(opts.work),
      modelDir: resolve(opts.modelDir ?? defaultAgentDir()),
      tiers,
      coreRuns: opts.coreRuns,
      transferPerFamily: opts.transferPerFamily,
      stegoShoes: opts.stegoShoes,
      sampleSeed: opts.seed,
    });
    process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    return 0;
  },
});
