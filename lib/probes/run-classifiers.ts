import { fitLogisticRegression, predictProba } from './logistic-regression';
import type { Matrix } from './matrix';
import { fitPca, pcaTransform } from './pca';
import { fitScaler, scaleRows } from './standard-scaler';
import type { RunClassifier } from './variant';

/** sorted_concat's PCA size: min(50, n_train − 1, 4·D), as reproduce.py computes it. */
export const CONCAT_PCA_COMPONENTS = 50;

/** LogisticRegression(C, lbfgs, L2) on already-prepared features: the main script's run-level model (C=0.01). */
export function lbfgsLogistic(C: number): RunClassifier {
  return {
    fit(features, labels) {
      const model = fitLogisticRegression(features, labels, { C });
      return (x) => predictProba(model, x);
    },
  };
}

/** StandardScaler (fit on the training runs) → inner classifier: the asymmetry_probe pipeline. */
export function scaled(inner: RunClassifier): RunClassifier {
  return {
    fit(features, labels) {
      const scaler = fitScaler(features);
      const score = inner.fit(scaleRows(scaler, features), labels);
      return (x: Matrix) => score(scaleRows(scaler, x));
    },
  };
}

/** PCA(min(50, n−1, d)) → StandardScaler → inner classifier: the sorted_concat pipeline. */
export function pcaScaled(inner: RunClassifier, maxComponents = CONCAT_PCA_COMPONENTS): RunClassifier {
  return {
    fit(features, labels) {
      const k = Math.max(1, Math.min(maxComponents, features.rows - 1, features.cols));
      // sklearn's PCA(k, random_state=42), svd_solver "auto": the randomized SVD on wide real-size data.
      const pca = fitPca(features, k, { solver: 'auto', randomState: 42 });
      const reduced = pca.trainingScores;
      const scaler = fitScaler(reduced);
      const score = inner.fit(scaleRows(scaler, reduced), labels);
      return Object.assign((x: Matrix) => score(scaleRows(scaler, pcaTransform(pca, x))), { release: () => pca.release?.() });
    },
  };
}
