import { z } from 'zod';
import { defineCommand } from '../../cli/command';
import { boolFlag, intFlag, rangeListFlag } from '../../cli/options';
import { writeJsonAtomic } from '../../common/atomic-write';
import { Progress } from '../../common/progress';
import { availableParallelism } from 'node:os';
import { runProbesParallel, runsOnWorkers, startProbeWorkers, type LayerLoader } from '../../probes/parallel';
import { getVariant } from '../../probes/variants';
import { VARIANT_NAMES } from '../../probes/variant';
import { applyAudit, readAuditFile } from '../audit-filter';
import { addNarcbenchLayer, layersReadableOneByOne, loadNarcbench, openNarcbench } from '../dataset';
import { reportSkips } from './report';

export default defineCommand({
  name: 'narcbench probes',
  summary: 'NARCBench probe AUROCs (Fig. 3 / Table 1, Appendix C): 5 techniques × Held-out Core, 6 Transfer families, Stego',
  options: z.object({
    activations: z.string(),
    variant: z.string().default('main'),
    layers: rangeListFlag('--layers'),
    seeds: intFlag('--seeds').optional(),
    threads: intFlag('--threads').optional(),
    includeImplicit: boolFlag,
    audit: z.string().optional(),
    json: z.string(),
  }),
  describe: {
    activations: 'folder holding core/, transfer/, stego/ (activations_gen.npz + metadata_gen.json[l])',
    variant: `probe architecture: ${VARIANT_NAMES.join('|')} (default main)`,
    layers: 'layer band, e.g. 26-30 or 0,2',
    seeds: 'number of seeds for the Appendix C variants (main always uses seed 42)',
    threads: 'worker threads for the main and mlp variants (default: the CPU count, at most 4; 1 = sequential; identical numbers either way)',
    includeImplicit: 'count Transfer "implicit" runs as negatives, as the original _run_labels does (default: excluded)',
    audit: 'audit.json (impostor narcbench audit): leave out the runs it failed or found unfinished',
    json: 'output JSON path (written atomically)',
  },
  async run(opts) {
    const variant = getVariant(opts.variant);
    const threads = opts.threads ?? Math.min(4, availableParallelism());
    // Workers start while the data loads; the worker-thread runner reads the activations from shared memory, so
    // they are loaded there directly.
    const onWorkers = runsOnWorkers(variant, threads, opts.layers);
    const started = onWorkers ? startProbeWorkers(threads) : undefined;
    // On workers, the main variant reads one layer at a time (the first now, the others while the workers run).
    const oneByOne = onWorkers && variant.name === 'main' && !opts.audit;
    let data = oneByOne ? openNarcbench(opts.activations, opts.layers) : loadNarcbench(opts.activations, opts.layers, { shared: onWorkers });
    let loadLayer: LayerLoader | undefined;
    if (oneByOne) {
      if (layersReadableOneByOne(data)) {
        const lazy = data;
        loadLayer = (layer, alloc) => addNarcbenchLayer(lazy, layer, { shared: true, alloc });
        loadLayer(opts.layers[0]!);
      } else {
        data = loadNarcbench(opts.activations, opts.layers, { shared: true });
      }
    }
    if (opts.audit) {
      const filtered = applyAudit(data, readAuditFile(opts.audit));
      data = filtered.data;
      for (const [tier, c] of Object.entries(filtered.removed)) process.stderr.write(`audit: ${tier}: left out ${c.runs} runs (${c.rows} rows)\n`);
    }
    let progress: Progress | undefined;
    const result = await runProbesParallel(data, variant, {
      threads,
      started,
      loadLayer,
      layers: opts.layers,
      seeds: opts.seeds,
      includeImplicit: opts.includeImplicit,
      onProgress: (done, total) => {
        progress ??= new Progress(`narcbench probes (${variant.name}) seed×layer units`, total);
        progress.update(done);
      },
    });
    reportSkips(result.skipped_runs);
    writeJsonAtomic(opts.json, result);
    process.stderr.write(`wrote ${opts.json}\n`);
    return 0;
  },
});
