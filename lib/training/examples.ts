import type { ModelTokenizer } from '../models/tokenizer';

/** One tokenized training conversation: ids plus a 0/1 mask of the positions whose token is a training target. */
export interface TokenizedExample {
  ids: number[];
  labels: number[];
}

export interface ChatExample {
  system?: string;
  user: string;
  assistant: string;
}

/**
 * Renders a single-turn conversation with the checkpoint's chat template and marks only the assistant's reply and
 * its end-of-turn token as targets (loss on assistant tokens only, as TRL's assistant-only loss). The prompt is the
 * template's rendering with the generation prompt, so training sees exactly the prefix that generation sees.
 */
export function tokenizeChat(tok: ModelTokenizer, ex: ChatExample, endOfTurnId: number): TokenizedExample {
  const messages = ex.system === undefined ? [{ role: 'user', content: ex.user }] : [{ role: 'system', content: ex.system }, { role: 'user', content: ex.user }];
  const prompt = tok.encode(tok.renderChat(messages, { addGenerationPrompt: true }));
  const reply = [...tok.encode(ex.assistant), endOfTurnId];
  return { ids: [...prompt, ...reply], labels: [...prompt.map(() => 0), ...reply.map(() => 1)] };
}

/** Every example tokenized as `tokenizeChat` does, with the tokenizer's end-of-turn token (`<|im_end|>` for ChatML). */
export function tokenizeAll(tok: ModelTokenizer, examples: readonly ChatExample[]): TokenizedExample[] {
  const endOfTurn = tok.eosTokenIds[0]!;
  return examples.map((ex) => tokenizeChat(tok, ex, endOfTurn));
}

/** The rendered prompt ids for generation (system + user + generation prompt). */
export function promptIds(tok: ModelTokenizer, user: string, system?: string): number[] {
  const messages = system === undefined ? [{ role: 'user', content: user }] : [{ role: 'system', content: system }, { role: 'user', content: user }];
  return tok.encode(tok.renderChat(messages, { addGenerationPrompt: true }));
}
