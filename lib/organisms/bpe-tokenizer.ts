import { join } from 'node:path';
import { writeJsonAtomic } from '../common/atomic-write';
import { UserError } from '../common/errors';
import { CHATML_TEMPLATE } from './chat-template';

/**
 * A byte-level BPE tokenizer trainer that writes Hugging Face `tokenizer.json` + `tokenizer_config.json` in the
 * layout of Qwen2's tokenizer: NFC normaliser, Qwen2's split regex (single digits, so arithmetic sees one token per
 * digit) followed by the GPT-2 byte-to-unicode ByteLevel step, ByteLevel decoder, and the three ChatML special tokens
 * appended after the learned vocabulary.
 */

export const SPECIAL_TOKENS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'] as const;

/** Qwen2's pre-tokenizer pattern, stored verbatim in tokenizer.json (tokenizers and transformers.js both read it). */
export const QWEN2_SPLIT_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/** The same pattern in JavaScript syntax (Node 20 lacks inline `(?i:` groups), used to pre-tokenize the corpus. */
const SPLIT_JS = /'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD]|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;

/** GPT-2's reversible map from bytes to printable unicode characters (so every byte sequence is a string of "letters"). */
export function bytesToUnicode(): string[] {
  const keep: number[] = [];
  for (let b = 33; b <= 126; b++) keep.push(b);
  for (let b = 161; b <= 172; b++) keep.push(b);
  for (let b = 174; b <= 255; b++) keep.push(b);
  const table: string[] = new Array(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) table[b] = keep.includes(b) ? String.fromCharCode(b) : String.fromCharCode(256 + extra++);
  return table;
}

export interface BpeOptions {
  /** Total vocabulary including the 256 byte symbols and the special tokens. */
  vocabSize: number;
  /** Pairs seen fewer times than this are never merged (keeps rare one-off merges out). */
  minFrequency?: number;
  /**
   * Phrases kept whole as one token each (HF `added_tokens`, not special): the text is split on them before the
   * pre-tokenizer, as HF tokenizers do, so they also span the split regex's word boundaries. They count toward
   * vocabSize and take the ids after the special tokens.
   */
  addedTokens?: readonly string[];
}

export interface TrainedTokenizer {
  /** Symbol → id for the 256 bytes and the learned merges (special tokens come after). */
  vocab: Map<string, number>;
  /** Learned merges in rank order, each "left right". */
  merges: string[];
  /** Whole-phrase tokens (BpeOptions.addedTokens), ids after the special tokens. */
  added: string[];
}

/**
 * Learns merges by repeatedly joining the most frequent adjacent pair inside pre-tokenized words (ties broken by the
 * pair's text, so training is deterministic). Word counts make this fast enough for a few MB of text.
 */
export function trainBpe(corpus: readonly string[], opts: BpeOptions): TrainedTokenizer {
  const byteChars = bytesToUnicode();
  const added = [...(opts.addedTokens ?? [])];
  const target = opts.vocabSize - SPECIAL_TOKENS.length - added.length;
  if (!Number.isInteger(opts.vocabSize) || target < 256) throw new UserError(`BPE vocabSize must be an integer ≥ ${256 + SPECIAL_TOKENS.length + added.length} (256 bytes + special and added tokens), got ${opts.vocabSize}`);
  const minFrequency = opts.minFrequency ?? 2;
  const wordCounts = new Map<string, number>();
  const encoder = new TextEncoder();
  for (const text of corpus) {
    for (const piece of withoutAdded(text.normalize('NFC'), added).flatMap((part) => part.match(SPLIT_JS) ?? [])) {
      const mapped = Array.from(encoder.encode(piece), (b) => byteChars[b]!).join('\u0000');
      wordCounts.set(mapped, (wordCounts.get(mapped) ?? 0) + 1);
    }
  }
  const words = [...wordCounts].map(([w, count]) => ({ symbols: w.split('\u0000'), count }));
  const vocab = new Map<string, number>();
  // Byte symbols in byte order, as HF's ByteLevel BPE trainer seeds its alphabet.
  byteChars.forEach((c) => vocab.set(c, vocab.size));
  const merges: string[] = [];
  while (vocab.size < target) {
    const pairs = new Map<string, number>();
    for (const { symbols, count } of words) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = `${symbols[i]} ${symbols[i + 1]}`;
        pairs.set(key, (pairs.get(key) ?? 0) + count);
      }
    }
    let best = '';
    let bestCount = 0;
    for (const [key, count] of pairs) if (count > bestCount || (count === bestCount && key < best)) [best, bestCount] = [key, count];
    if (bestCount < minFrequency) break;
    const [left, right] = best.split(' ') as [string, string];
    const joined = left + right;
    merges.push(best);
    vocab.set(joined, vocab.size);
    for (const w of words) {
      const s = w.symbols;
      const out: string[] = [];
      for (let i = 0; i < s.length; i++) {
        if (i + 1 < s.length && s[i] === left && s[i + 1] === right) {
          out.push(joined);
          i++;
        } else out.push(s[i]!);
      }
      w.symbols = out;
    }
  }
  return { vocab, merges, added };
}

