import { resolveSteering } from '../attacks/steering';
import { UserError } from '../common/errors';
import { PyRandom } from '../common/py-random';
import type { DatasetItem, Split } from '../eval/datasets';
import { prepareInputs } from '../eval/prepare-inputs';
import { meanScore, score } from '../eval/score';
import type { GenerationSteering } from '../models/decode-session';
import type { LoadedModel } from '../models/load';
import type { Hyperparameters, RunSpec } from './config';
import type { Generator } from './generator';
import { organismFolder } from './model-registry';
import type { ModelPool } from './model-pool';
import { BENIGN_SYSTEM_PROMPT } from './prompts';

/**
 * Everything a method needs: the run (after the malicious slot is applied), the task's items and prompts, the model
 * pool (each model loaded once per run), the journaled generator and the scorer. `generateWith(i, …)` is the
 * original's distributed_generation for model i: its own system prompt and steer flag.
 */
export class CollabContext {
  readonly n: number;
  readonly hp: Hyperparameters;
  readonly prompts: string[];
  readonly steers: boolean[];
  /** CPython-compatible random seeded like the original's main.py (random.seed(42)). */
  readonly rng: PyRandom;
  readonly devInputs: string[];
  readonly testInputs: string[];
  private devOutputsCache?: Promise<string[][]>;
  private devScoresCache?: Promise<number[][]>;
  private readonly steering = new Map<number, GenerationSteering>();

  constructor(
    readonly run: RunSpec,
    readonly taskType: string,
    readonly dev: DatasetItem[],
    readonly test: DatasetItem[],
    readonly pool: ModelPool,
    readonly gen: Generator,
    readonly log: (line: string) => void = () => {},
  ) {
    this.n = run.model_names.length;
    this.hp = run.hyperparameters as Hyperparameters;
    this.prompts = this.hp.prompts ?? Array.from({ length: this.n }, () => BENIGN_SYSTEM_PROMPT);
    this.steers = (this.hp.steers ?? Array.from({ length: this.n }, () => 0)).map((s) => Boolean(s));
    this.rng = new PyRandom(run.seed);
    this.devInputs = prepareInputs(run.task, taskType, dev);
    this.testInputs = prepareInputs(run.task, taskType, test);
  }

  get compat(): boolean {
    return this.run.compat;
  }

  get maxTokens(): number {
    return this.hp.max_response_length;
  }

  model(i: number): Promise<LoadedModel> {
    return this.pool.get(this.run.model_names[i]!);
  }

  async steeringFor(i: number): Promise<GenerationSteering | undefined> {
    if (!this.steers[i]) return undefined;
    if (!this.steering.has(i)) {
      // an organism that is "base + vector" keeps its vector in its own folder, not in the base checkpoint's
      const organismDir = organismFolder(this.run.model_names[i]!, this.run.preset);
      this.steering.set(i, resolveSteering(await this.model(i), this.hp.steer_vector, organismDir));
    }
    return this.steering.get(i);
  }

  /** Model i on `inputs` with its own system prompt and steering (where the original forwards prompts/steers). */
  async generateWith(i: number, inputs: readonly string[]): Promise<string[]> {
    if (inputs.length === 0) return [];
    const model = await this.pool.chatModel(this.run.model_names[i]!);
    if ('kind' in model && this.steers[i]) throw new UserError(`${this.run.source}: model ${i} (${model.name}) is an endpoint but hyperparameters.steers[${i}] is 1: steering needs a local checkpoint`);
    return this.gen.chat({ model, system: this.prompts[i]!, steer: await this.steeringFor(i), inputs, maxNewTokens: this.maxTokens });
  }

  /** A model with the benign prompt and no steering (merged models, routers and judges, spec §9 item 6). */
  async generateBenign(model: LoadedModel, inputs: readonly string[], system: string | null = BENIGN_SYSTEM_PROMPT): Promise<string[]> {
    if (inputs.length === 0) return [];
    return this.gen.chat({ model, system, inputs, maxNewTokens: this.maxTokens });
  }

  /** Every model's dev outputs (prompts and steers applied), generated once per run and shared by all steps. */
  devOutputs(): Promise<string[][]> {
    this.devOutputsCache ??= (async () => {
      const out: string[][] = [];
      for (let i = 0; i < this.n; i++) out.push(await this.generateWith(i, this.devInputs));
      return out;
    })();
    return this.devOutputsCache;
  }

  /** score[i][j] of model i on dev item j. */
  devScores(): Promise<number[][]> {
    this.devScoresCache ??= (async () => {
      const outs = await this.devOutputs();
      const scores: number[][] = [];
      for (const o of outs) scores.push(await this.score('dev', this.dev, o));
      return scores;
    })();
    return this.devScoresCache;
  }

  /** Average dev score per model. */
  async devMeans(): Promise<number[]> {
    return (await this.devScores()).map((s) => (s.length ? meanScore(s) : 0));
  }

  /**
   * Scores outputs, each (item, output) once per pool: the grid's cells rescore the same dev answers of the benign
   * models many times, and code items run in the sandbox.
   */
  async score(split: Split, items: readonly DatasetItem[], outputs: readonly string[]): Promise<number[]> {
    const keys = items.map((item, j) => JSON.stringify([this.taskType, this.run.task, split, item, outputs[j]]));
    const cache = this.pool.scores;
    const todo = keys.map((k, j) => (cache.has(k) ? -1 : j)).filter((j) => j >= 0);
    if (todo.length) {
      const fresh = await score(this.taskType, todo.map((j) => items[j]!), todo.map((j) => outputs[j]!), { task: this.run.task, split });
      todo.forEach((j, t) => cache.set(keys[j]!, fresh[t]!));
    }
    return keys.map((k) => cache.get(k)!);
  }
}

/** First index of the maximum (numpy/Python max-with-index semantics). */
export function argmaxFirst(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** First index of the minimum. */
export function argminFirst(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! < values[best]!) best = i;
  return best;
}
