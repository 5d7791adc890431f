import { UserError } from '../common/errors';
import { colCentredSqF32, colSumF32, projectStandardise, standardiseF32, takeScratch, type Scratch } from './kernels/wasm-kernels';
import { fitLogisticRegression, fitWideLogistic, isWideLogistic, logisticScratchSpec, type LogisticModel } from './logistic-regression';
import { matVec, norm, zeros, type Matrix } from './matrix';
import { fitScaler, scaleFromMoments, scaleRows, scaleVector, type Scaler } from './standard-scaler';
import type { AgentScorer, DirectionTrainingData } from './variant';

/** Balanced training rows: honest first, then colluder, with labels 0 / 1 (the original's vstack order). */
export interface BalancedRows {
  x: Matrix;
  y: Uint8Array;
  nPerClass: number;
  /** Metadata row indices in stacking order. */
  honestRows: number[];
  colluderRows: number[];
}

/**
 * Chooses `k` of the honest pool positions; reproduce*.py use numpy `RandomState(seed).choice(pool, k,
 * replace=False)` (= permutation(n)[:k]). Variants that need that exact order pass a numpy-compatible chooser.
 */
export type HonestChooser = (poolSize: number, k: number, seed: number) => number[];

/** The balanced rows without their values: honest pool positions in stacking order, then nc colluder rows. */
export interface BalancedSelection {
  nPerClass: number;
  /** Positions in the honest pool (data.honest / data.honestRows) in stacking order. */
  honestPick: number[];
  /** Metadata row indices in stacking order. */
  honestRows: number[];
  colluderRows: number[];
}

/**
 * train_deception_probe's balancing: nc = min(#colluder, #honest) rows per class; colluder rows are the first nc in
 * metadata order, honest rows are `choose(#honest, nc)`. Without a chooser, equal counts keep metadata order
 * (a permutation, which an order-invariant fit like LR does not see) and unequal counts are refused rather than
 * subsampled differently from the original.
 */
export function balancedSelection(data: DirectionTrainingData, seed: number, choose?: HonestChooser): BalancedSelection {
  const nh = data.honestRows.length;
  const nc = Math.min(nh, data.colluderRows.length);
  if (nc === 0) throw new UserError(`layer ${data.layer}: no Core collusion discussion rows with role colluder and honest to train the deception direction; check core/metadata_gen.json (mode, role, phase, channel)`);
  let pick: number[];
  if (choose) pick = choose(nh, nc, seed);
  else if (nh === nc) pick = Array.from({ length: nh }, (_, i) => i);
  else {
    throw new UserError(
      `layer ${data.layer}: ${nh} honest vs ${data.colluderRows.length} colluder training rows; subsampling the honest rows like the original needs numpy's RandomState(seed).choice, which this variant was not given`,
    );
  }
  return { nPerClass: nc, honestPick: pick, honestRows: pick.map((p) => data.honestRows[p]!), colluderRows: data.colluderRows.slice(0, nc) };
}

/** balancedSelection with the rows' values (honest first, then colluder, labels 0 / 1). */
export function balanceRows(data: DirectionTrainingData, seed: number, choose?: HonestChooser): BalancedRows {
  return balancedRowsOf(data, balancedSelection(data, seed, choose));
}

/** The selected rows' values (float64 copies), honest first, then colluder, with labels 0 / 1. */
export function balancedRowsOf(data: DirectionTrainingData, sel: BalancedSelection): BalancedRows {
  const nc = sel.nPerClass;
  const D = data.honest.cols;
  const x = zeros(2 * nc, D);
  sel.honestPick.forEach((p, i) => x.data.set(data.honest.data.subarray(p * D, (p + 1) * D), i * D));
  x.data.set(data.colluder.data.subarray(0, nc * D), nc * D);
  return { x, y: balancedLabels(nc), nPerClass: nc, honestRows: sel.honestRows, colluderRows: sel.colluderRows };
}

function balancedLabels(nc: number): Uint8Array {
  const y = new Uint8Array(2 * nc);
  y.fill(1, nc);
  return y;
}

/** A linear agent scorer over a StandardScaler and a unit direction; `model` keeps the fitted LR (for warm starts). */
export type LinearScorer = AgentScorer & { scaler: Scaler; w: Float64Array; model?: LogisticModel };

