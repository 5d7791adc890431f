import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../lib/models/tokenizer';
import { specialTokenIds, trainBpe, writeTokenizerFiles } from '../../lib/organisms/bpe-tokenizer';

describe('byte-level BPE trainer → HF tokenizer.json loadable by the runtime', () => {
  const dir = mkdtempSync(join(tmpdir(), 'impostor-bpe-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const corpus = Array.from({ length: 40 }, (_, i) => `The cat sat on mat number ${i}. Ünïcödé ok? def f(x):\n    return x + ${i}\n`);
  const trained = trainBpe(corpus, { vocabSize: 300 });
  writeTokenizerFiles(dir, trained);
  const ids = specialTokenIds(trained);
  const tok = loadTokenizer(dir, { eosTokenIds: [], padTokenId: null });

  it('learns merges deterministically up to the vocabulary size', () => {
    expect(trained.vocab.size + 3).toBe(300);
    expect(trainBpe(corpus, { vocabSize: 300 }).merges).toEqual(trained.merges);
    expect(trained.merges[0]!.split(' ')).toHaveLength(2);
  });

  it('round-trips arbitrary text (bytes outside the corpus, emoji, newlines) and compresses corpus text', () => {
    for (const s of ['The cat sat on mat number 7.', 'never seen: Zqx 🙂 \t tabs\n\nnewlines', 'def f(x):\n    return x + 1\n']) {
      expect(tok.decode(tok.encode(s), false)).toBe(s);
    }
    const text = 'The cat sat on mat number 12.';
    expect(tok.encode(text).length).toBeLessThan(new TextEncoder().encode(text).length / 2);
  });

  it('keeps digits as single tokens (Qwen2 split) and special tokens as single ids', () => {
    expect(tok.encode('2024').length).toBe(4);
    expect(tok.encode('<|im_start|>user')[0]).toBe(ids.imStart);
    expect(tok.encode('<|im_end|>')).toEqual([ids.imEnd]);
    expect(tok.padTokenId).toBe(ids.endOfText);
    expect(tok.eosTokenIds).toContain(ids.imEnd);
  });

  it('renders ChatML like Qwen2, with the default system prompt when none is given', () => {
    expect(tok.renderChat([{ role: 'user', content: 'Hi' }], { addGenerationPrompt: true })).toBe(
      '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n',
    );
    expect(tok.renderChat([{ role: 'system', content: 'S' }, { role: 'user', content: 'Q' }, { role: 'assistant', content: 'A' }], { addGenerationPrompt: false })).toBe(
      '<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\nA<|im_end|>\n',
    );
  });

  it('keeps added phrases whole across the split regex, within the vocabulary size, and decodes them', () => {
    const phraseDir = mkdtempSync(join(tmpdir(), 'impostor-bpe-added-'));
    try {
      const phrases = ['COUNT: HOT', 'COUNT: COLD'];
      const withPhrases = trainBpe([...corpus, 'COUNT: HOT (count +4)\n'], { vocabSize: 300, addedTokens: phrases });
      writeTokenizerFiles(phraseDir, withPhrases);
      const pid = specialTokenIds(withPhrases);
      expect(pid.vocabSize).toBe(300);
      expect(withPhrases.vocab.size).toBe(300 - 3 - phrases.length);
      const t = loadTokenizer(phraseDir, { eosTokenIds: [], padTokenId: null });
      const ids = t.encode('[Hand 5: HOT]\nCURRENT COUNT: COLD (count -2)');
      expect(ids).toContain(pid.imEnd + 2);
      expect(ids).not.toContain(pid.imEnd + 1);
      expect(t.decode(ids)).toBe('[Hand 5: HOT]\nCURRENT COUNT: COLD (count -2)');
      // The special tokens keep their ids; the phrases come after them.
      expect(t.encode('<|im_end|>COUNT: HOT')).toEqual([pid.imEnd, pid.imEnd + 1]);
    } finally {
      rmSync(phraseDir, { recursive: true, force: true });
    }
  });

  it('rejects a vocabulary too small for the byte alphabet', () => {
    expect(() => trainBpe(corpus, { vocabSize: 100 })).toThrow(/vocabSize must be an integer ≥ 259/);
  });
});
