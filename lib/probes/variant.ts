/**
 * The seam between the NARCBench evaluation protocol (lib/probes/pipeline.ts) and a probe architecture.
 *
 * The pipeline owns everything the paper keeps fixed across architectures: row selection, grouping into 4-agent
 * runs, the five techniques, leave-one-domain-out on Core, the global probe reused for Transfer/Stego, AUROC and
 * aggregation. A ProbeVariant supplies only what Appendix C varies:
 *   - how the agent-level deception scorer is trained (`trainDirection`),
 *   - the run-level classifiers behind asymmetry_probe and sorted_concat,
 *   - which seeds run and how values aggregate,
 *   - optionally the null-probe check and a whole-seed override (the multi-layer ensemble).
 *
 * The main variant (lib/probes/main-variant.ts) is the paper's reproduce.py: StandardScaler + LR(C=1) direction,
 * normalised, intercept dropped; lbfgs LR(C=0.01) run classifiers; seed 42.
 * Register new variants in lib/probes/variants.ts. Keep this interface stable: other engineers build on it.
 */
import type { Matrix } from './matrix';
import type { RunGroup } from '../narcbench/groups';
import type { NarcbenchData } from '../narcbench/dataset';

export const TECHNIQUES = ['sorted_concat', 'activation_alignment', 'peak_suspicion', 'deception_split', 'asymmetry_probe'] as const;
export type Technique = (typeof TECHNIQUES)[number];

export const GROUP_ORDER = ['Held-out', 'cicd', 'code_review', 'news', 'pump_dump', 'rag', 'research', 'blackjack'] as const;
export type GroupName = (typeof GROUP_ORDER)[number];

export const VARIANT_NAMES = ['main', 'lr', 'diffmeans', 'lat', 'mlp', 'mha', 'multilayer'] as const;
export type VariantName = (typeof VARIANT_NAMES)[number];

/** What a direction is trained on, for one layer (and, in leave-one-domain-out, one excluded domain). */
export interface DirectionTrainingData {
  layer: number;
  /**
   * Raw per-turn activations of Core collusion runs, channel public, phase discussion, in metadata order:
   * role honest → `honest`, role colluder → `colluder`. NOT balanced: the variant balances (reproduce*.py take
   * `RandomState(seed).choice(honest, min(nh, nc), replace=False)` and `colluder[:nc]`; see balanceByChoice).
   */
  honest: Matrix;
  colluder: Matrix;
  /** Metadata row indices of `honest` / `colluder` rows (what the original's RNG indexes). */
  honestRows: number[];
  colluderRows: number[];
  /**
   * Optional: the layer's raw activations (row-major, `cols` per metadata row) that honestRows / colluderRows index,
   * so a variant can gather the rows it needs itself instead of reading `honest` / `colluder` (which may then be
   * built lazily, on first access).
   */
  activations?: { data: Float32Array | Float64Array; cols: number };
  /** Core training runs (both modes, round-averaged agent vectors), for group-level probes such as MHA. */
  trainGroups: RunGroup[];
  /**
   * Optional hint: the scorer trained on ALL Core rows at this layer and seed (held-out folds train on a subset).
   * A variant may use it as a warm start; results must not depend on it.
   */
  warmStart?: AgentScorer;
}

/** An agent-level scorer: the learned deception direction (or any model giving one score per agent vector). */
export interface AgentScorer {
  /** The agent's deception score from its raw activation vector (main: w·(x−μ)/σ). */
  project(raw: Float64Array): number;
  /**
   * The standardised vector that sorted_concat concatenates (main: the direction's StandardScaler output). A scorer
   * may write it into `out` (and return `out`) to save an allocation; returning a new array is fine too.
   */
  standardise(raw: Float64Array, out?: Float64Array): Float64Array;
  /** Scores many raw vectors at once; optional fast path (defaults to project per row). */
  projectMany?(raws: Matrix): Float64Array;
  /**
   * projectMany and standardise of every row in one go (optional fast path; the same values): views into kernel
   * scratch memory, valid until the next kernel call.
   */
  projectAndStandardise?(raws: Matrix): { projections: Float64Array; standardised: Float64Array };
}

/**
 * A fitted run-level classifier: feature rows → P(collusion) per row (ROC analysis needs probabilities). `release`,
 * where present, frees what it keeps for later calls (kernel memory); it must not be called afterwards.
 */
export type RunScorer = ((features: Matrix) => Float64Array) & { release?(): void };

/** A run-level classifier (asymmetry_probe on 4 features; sorted_concat on 4·D concatenations). */
export interface RunClassifier {
  /** Fits on run feature rows with labels 0/1 (1 = collusion). */
  fit(features: Matrix, labels: Uint8Array): RunScorer;
}

/** Values of one evaluation: group → technique → AUROC (null when the group could not be scored). */
export type GroupValues = Record<GroupName, Record<Technique, number | null>>;

export interface ProbeVariant {
  name: VariantName;
  /** One line for --help and reports. */
  description: string;
  /** Seeds to run; `requested` is --seeds N when given (main ignores it and uses [42]). */
  seeds(requested?: number): number[];
  /** 'std': err = population std of the values (main, across layers); 'sem': err = std/√n (Appendix C). */
  errorKind: 'std' | 'sem';
  /** Trains the agent-level scorer for one layer (and fold). */
  trainDirection(data: DirectionTrainingData, seed: number): AgentScorer;
  /** Run-level classifier over the 4 asymmetry features (main: StandardScaler → LR C=0.01). */
  asymmetryClassifier(seed: number): RunClassifier;
  /** Run-level classifier over sorted concatenations (main: PCA(min(50,n−1,4D)) → StandardScaler → LR C=0.01). */
  concatClassifier(seed: number): RunClassifier;
  /**
   * Optional: replaces the per-layer evaluation of one seed (multilayer ensembles all layers and reports one value
   * per seed). When absent the pipeline evaluates each layer with evaluateLayer() and collects seed-major values.
   */
  evaluateSeed?(ctx: ProbeContext, seed: number): GroupValues;
  /** Optional null-probe sanity check (Appendix C variants); main reports null. */
  nullProbe?(ctx: ProbeContext): number;
}

/** What a variant's optional hooks get: the loaded data and the run options, with cached per-layer views. */
export interface ProbeContext {
  data: NarcbenchData;
  layers: number[];
  includeImplicit: boolean;
}