/** The text between occurrences of the added phrases (which the tokenizer never splits further). */
function withoutAdded(text: string, added: readonly string[]): string[] {
  return added.reduce<string[]>((parts, phrase) => parts.flatMap((p) => p.split(phrase)), [text]);
}

/** Special tokens, then added phrases, with their ids (after the learned vocabulary) and HF's flags. */
function addedTokenEntries(trained: TrainedTokenizer): Array<{ id: number; content: string; special: boolean }> {
  const n = trained.vocab.size;
  return [...SPECIAL_TOKENS.map((content, i) => ({ id: n + i, content, special: true })), ...trained.added.map((content, i) => ({ id: n + SPECIAL_TOKENS.length + i, content, special: false }))];
}

/** The HF `tokenizer.json` object for a trained tokenizer. */
export function tokenizerJson(trained: TrainedTokenizer): Record<string, unknown> {
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: addedTokenEntries(trained).map(({ id, content, special }) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special })),
    normalizer: { type: 'NFC' },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [{ type: 'Split', pattern: { Regex: QWEN2_SPLIT_PATTERN }, behavior: 'Isolated', invert: false }, { ...byteLevel }],
    },
    post_processor: { ...byteLevel },
    decoder: { ...byteLevel },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: Object.fromEntries(trained.vocab),
      merges: trained.merges,
    },
  };
}

/** tokenizer_config.json in Qwen2's style: ChatML template, `<|im_end|>` ends turns, `<|endoftext|>` pads. */
export function tokenizerConfig(trained: TrainedTokenizer, modelMaxLength: number): Record<string, unknown> {
  const decoder: Record<string, unknown> = {};
  for (const { id, content, special } of addedTokenEntries(trained)) decoder[String(id)] = { content, lstrip: false, normalized: false, rstrip: false, single_word: false, special };
  return {
    add_bos_token: false,
    add_prefix_space: false,
    added_tokens_decoder: decoder,
    additional_special_tokens: ['<|im_start|>', '<|im_end|>'],
    bos_token: null,
    chat_template: CHATML_TEMPLATE,
    clean_up_tokenization_spaces: false,
    eos_token: '<|im_end|>',
    errors: 'replace',
    model_max_length: modelMaxLength,
    pad_token: '<|endoftext|>',
    split_special_tokens: false,
    tokenizer_class: 'Qwen2Tokenizer',
    unk_token: null,
  };
}

/** Ids of the special tokens in a trained tokenizer. */
export function specialTokenIds(trained: TrainedTokenizer): { endOfText: number; imStart: number; imEnd: number; vocabSize: number } {
  const n = trained.vocab.size;
  return { endOfText: n, imStart: n + 1, imEnd: n + 2, vocabSize: n + SPECIAL_TOKENS.length + trained.added.length };
}

/** Writes tokenizer.json and tokenizer_config.json into `dir`. */
export function writeTokenizerFiles(dir: string, trained: TrainedTokenizer, modelMaxLength = 1024): void {
  writeJsonAtomic(join(dir, 'tokenizer.json'), tokenizerJson(trained));
  writeJsonAtomic(join(dir, 'tokenizer_config.json'), tokenizerConfig(trained, modelMaxLength));
}