/** A linear agent scorer s = w·(x − μ)/σ over a StandardScaler and a unit direction. */
export function linearScorer(scaler: Scaler, w: Float64Array, model?: LogisticModel): LinearScorer {
  // Fold the scaler into the weights for scoring: w·(x−μ)/σ = (w/σ)·x − Σ wμ/σ.
  const wEff = new Float64Array(w.length);
  let offset = 0;
  for (let j = 0; j < w.length; j++) {
    wEff[j] = w[j]! / scaler.scale[j]!;
    offset += wEff[j]! * scaler.mean[j]!;
  }
  // The scorer's arrays stay in the shared scratch from one run to the next while no other kernel call takes it
  // (scoring a fold's runs is one such stretch), so they are copied in once per stretch, not once per run.
  let held: Scratch<ReturnType<typeof scoringSpec>> | undefined;
  function scoringScratch(rows: number) {
    if (held?.current() && held.view.proj.length === rows) return held;
    held = takeScratch(scoringSpec(rows, w.length));
    held.view.w.set(wEff);
    held.view.mean.set(scaler.mean);
    held.view.scale.set(scaler.scale);
    return held;
  }
  return {
    scaler,
    w,
    model,
    project: (raw) => {
      let s = 0;
      for (let j = 0; j < raw.length; j++) s += wEff[j]! * raw[j]!;
      return s - offset;
    },
    projectMany: (raws) => {
      const out = matVec(raws, wEff);
      for (let i = 0; i < out.length; i++) out[i] = out[i]! - offset;
      return out;
    },
    standardise: (raw, out) => scaleVector(scaler, raw, out),
    projectAndStandardise: (raws) => {
      const ws = scoringScratch(raws.rows);
      ws.view.x.set(raws.data);
      projectStandardise(ws.ptr.x, raws.rows, raws.cols, ws.ptr.w, ws.ptr.mean, ws.ptr.scale, ws.ptr.z, ws.ptr.proj);
      const projections = ws.view.proj;
      for (let i = 0; i < projections.length; i++) projections[i] = projections[i]! - offset;
      return { projections, standardised: ws.view.z };
    },
  };
}

function scoringSpec(rows: number, d: number) {
  return { w: ['f64', d], mean: ['f64', d], scale: ['f64', d], x: ['f64', rows * d], z: ['f64', rows * d], proj: ['f64', rows] } as const;
}

/**
 * The main script's deception direction: StandardScaler on the balanced per-turn rows, LogisticRegression(C=1,
 * L2, unpenalised intercept), w = coef/‖coef‖, intercept dropped.
 */
export function trainLogisticDirection(rows: BalancedRows, C = 1, warmStart?: AgentScorer): LinearScorer {
  const scaler = fitScaler(rows.x);
  const model = fitLogisticRegression(scaleRows(scaler, rows.x), rows.y, { C, init: warmInit(warmStart, rows.x.cols) });
  return unitDirection(scaler, model);
}

/**
 * trainLogisticDirection on the selected rows, computed where it is cheapest: for wide float32 activations the rows
 * are gathered straight into the kernels' memory, the scaler's moments and the standardisation run there (the same
 * float64 operations in the same order, so the scaler and the float32 design are bit-identical to fitScaler →
 * scaleRows → the wide fit's float32 copy) and L-BFGS runs on them in place: no float64 copies of the rows.
 */
export function trainSelectedLogisticDirection(data: DirectionTrainingData, sel: BalancedSelection, C = 1, warmStart?: AgentScorer): LinearScorer {
  const acts = data.activations;
  if (!acts || !(acts.data instanceof Float32Array) || !isWideLogistic(acts.cols)) {
    return trainLogisticDirection(balancedRowsOf(data, sel), C, warmStart);
  }
  const D = acts.cols;
  const rows = [...sel.honestRows, ...sel.colluderRows];
  const n = rows.length;
  const ws = takeScratch({ ...logisticScratchSpec(n, D), mean: ['f64', D], sq: ['f64', D], corr: ['f64', D], scale: ['f64', D] });
  rows.forEach((r, i) => ws.view.x.set(acts.data.subarray(r * D, (r + 1) * D), i * D));
  colSumF32(ws.ptr.x, n, D, ws.ptr.mean);
  const mean = ws.view.mean;
  for (let j = 0; j < D; j++) mean[j] /= n;
  colCentredSqF32(ws.ptr.x, n, D, ws.ptr.mean, ws.ptr.sq, ws.ptr.corr);
  scaleFromMoments(n, mean, ws.view.sq, ws.view.corr, ws.view.scale);
  standardiseF32(ws.ptr.x, n, D, ws.ptr.mean, ws.ptr.scale);
  const scaler = { mean: mean.slice(), scale: ws.view.scale.slice() };
  const model = fitWideLogistic(ws, n, D, balancedLabels(sel.nPerClass), { C, init: warmInit(warmStart, D) });
  return unitDirection(scaler, model);
}

/** The warm start's fitted LR when it has the right width (the optimum is unique; only the iterations change). */
function warmInit(warmStart: AgentScorer | undefined, cols: number): LogisticModel | undefined {
  const init = (warmStart as LinearScorer | undefined)?.model;
  return init && init.coef.length === cols ? init : undefined;
}

function unitDirection(scaler: Scaler, model: LogisticModel): LinearScorer {
  const n = norm(model.coef);
  const w = model.coef.map((v) => v / n);
  return linearScorer(scaler, w, model);
}
