import { request } from 'node:http';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadModel, type LoadedModel } from '../../lib/models/load';
import { startServer, type RunningServer } from '../../lib/llm/server';
import { derivedSeed } from '../../lib/llm/chat-completions';
import { describeWithShared } from '../shared-fixtures';

/** A raw HTTP request, for what the openai client will not send (malformed JSON, huge bodies, early disconnects). */
function raw(url: string, method: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describeWithShared('OpenAI-compatible server on the fixture model (real loopback HTTP, openai client)', ['fixtures', 'runtime', 'qwen2_tiny', 'model'], (dir) => {
  let model: LoadedModel;
  let server: RunningServer;
  let client: OpenAI;
  const KEY = 'test-key';

  beforeAll(async () => {
    model = await loadModel(dir, { backend: 'wasm' });
    server = await startServer({ models: [model], apiKey: KEY, maxQueue: 1, maxBodyBytes: 64 * 1024, maxNewTokens: 64 });
    client = new OpenAI({ baseURL: server.url, apiKey: KEY, maxRetries: 0 });
  });
  afterAll(() => server?.close());

  it('binds to loopback and lists the model', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const list = await client.models.list();
    expect(list.data.map((m) => m.id)).toEqual(['model']);
  });

  it('answers chat completions: greedy equals the runtime, seeded sampling repeats, n and stop work', async () => {
    const messages = [{ role: 'user' as const, content: 'What is 12 plus 30? Answer briefly.' }];
    const greedy = await client.chat.completions.create({ model: 'model', messages, temperature: 0, max_tokens: 5 });
    expect(greedy.object).toBe('chat.completion');
    expect(greedy.choices).toHaveLength(1);
    expect(greedy.choices[0]!.finish_reason).toBe('length');
    expect(greedy.usage!.completion_tokens).toBe(5);
    // The fixture's greedy continuation of this prompt is token 258 repeated (gen_greedy row 0).
    expect(greedy.choices[0]!.message.content).toBe(model.tokenizer.decode(new Array(5).fill(258)));
    const a = await client.chat.completions.create({ model: 'model', messages, temperature: 1.2, top_p: 0.9, seed: 11, n: 3, max_tokens: 6 });
    const b = await client.chat.completions.create({ model: 'model', messages, temperature: 1.2, top_p: 0.9, seed: 11, n: 3, max_tokens: 6 });
    expect(a.choices).toHaveLength(3);
    expect(a.choices.map((c) => c.message.content)).toEqual(b.choices.map((c) => c.message.content));
    // Stop at the first ASCII letter after the start (partial UTF-8 bytes decode differently mid-stream).
    const text = a.choices.map((c) => c.message.content!).find((t) => /[a-z]/i.test(t.slice(1)))!;
    const index = a.choices.findIndex((c) => c.message.content === text);
    const stopAt = /[a-z]/i.exec(text.slice(1))![0];
    const stopped = await client.chat.completions.create({ model: 'model', messages, temperature: 1.2, top_p: 0.9, seed: 11, n: 3, max_tokens: 6, stop: [stopAt] });
    expect(stopped.choices[index]!.message.content).toBe(text.slice(0, text.indexOf(stopAt, 1)));
    expect(stopped.choices[index]!.finish_reason).toBe('stop');
  });

  it('with a sample seed, samples a request that sends none the same way on every run (a seed derived from the prompt)', async () => {
    const seeded = [await startServer({ models: [model], sampleSeed: 5 }), await startServer({ models: [model], sampleSeed: 5 }), await startServer({ models: [model], sampleSeed: 6 })];
    try {
      const ask = async (s: RunningServer, content: string) => {
        const c = new OpenAI({ baseURL: s.url, apiKey: 'none', maxRetries: 0 });
        const r = await c.chat.completions.create({ model: 'model', messages: [{ role: 'user', content }], temperature: 1.2, n: 4, max_tokens: 6 });
        return r.choices.map((x) => x.message.content).join('|');
      };
      const first = await ask(seeded[0]!, 'What is 12 plus 30?');
      expect(await ask(seeded[1]!, 'What is 12 plus 30?')).toBe(first);
      // Another server seed or another prompt gets another seed (compared as seeds: 4 short samples may coincide).
      const ids = model.tokenizer.encode('x');
      const settings = { n: 4, temperature: 1.2, topP: 1, topK: 0, maxTokens: 6, stop: null };
      expect(derivedSeed(5, ids, settings)).toBe(derivedSeed(5, [...ids], { ...settings }));
      expect(derivedSeed(6, ids, settings)).not.toBe(derivedSeed(5, ids, settings));
      expect(derivedSeed(5, [...ids, 1], settings)).not.toBe(derivedSeed(5, ids, settings));
      expect(await ask(seeded[2]!, 'What is 12 plus 30?')).not.toBe(first);
    } finally {
      await Promise.all(seeded.map((s) => s.close()));
    }
  });

  it('passes chat_template_kwargs to the template', async () => {
    // The fixture's template ignores extra variables; rendering must still succeed with them.
    const r = await client.chat.completions.create({ model: 'model', messages: [{ role: 'user', content: 'hi' }], max_tokens: 2, temperature: 0, chat_template_kwargs: { enable_thinking: false } } as never);
    expect(r.choices[0]!.message.role).toBe('assistant');
  });

  it('answers errors as OpenAI JSON with proper status codes, and keeps serving', async () => {
    const url = `${server.url}/chat/completions`;
    const auth = { Authorization: `Bearer ${KEY}` };
    const bad = await raw(url, 'POST', '{"model": "model", "messages": [', auth);
    expect(bad.status).toBe(400);
    expect(bad.json.error.type).toBe('invalid_request_error');
    const noKey = await raw(url, 'POST', '{}');
    expect(noKey.status).toBe(401);
    expect(noKey.json.error.code).toBe('invalid_api_key');
    const huge = await raw(url, 'POST', Buffer.alloc(200 * 1024, 0x20), auth);
    expect(huge.status).toBe(413);
    const unknownModel = await raw(url, 'POST', JSON.stringify({ model: 'gpt-9', messages: [{ role: 'user', content: 'x' }] }), auth);
    expect(unknownModel.status).toBe(404);
    expect(unknownModel.json.error.code).toBe('model_not_found');
    const badParam = await raw(url, 'POST', JSON.stringify({ model: 'model', messages: [{ role: 'user', content: 'x' }], temperature: 5 }), auth);
    expect(badParam.status).toBe(400);
    expect(badParam.json.error.param).toBe('temperature');
    const tooMany = await raw(url, 'POST', JSON.stringify({ model: 'model', messages: [{ role: 'user', content: 'x' }], max_tokens: 1000 }), auth);
    expect(tooMany.status).toBe(400);
    expect((await raw(`${server.url}/nope`, 'GET', '', auth)).status).toBe(404);
    await expect(client.chat.completions.create({ model: 'gpt-9', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 404 });
    const ok = await client.chat.completions.create({ model: 'model', messages: [{ role: 'user', content: 'still there?' }], temperature: 0, max_tokens: 2 });
    expect(ok.choices[0]!.message.content).toBeTypeOf('string');
  });

  it('survives a client disconnecting mid-generation and rejects beyond the bounded queue with 429', async () => {
    const body = JSON.stringify({ model: 'model', messages: [{ role: 'user', content: 'long' }], temperature: 0, max_tokens: 64 });
    const abandoned = request(`${server.url}/chat/completions`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${KEY}` } });
    abandoned.on('error', () => {});
    abandoned.end(body);
    await new Promise((r) => setTimeout(r, 30));
    // One request is running (the abandoned one or the next), maxQueue = 1 waits, the rest get 429.
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () => client.chat.completions.create({ model: 'model', messages: [{ role: 'user', content: 'q' }], temperature: 0, max_tokens: 48 })),
    );
    abandoned.destroy();
    const statuses = results.map((r) => (r.status === 'fulfilled' ? 200 : (r.reason as { status: number }).status));
    expect(statuses).toContain(429);
    expect(statuses).toContain(200);
    const after = await client.chat.completions.create({ model: 'model', messages: [{ role: 'user', content: 'after' }], temperature: 0, max_tokens: 3 });
    expect(after.usage!.completion_tokens).toBe(3);
  });
});
