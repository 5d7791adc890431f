import { UserError } from '../common/errors';
import { DecodeSession, type GenerationSteering } from './decode-session';
import type { LoadedModel } from './load';
import { SeededRandom } from '../common/seeded-random';
import { chooseToken, type SamplingOptions } from './sampling';

export interface GenerateOptions extends SamplingOptions {
  maxNewTokens: number;
  seed?: number;
  /** Stop a row when it emits an end-of-sequence id (default true). */
  stopOnEos?: boolean;
  /** Stop a row once its decoded text contains any of these; the text is cut before the match. */
  stopStrings?: string[];
  steer?: GenerationSteering[];
  /**
   * Combines the next-token logits of several models (outer index: model, inner: row) into one set per row; with one
   * model the default takes its logits unchanged. The extra models are given via `alsoModels`.
   */
  combine?: (logits: Float32Array[][]) => Float32Array[];
  alsoModels?: LoadedModel[];
  /** Called after every step with the number of tokens generated so far. */
  onStep?: (done: number) => void;
  /** Lets a caller (e.g. a server whose client went away) abandon generation between steps. */
  signal?: AbortSignal;
}

export interface GenerationResult {
  /** Generated ids per row, including the EOS or the token that completed a stop string. */
  generatedIds: number[][];
  /** Decoded continuations without special tokens, cut before any stop string. */
  texts: string[];
  finishReasons: ('stop' | 'length')[];
}

/**
 * Batched generation over left-padded prompts with a KV cache. Finished rows keep receiving the pad token (as HF
 * does) so the batch stays rectangular; they no longer change their output. It yields to the event loop between
 * steps so that a server stays responsive (and notices disconnected clients) while generating.
 */
export async function generate(model: LoadedModel, prompts: number[][], opts: GenerateOptions): Promise<GenerationResult> {
  if (!Number.isInteger(opts.maxNewTokens) || opts.maxNewTokens < 0) throw new UserError(`max new tokens must be a non-negative integer, got ${opts.maxNewTokens}`);
  const models = [model, ...(opts.alsoModels ?? [])];
  for (const m of models) {
    if (m.config.vocabSize !== model.config.vocabSize) throw new UserError(`${m.dir}: vocabulary size ${m.config.vocabSize} differs from ${model.dir} (${model.config.vocabSize}); combined decoding needs one tokenizer`);
  }
  const sessions = models.map((m) => new DecodeSession(m, opts.steer ?? []));
  const combine = opts.combine ?? ((all: Float32Array[][]) => all[0]!);
  const rng = new SeededRandom(opts.seed ?? 0);
  const eos = new Set(opts.stopOnEos === false ? [] : model.tokenizer.eosTokenIds);
  const stops = (opts.stopStrings ?? []).filter((s) => s.length > 0);
  const B = prompts.length;
  const generated: number[][] = prompts.map(() => []);
  const texts: string[] = prompts.map(() => '');
  const reasons: ('stop' | 'length')[] = prompts.map(() => 'length');
  const done = prompts.map(() => false);
  /** Records one chosen token per unfinished row; returns the next step's inputs (finished rows get the pad token). */
  const accept = (pick: (b: number) => number): number[] =>
    prompts.map((_, b) => {
      if (done[b]) return model.tokenizer.padTokenId;
      const token = pick(b);
      generated[b]!.push(token);
      if (eos.has(token) || (stops.length > 0 && firstStop(model.tokenizer.decode(generated[b]!), stops) >= 0)) {
        done[b] = true;
        reasons[b] = 'stop';
      }
      return token;
    });
  const pause = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    if (opts.signal?.aborted) throw new GenerationCancelled();
  };
  try {
    if (opts.maxNewTokens === 0) return { generatedIds: generated, texts, finishReasons: reasons };
    let logits = combine(await Promise.all(sessions.map((s) => s.start(prompts, opts.maxNewTokens))));
    const engine = sessions[0]!.engine;
    const greedy = opts.greedy || opts.temperature === 0;
    if (engine && sessions.length === 1 && !opts.combine && greedy) {
      // Greedy on the WebGPU engine: the argmax stays on the GPU as the next step's input, so step s+1 is submitted
      // before step s's ids are read back (finished rows then see their own argmax instead of the pad token; rows are
      // independent, so no output changes).
      await pause();
      const next = accept((b) => chooseToken(logits[b]!, opts, rng));
      opts.onStep?.(1);
      if (done.every(Boolean) || opts.maxNewTokens === 1) return finish();
      let pending = engine.submit(next, 'ids');
      for (let step = 1; step < opts.maxNewTokens; step++) {
        const ahead = step < opts.maxNewTokens - 1 ? engine.submit(null, 'ids') : undefined;
        ahead?.catch(() => undefined); // abandoned when the loop ends early; the engine's disposal rejects it
        const ids = await pending;
        await pause();
        accept((b) => ids[b]!);
        opts.onStep?.(step + 1);
        if (done.every(Boolean) || !ahead) break;
        pending = ahead;
      }
      return finish();
    }
    for (let step = 0; step < opts.maxNewTokens; step++) {
      await pause();
      const next = accept((b) => chooseToken(logits[b]!, opts, rng));
      opts.onStep?.(step + 1);
      if (done.every(Boolean) || step === opts.maxNewTokens - 1) break;
      logits = combine(await Promise.all(sessions.map((s) => s.step(next))));
    }
  } finally {
    for (const s of sessions) s.dispose();
  }
  return finish();

  function finish(): GenerationResult {
    for (let b = 0; b < B; b++) {
      const text = model.tokenizer.decode(generated[b]!);
      const cut = firstStop(text, stops);
      texts[b] = cut >= 0 ? text.slice(0, cut) : text;
    }
    return { generatedIds: generated, texts, finishReasons: reasons };
  }
}

/** Thrown when the caller's AbortSignal fired between steps. */
export class GenerationCancelled extends Error {
  constructor() {
    super('generation cancelled');
    this.name = 'GenerationCancelled';
  }
}

function firstStop(text: string, stops: string[]): number {
  let best = -1;
  for (const s of stops) {
    const i = text.indexOf(s);
    if (i >= 0 && (best < 0 || i < best)) best = i;
  }
  return best;
}
