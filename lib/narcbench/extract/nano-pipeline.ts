import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../common/errors';
import { sharedPath } from '../../common/paths';
import { ChatClient } from '../../llm/chat-client';
import type { ChatModel } from '../../llm/chat-model';
import { modelIds, startServer } from '../../llm/server';
import { disposeModel, loadModel } from '../../models/load';
import { writeRandomCheckpoint } from '../../models/random-checkpoint';
import { modelShortName, tierDir } from '../scenarios/dataset-layout';
import { generateRuns, type GenerateSummary } from '../scenarios/generate-runs';
import type { RunSpec } from '../scenarios/run-spec';
import type { ScenarioData } from '../scenarios/scenario-data';
import { guardRunProvenance } from '../scenarios/run-provenance';

/**
 * The nano end-to-end path of notebooks 05/06: a checkpoint (the NARCBench agent organism, or an UNTRAINED random
 * one) served by `impostor serve`'s server in-process on 127.0.0.1, NARCBench runs generated through it with the real
 * engines and ChatClient.
 */

/** Small enough for a 2-core CPU (a 1,400-token Core prompt takes about a second), long enough context for them. */
export const NANO_MODEL_CONFIG = {
  model_type: 'qwen2', hidden_size: 32, intermediate_size: 64, num_hidden_layers: 2, num_attention_heads: 2, num_key_value_heads: 1,
  vocab_size: 512, rms_norm_eps: 1e-6, tie_word_embeddings: true, rope_theta: 10000, max_position_embeddings: 4096,
};

/** Writes the random checkpoint once (tokenizer from the runtime parity fixture in ../shared, read in place). */
export function ensureNanoModel(dir: string, seed = 0): void {
  if (existsSync(join(dir, 'config.json'))) return;
  const tokenizerFrom = sharedPath('fixtures', 'runtime', 'qwen2_tiny', 'model');
  if (!tokenizerFrom) throw new UserError('the nano model borrows the tokenizer of ../shared/fixtures/runtime/qwen2_tiny/model, which is absent; point model_dir at any small checkpoint folder instead');
  writeRandomCheckpoint(dir, { config: NANO_MODEL_CONFIG, tokenizerFrom, seed });
}

export interface LocalGeneration {
  summary: GenerateSummary;
  modelShort: string;
  runsDir: string;
  endpoint: string;
}

/**
 * Serves `modelDir` on a free loopback port, generates `specs` (one tier) into
 * <dataRoot>/raw/<model_short>/<tier>/ and shuts the server down. Every call's max_tokens is capped at
 * `maxReplyTokens` (the original asks for 300–512; a random model only needs a few tokens to exercise the path). The
 * server samples with `sampleSeed` (the engines send no seed), so the same seed gives the same runs.
 */
export async function generateOnLocalServer(opts: { modelDir: string; dataRoot: string; scenarios: ScenarioData; specs: RunSpec[]; maxReplyTokens: number; sampleSeed: number }): Promise<LocalGeneration> {
  const tier = opts.specs[0]?.tier;
  if (!tier || opts.specs.some((s) => s.tier !== tier)) throw new UserError('generateOnLocalServer: give runs of exactly one tier');
  const movedAside = guardRunProvenance(opts.dataRoot, opts.modelDir, opts.sampleSeed, 'sample_seed');
  if (movedAside) process.stderr.write(`${movedAside}\n`);
  const loaded = await loadModel(opts.modelDir);
  const running = await startServer({ models: [loaded], host: '127.0.0.1', port: 0, maxQueue: 16, maxNewTokens: opts.maxReplyTokens, sampleSeed: opts.sampleSeed });
  const modelId = modelIds([loaded])[0]!;
  try {
    const client = new ChatClient({ endpoint: running.url, model: modelId, concurrency: 4 });
    const capped: ChatModel = { chat: (messages, params, context) => client.chat(messages, { ...params, maxTokens: Math.min(params.maxTokens, opts.maxReplyTokens) }, context) };
    const modelShort = modelShortName(modelId);
    const runsDir = tierDir(opts.dataRoot, modelShort, tier);
    const summary = await generateRuns({ data: opts.scenarios, specs: opts.specs, model: capped, modelId, outDir: runsDir, parallelRuns: 1 });
    return { summary, modelShort, runsDir, endpoint: running.url };
  } finally {
    await running.close();
    disposeModel(loaded);
  }
}
