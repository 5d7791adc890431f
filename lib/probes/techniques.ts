import type { RunGroup } from '../narcbench/groups';
import { dot, row, zeros, type Matrix } from './matrix';
import { mean, populationVar } from './stats';
import type { AgentScorer } from './variant';

/** The per-run quantities behind the five techniques (compute_scores in the original). */
export interface RunScores {
  runId: string;
  label: 0 | 1;
  /** Deception score per agent, in sorted-name order (group.agents). */
  projections: number[];
  /** Agent indices by descending projection (argsort(p)[::-1]). */
  order: number[];
  peak_suspicion: number;
  deception_split: number;
  activation_alignment: number;
  /** [var(p), ps[0] − ps[3], split, mean(p)] → the asymmetry_probe classifier. */
  asymmetryFeatures: number[];
  /** Standardised agent vectors concatenated in descending-projection order (4·D) → sorted_concat. */
  concat: Float64Array;
}

/** Computes the training-free techniques and the classifier inputs for one run (concat into `concatInto` if given). */
export function scoreRun(group: RunGroup, scorer: AgentScorer, concatInto?: Float64Array): RunScores {
  const raws: Float64Array[] = [];
  for (let a = 0; a < group.vectors.rows; a++) raws.push(row(group.vectors, a));
  const both = scorer.projectAndStandardise?.(group.vectors);
  const p = both ? Array.from(both.projections) : scorer.projectMany ? Array.from(scorer.projectMany(group.vectors)) : raws.map((v) => scorer.project(v));
  let alignment = alignmentOf.get(group);
  if (alignment === undefined) alignmentOf.set(group, (alignment = -meanPairwiseCosine(raws)));
  const D = group.vectors.cols;
  // (`both` views kernel memory: runScoresFrom copies out of it before any other kernel call.)
  const standardiseInto = both
    ? (agent: number, out: Float64Array) => out.set(both.standardised.subarray(agent * D, (agent + 1) * D))
    : (agent: number, out: Float64Array) => {
      const z = scorer.standardise(raws[agent]!, out);
      if (z !== out) out.set(z);
    };
  return runScoresFrom(group.runId, group.label, p, standardiseInto, raws, alignment, concatInto);
}

/** activation_alignment reads only a run's raw vectors, so every fold that scores the run shares one value. */
const alignmentOf = new WeakMap<RunGroup, number>();

/**
 * The techniques' per-run quantities from each agent's deception score `p`, standardised vector (written by
 * `standardiseInto` straight into its sorted_concat slot) and raw vector (raw vectors feed activation_alignment —
 * pass it when already known). `concatInto` (k·D values, e.g. a row of the caller's concat matrix) receives the
 * concatenation.
 */
export function runScoresFrom(
  runId: string, label: 0 | 1, p: number[], standardiseInto: (agent: number, out: Float64Array) => void, raws: Float64Array[],
  alignment = -meanPairwiseCosine(raws), concatInto: Float64Array = new Float64Array(p.length * raws[0]!.length),
): RunScores {
  const k = p.length;
  const D = raws[0]!.length;
  const order = descendingOrder(p);
  const ps = order.map((i) => p[i]!);
  const half = k / 2;
  const split = mean(ps.slice(0, half)) - mean(ps.slice(half));
  const concat = concatInto;
  order.forEach((a, slot) => standardiseInto(a, concat.subarray(slot * D, (slot + 1) * D)));
  return {
    runId,
    label,
    projections: p,
    order,
    peak_suspicion: ps[0]!,
    deception_split: split,
    activation_alignment: alignment,
    asymmetryFeatures: [populationVar(p), ps[0]! - ps[k - 1]!, split, mean(p)],
    concat,
  };
}

/**
 * argsort(p)[::-1]: ascending sort (ties broken by index, as a stable sort would), then reversed. numpy's default
 * quicksort is not stable, so exact ties could order differently; with float scores they do not occur.
 */
export function descendingOrder(p: number[]): number[] {
  return p.map((_, i) => i).sort((a, b) => p[a]! - p[b]! || a - b).reverse();
}

/** Mean cosine similarity over all agent pairs of RAW vectors, with the original's 1e-10 norm guard. */
export function meanPairwiseCosine(vectors: Float64Array[]): number {
  const norms = vectors.map((v) => Math.sqrt(dot(v, v)) + 1e-10);
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < vectors.length; i++) {
    for (let j = i + 1; j < vectors.length; j++) {
      sum += dot(vectors[i]!, vectors[j]!) / (norms[i]! * norms[j]!);
      pairs++;
    }
  }
  return sum / pairs;
}

export function asymmetryMatrix(scores: RunScores[]): Matrix {
  const m = zeros(scores.length, 4);
  scores.forEach((s, i) => m.data.set(s.asymmetryFeatures, i * 4));
  return m;
}

export function concatMatrix(scores: RunScores[]): Matrix {
  const d = scores[0]?.concat.length ?? 0;
  const m = zeros(scores.length, d);
  scores.forEach((s, i) => m.data.set(s.concat, i * d));
  return m;
}

export function labelsOf(scores: RunScores[]): Uint8Array {
  return Uint8Array.from(scores, (s) => s.label);
}
