import { z } from 'zod';
import { defineCommand } from '../../cli/command';
import { intFlag } from '../../cli/options';
import { loadModel } from '../../models/load';
import { modelIds, startServer } from '../server';

export default defineCommand({
  name: 'serve',
  summary: 'Serve checkpoints through an OpenAI-compatible API (POST /v1/chat/completions, GET /v1/models)',
  options: z.object({
    model: z.union([z.string(), z.array(z.string())]).transform((v) => [v].flat()),
    port: intFlag('--port').default(8000),
    host: z.string().default('127.0.0.1'),
    apiKey: z.string().optional(),
    maxQueue: intFlag('--max-queue').default(8),
    maxNewTokens: intFlag('--max-new-tokens').default(2048),
    seed: intFlag('--seed').optional(),
    backend: z.enum(['wasm', 'webgpu', 'cpu']).optional(),
  }),
  describe: {
    model: 'checkpoint folder (repeat for several; each is served under its folder name)',
    port: 'TCP port (default 8000; 0 picks a free one)',
    host: 'interface to bind (default 127.0.0.1, local only; 0.0.0.0 exposes it)',
    apiKey: 'require "Authorization: Bearer KEY" (or set IMPOSTOR_API_KEY)',
    maxQueue: 'requests that may wait behind the running one before 429 (default 8)',
    maxNewTokens: 'largest max_tokens a request may ask for (default 2048)',
    seed: 'sample requests that send no seed reproducibly: each gets a seed derived from this one and its prompt (default: random, as vLLM)',
    backend: 'wasm (default on CPU) | webgpu | cpu; or set IMPOSTOR_BACKEND',
  },
  async run(opts) {
    const models = [];
    for (const dir of opts.model) models.push(await loadModel(dir, { backend: opts.backend }));
    const running = await startServer({
      models,
      host: opts.host,
      port: opts.port,
      apiKey: opts.apiKey ?? process.env.IMPOSTOR_API_KEY,
      maxQueue: opts.maxQueue,
      maxNewTokens: opts.maxNewTokens,
      sampleSeed: opts.seed,
      log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
    });
    process.stderr.write(`serving ${modelIds(models).join(', ')} at ${running.url}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => void running.close().then(resolve);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
});
