import { disposeModel, loadModel, type LoadedModel } from '../models/load';
import { UserError } from '../common/errors';
import { EndpointModel, isEndpointName, parseEndpointName } from './endpoint-model';
import { resolveModelDir, type Preset } from './model-registry';

/**
 * Loads each model once per run (the original reloads every model on every generation call) and keeps it until
 * the run ends. Merged models built in memory are registered under a name of their own.
 */
export class ModelPool {
  private readonly loaded = new Map<string, Promise<LoadedModel>>();
  /** How many checkpoints were read from disk (the test checks "each model loaded once per run"). */
  loads = 0;

  constructor(
    private readonly preset: Preset,
    private readonly backend?: string,
  ) {}

  private readonly endpoints = new Map<string, EndpointModel>();

  /** Validates a name up front: endpoints parse, checkpoints resolve to a folder. */
  check(name: string): void {
    if (isEndpointName(name)) parseEndpointName(name);
    else resolveModelDir(name, this.preset);
  }

  dirOf(name: string): string {
    if (isEndpointName(name)) throw new UserError(`model "${name}" is an endpoint: this step needs the model's weights or logits (logit fusion, merging, routers' local training); use a local checkpoint folder`);
    return resolveModelDir(name, this.preset);
  }

  /** A model for chat generation: a local checkpoint or an endpoint. */
  async chatModel(name: string): Promise<LoadedModel | EndpointModel> {
    if (!isEndpointName(name)) return this.get(name);
    let e = this.endpoints.get(name);
    if (!e) {
      e = parseEndpointName(name);
      await e.client.preflight();
      this.endpoints.set(name, e);
    }
    return e;
  }

  get(name: string): Promise<LoadedModel> {
    const dir = this.dirOf(name);
    let m = this.loaded.get(dir);
    if (!m) {
      this.loads++;
      m = loadModel(dir, { backend: this.backend });
      this.loaded.set(dir, m);
    }
    return m;
  }

  /**
   * A trained artifact (a router) built once per pool: the grid's unmitigated and mitigated cells of one malicious
   * kind train on identical data, so they share one training. `key` must hash everything the result depends on.
   */
  once<T>(key: string, build: () => Promise<T>): Promise<T> {
    let p = this.trained.get(key) as Promise<T> | undefined;
    if (!p) this.trained.set(key, (p = build()));
    return p;
  }

  private readonly trained = new Map<string, Promise<unknown>>();

  /** Scores by (task type, task, split, item, output), shared by the cells of a grid (CollabContext.score). */
  readonly scores = new Map<string, number>();

  register(key: string, model: LoadedModel): void {
    this.loaded.set(key, Promise.resolve(model));
  }

  async dispose(): Promise<void> {
    for (const m of this.loaded.values()) disposeModel(await m);
    this.loaded.clear();
  }
}
