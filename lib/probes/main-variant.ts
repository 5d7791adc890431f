import { trainSelectedLogisticDirection } from './direction';
import { numpyBalancedSelection } from './variants/numpy-balance';
import { lbfgsLogistic, pcaScaled, scaled } from './run-classifiers';
import type { ProbeVariant } from './variant';

/** reproduce.py fixes random_state=42 everywhere and runs one seed. */
export const MAIN_SEED = 42;

/** C of the run-level classifiers (asymmetry_probe, sorted_concat) in every script. */
export const RUN_CLASSIFIER_C = 0.01;

/**
 * The paper's main probe (probes/reproduce.py): LR(C=1) deception direction, lbfgs LR(C=0.01) run classifiers,
 * one seed; err = population std across layers.
 */
export const mainVariant: ProbeVariant = {
  name: 'main',
  description: 'StandardScaler + LogisticRegression(C=1) direction; lbfgs LR(C=0.01) run classifiers; seed 42 (reproduce.py)',
  seeds: () => [MAIN_SEED],
  errorKind: 'std',
  // Honest rows are chosen as numpy's RandomState(42).choice does: with equal counts that is only a permutation
  // (invisible to LR), with unequal counts (e.g. audited-out colluder rows) it selects the same subset.
  trainDirection: (data, seed) => trainSelectedLogisticDirection(data, numpyBalancedSelection(data, seed), 1, data.warmStart),
  asymmetryClassifier: () => scaled(lbfgsLogistic(RUN_CLASSIFIER_C)),
  concatClassifier: () => pcaScaled(lbfgsLogistic(RUN_CLASSIFIER_C)),
};
