/**
 * Appendix C "multi-layer ensemble" (reproduce_multiLayer.py): one LR(C=1) deception direction per layer of the
 * band, combined per agent, and ONE value per seed instead of one per layer:
 * - agent score = mean over layers of that layer's projection w_l·(x_l − μ_l)/σ_l; peak/split/asymmetry use it;
 * - sorted_concat concatenates the layer-averaged standardised vectors, in the order of the ensemble score;
 * - activation_alignment compares the layer-averaged RAW vectors;
 * - run classifiers as in the main script (lbfgs LR C=0.01, after StandardScaler / PCA → StandardScaler);
 * - Held-out = mean over the valid leave-one-domain-out folds; a Transfer family or Stego that lacks a class
 *   scores 0.5 (the script's fallback), not "missing";
 * - null probe: per-layer LR probes on the honest-only split, ensembled, one Peak-Suspicion AUROC over Core runs.
 * Because the per-layer evaluation of the pipeline does not apply, this variant supplies `evaluateSeed`.
 */
import type { RunGroup } from '../../narcbench/groups';
import { auroc } from '../auroc';
import { trainLogisticDirection } from '../direction';
import { fitLogisticRegression } from '../logistic-regression';
import { RUN_CLASSIFIER_C } from '../main-variant';
import { row } from '../matrix';
import { directionTrainingData, layerGroups, transferFamilies, type LayerGroups } from '../pipeline';
import { lbfgsLogistic, pcaScaled, scaled } from '../run-classifiers';
import { mean } from '../stats';
import { asymmetryMatrix, concatMatrix, labelsOf, runScoresFrom, type RunScores } from '../techniques';
import { GROUP_ORDER, TECHNIQUES, type AgentScorer, type GroupName, type GroupValues, type ProbeContext, type ProbeVariant, type Technique } from '../variant';
import { nullSplit } from './null-probe';
import { balanceLikeNumpy } from './numpy-balance';
import { appendixSeeds } from './seeds';
import { fitStandardisedDirection } from './standardised-direction';

/** A run seen at every layer of the band: runs[l] is the run's group at ctx.layers[l]. */
type LayeredRun = RunGroup[];

/** compute_scores_ensemble for one run. */
export function scoreEnsembleRun(run: LayeredRun, scorers: AgentScorer[]): RunScores {
  const L = run.length;
  const first = run[0]!;
  const k = first.vectors.rows, D = first.vectors.cols;
  const p = new Array<number>(k).fill(0);
  const avgScaled: Float64Array[] = [];
  const avgRaw: Float64Array[] = [];
  for (let a = 0; a < k; a++) {
    const s = new Float64Array(D);
    const r = new Float64Array(D);
    for (let l = 0; l < L; l++) {
      const raw = row(run[l]!.vectors, a);
      p[a] += scorers[l]!.project(raw);
      const z = scorers[l]!.standardise(raw);
      for (let j = 0; j < D; j++) {
        s[j] += z[j]!;
        r[j] += raw[j]!;
      }
    }
    p[a] /= L;
    for (let j = 0; j < D; j++) {
      s[j] /= L;
      r[j] /= L;
    }
    avgScaled.push(s);
    avgRaw.push(r);
  }
  return runScoresFrom(first.runId, first.label, p, (a, out) => out.set(avgScaled[a]!), avgRaw);
}

/** Pairs each layer's groups by run id (every layer holds the same runs: grouping depends on metadata only). */
function layeredRuns(perLayer: RunGroup[][]): LayeredRun[] {
  const base = perLayer[0]!;
  return base.map((g, i) =>
    perLayer.map((groups, l) => {
      const same = groups[i];
      if (!same || same.runId !== g.runId) throw new Error(`multilayer: layer index ${l} does not hold run ${g.runId} at position ${i}`);
      return same;
    }),
  );
}

interface BandGroups {
  layers: LayerGroups[];
  core: LayeredRun[];
  transfer: LayeredRun[];
  stego: LayeredRun[];
}

const bandCache = new WeakMap<ProbeContext, BandGroups>();

function bandGroups(ctx: ProbeContext): BandGroups {
  let band = bandCache.get(ctx);
  if (!band) {
    const layers = ctx.layers.map((l) => layerGroups(ctx.data, l, ctx.includeImplicit));
    band = {
      layers,
      core: layeredRuns(layers.map((g) => g.core)),
      transfer: layeredRuns(layers.map((g) => g.transfer)),
      stego: layeredRuns(layers.map((g) => g.stego)),
    };
    bandCache.set(ctx, band);
  }
  return band;
}

const hasBothClasses = (runs: LayeredRun[]) => runs.some((r) => r[0]!.label === 1) && runs.some((r) => r[0]!.label === 0);

/** Per-layer LR(C=1) directions on the Core training rows of each layer (excluding one domain in a fold). */
function trainScorers(ctx: ProbeContext, trainRuns: LayeredRun[], seed: number, excludeDomain?: string): AgentScorer[] {
  return ctx.layers.map((layer, l) => {
    const data = directionTrainingData(ctx.data, layer, trainRuns.map((r) => r[l]!), excludeDomain);
    return trainLogisticDirection(balanceLikeNumpy(data, seed));
  });
}

type Scored = Record<Technique, Float64Array>;

