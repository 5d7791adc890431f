import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { generate, GenerationCancelled } from '../models/generate';
import type { LoadedModel } from '../models/load';
import type { ChatMessage } from '../models/tokenizer';
import { ApiError, invalidRequest } from './api-errors';

const contentPart = z.object({ type: z.literal('text'), text: z.string() });

/** The subset of OpenAI's chat.completions request the local server honours; unknown fields are ignored as OpenAI does. */
export const chatCompletionRequest = z.object({
  model: z.string(),
  messages: z.array(z.object({ role: z.enum(['system', 'user', 'assistant', 'developer', 'tool']), content: z.union([z.string(), z.array(contentPart)]) })).min(1),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().gt(0).max(1).nullish(),
  top_k: z.number().int().min(0).nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  seed: z.number().int().nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  n: z.number().int().min(1).max(16).nullish(),
  stream: z.boolean().nullish(),
  chat_template_kwargs: z.record(z.string(), z.unknown()).nullish(),
});

export type ChatCompletionRequest = z.infer<typeof chatCompletionRequest>;

export interface CompletionSettings {
  /** Largest max_tokens accepted (and the default is min(256, this)). */
  maxNewTokens: number;
  /**
   * When set, a request that sends no seed is sampled with a seed derived from this one and the request itself (its
   * prompt ids and sampling settings), so a client that never sends seeds (NARCBench's generators) gets the same
   * replies on every run, whatever order concurrent requests arrive in. Unset: a random seed, as vLLM does.
   */
  sampleSeed?: number;
}

/** The seed of a request that sent none: a hash of the server's sample seed, the prompt ids and the sampling settings. */
export function derivedSeed(sampleSeed: number, ids: readonly number[], sampling: Record<string, unknown>): number {
  const hash = createHash('sha256').update(JSON.stringify([sampleSeed, ids, sampling])).digest();
  return hash.readUInt32LE(0) & 0x7fffffff;
}

/** Validates a parsed JSON body, mapping zod issues to OpenAI's invalid_request_error with the offending param. */
export function parseChatRequest(body: unknown): ChatCompletionRequest {
  const parsed = chatCompletionRequest.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = issue.path.map(String).join('.') || null;
    throw invalidRequest(`${param ?? 'body'}: ${issue.message}`, param);
  }
  if (parsed.data.stream) throw invalidRequest('stream=true is not supported by this server; request without streaming', 'stream', 'unsupported_parameter');
  return parsed.data;
}

/** Runs one validated request on a model and builds the OpenAI chat.completion response. */
export async function completeChat(model: LoadedModel, req: ChatCompletionRequest, settings: CompletionSettings, signal: AbortSignal): Promise<object> {
  const messages: ChatMessage[] = req.messages.map((m) => ({
    role: m.role === 'developer' ? 'system' : m.role,
    content: typeof m.content === 'string' ? m.content : m.content.map((p) => p.text).join(''),
  }));
  const maxTokens = req.max_completion_tokens ?? req.max_tokens ?? Math.min(256, settings.maxNewTokens);
  if (maxTokens > settings.maxNewTokens) throw invalidRequest(`max_tokens ${maxTokens} exceeds this server's limit of ${settings.maxNewTokens}`, 'max_tokens');
  let prompt: string;
  try {
    prompt = model.tokenizer.renderChat(messages, { addGenerationPrompt: true, kwargs: req.chat_template_kwargs ?? {} });
  } catch (err) {
    throw invalidRequest(`could not render the chat template: ${(err as Error).message}`, 'messages');
  }
  const ids = model.tokenizer.encode(prompt);
  const n = req.n ?? 1;
  const temperature = req.temperature ?? 1;
  const sampling = { n, temperature, topP: req.top_p ?? 1, topK: req.top_k ?? 0, maxTokens, stop: req.stop ?? null };
  const seed = req.seed ?? (settings.sampleSeed === undefined ? Math.floor(Math.random() * 2 ** 31) : derivedSeed(settings.sampleSeed, ids, sampling));
  try {
    const result = await generate(model, new Array(n).fill(ids), {
      maxNewTokens: maxTokens,
      greedy: temperature === 0,
      temperature,
      topP: sampling.topP,
      topK: sampling.topK,
      seed,
      stopStrings: req.stop == null ? [] : [req.stop].flat(),
      signal,
    });
    const completionTokens = result.generatedIds.reduce((a, g) => a + g.length, 0);
    return {
      id: `chatcmpl-${randomUUID()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: req.model,
      choices: result.texts.map((text, index) => ({ index, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: result.finishReasons[index] })),
      usage: { prompt_tokens: ids.length, completion_tokens: completionTokens, total_tokens: ids.length + completionTokens },
    };
  } catch (err) {
    if (err instanceof GenerationCancelled) throw new ApiError(499, 'client closed the connection', 'cancelled');
    throw err;
  }
}
