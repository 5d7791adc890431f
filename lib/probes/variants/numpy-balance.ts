import { balancedSelection, balanceRows, type BalancedRows, type BalancedSelection } from '../direction';
import { RandomState } from '../random-state';
import type { DirectionTrainingData } from '../variant';

/**
 * train_deception_probe's balancing with numpy's exact honest-row order: `RandomState(seed).choice(honest, nc,
 * replace=False)`. The Appendix C variants need the order, not just the set: LAT pairs the i-th colluder row with
 * the i-th chosen honest row, the LR variant adds its noise rows in stacking order, and the MLP's minibatches follow
 * row positions.
 */
export function balanceLikeNumpy(data: DirectionTrainingData, seed: number): BalancedRows {
  return balanceRows(data, seed, numpyChoice);
}

/** balanceLikeNumpy's choice of rows, without gathering their values (the main direction gathers them itself). */
export function numpyBalancedSelection(data: DirectionTrainingData, seed: number): BalancedSelection {
  return balancedSelection(data, seed, numpyChoice);
}

const numpyChoice = (poolSize: number, k: number, seed: number) => new RandomState(seed).choiceWithoutReplacement(poolSize, k);