/** Fits the run classifiers on the training runs; returns a scorer of other runs by all five techniques. */
function fitEnsemble(trainScores: RunScores[]): (runs: RunScores[]) => Scored {
  const labels = labelsOf(trainScores);
  const asym = scaled(lbfgsLogistic(RUN_CLASSIFIER_C)).fit(asymmetryMatrix(trainScores), labels);
  const concat = pcaScaled(lbfgsLogistic(RUN_CLASSIFIER_C)).fit(concatMatrix(trainScores), labels);
  return (runs) => ({
    sorted_concat: concat(concatMatrix(runs)),
    activation_alignment: Float64Array.from(runs, (r) => r.activation_alignment),
    peak_suspicion: Float64Array.from(runs, (r) => r.peak_suspicion),
    deception_split: Float64Array.from(runs, (r) => r.deception_split),
    asymmetry_probe: asym(asymmetryMatrix(runs)),
  });
}

function aurocs(runs: RunScores[], scored: Scored): Record<Technique, number | null> {
  const labels = labelsOf(runs);
  const out = {} as Record<Technique, number | null>;
  for (const t of TECHNIQUES) out[t] = auroc(labels, scored[t]);
  return out;
}

function constant(v: number | null): Record<Technique, number | null> {
  const out = {} as Record<Technique, number | null>;
  for (const t of TECHNIQUES) out[t] = v;
  return out;
}

/** One seed of reproduce_multiLayer.py's compute_all_results. */
export function evaluateEnsembleSeed(ctx: ProbeContext, seed: number): GroupValues {
  const band = bandGroups(ctx);
  const values = {} as GroupValues;
  for (const g of GROUP_ORDER) values[g] = constant(null);

  // Held-out: leave-one-domain-out over the sorted Core domains.
  const domains = [...new Set(band.core.map((r) => r[0]!.domain))].sort();
  const folds: Record<Technique, number | null>[] = [];
  for (const domain of domains) {
    const train = band.core.filter((r) => r[0]!.domain !== domain);
    const test = band.core.filter((r) => r[0]!.domain === domain);
    if (!hasBothClasses(train) || !hasBothClasses(test)) continue;
    const scorers = trainScorers(ctx, train, seed, domain);
    const classify = fitEnsemble(train.map((r) => scoreEnsembleRun(r, scorers)));
    const testScores = test.map((r) => scoreEnsembleRun(r, scorers));
    folds.push(aurocs(testScores, classify(testScores)));
  }
  for (const t of TECHNIQUES) {
    const v = folds.map((f) => f[t]).filter((x): x is number => x !== null);
    values['Held-out'][t] = v.length ? mean(v) : null;
  }

  // Global probe on all Core runs, reused for Transfer and Stego.
  const scorers = trainScorers(ctx, band.core, seed);
  const classify = fitEnsemble(band.core.map((r) => scoreEnsembleRun(r, scorers)));
  const byFamily = transferFamilies(band.transfer.map((r) => r[0]!));
  const transferById = new Map(band.transfer.map((r) => [r[0]!.runId, r]));
  for (const [family, firstLayerRuns] of byFamily) {
    if (!(GROUP_ORDER as readonly string[]).includes(family) || family === 'Held-out' || family === 'blackjack') continue;
    const runs = firstLayerRuns.map((g) => transferById.get(g.runId)!);
    if (!hasBothClasses(runs)) {
      values[family as GroupName] = constant(0.5);
      continue;
    }
    const scores = runs.map((r) => scoreEnsembleRun(r, scorers));
    values[family as GroupName] = aurocs(scores, classify(scores));
  }
  if (hasBothClasses(band.stego) && band.stego.length >= 4) {
    const scores = band.stego.map((r) => scoreEnsembleRun(r, scorers));
    values.blackjack = aurocs(scores, classify(scores));
  } else {
    values.blackjack = constant(0.5);
  }
  return values;
}

/** The ensemble null probe: per-layer LR(C=1) on the honest-only split, ensembled; Peak-Suspicion AUROC on Core. */
export function ensembleNullProbe(ctx: ProbeContext): number {
  const band = bandGroups(ctx);
  const scorers = ctx.layers.map((layer) => {
    const { x, y } = nullSplit(ctx, layer);
    return fitStandardisedDirection(x, y, (z, labels) => fitLogisticRegression(z, labels, { C: 1 }).coef);
  });
  const runs = band.core.map((r) => scoreEnsembleRun(r, scorers));
  return auroc(labelsOf(runs), runs.map((r) => r.peak_suspicion)) ?? Number.NaN;
}

export const multilayerVariant: ProbeVariant = {
  name: 'multilayer',
  description: 'per-layer LR(C=1) directions ensembled across the layer band (mean projection); one value per seed (reproduce_multiLayer.py); 10 seeds, SEM',
  seeds: appendixSeeds,
  errorKind: 'sem',
  trainDirection: (data, seed) => trainLogisticDirection(balanceLikeNumpy(data, seed)),
  asymmetryClassifier: () => scaled(lbfgsLogistic(RUN_CLASSIFIER_C)),
  concatClassifier: () => pcaScaled(lbfgsLogistic(RUN_CLASSIFIER_C)),
  evaluateSeed: evaluateEnsembleSeed,
  nullProbe: ensembleNullProbe,
};
