import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NdArray } from '../../lib/tensor/npy';

/** The parity fixture's inputs.json (see ../shared/fixtures/runtime/README.md). */
export interface RuntimeInputs {
  forward: { input_ids: number[][]; attention_mask: number[][] };
  steer: { layer: number; coeff: number };
  chat: { conversations: { role: string; content: string }[][]; rendered: string[]; input_ids: number[][]; generation: { max_new_tokens: number } };
}

export function readInputs(dir: string): RuntimeInputs {
  return JSON.parse(readFileSync(join(dir, 'inputs.json'), 'utf8')) as RuntimeInputs;
}

/** max|a−b| / max|b| over the non-padded positions of [B,T,W] arrays (the fixture's tolerance measure). */
export function maskedRelativeError(a: ArrayLike<number>, b: ArrayLike<number>, mask: number[][]): number {
  const B = mask.length;
  const T = mask[0]!.length;
  const W = b.length / (B * T);
  let diff = 0;
  let scale = 0;
  for (let r = 0; r < B; r++) {
    for (let t = 0; t < T; t++) {
      if (!mask[r]![t]) continue;
      for (let w = 0; w < W; w++) {
        const i = (r * T + t) * W + w;
        diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
        scale = Math.max(scale, Math.abs(b[i]!));
      }
    }
  }
  return diff / scale;
}

/** A reference.npz generation array (int64 [B, T]) as one list of token ids per row. */
export function referenceTokenRows(ref: Map<string, NdArray>, key: string): number[][] {
  const expected = ref.get(key)!;
  const [rows, cols] = [expected.shape[0]!, expected.shape[1]!];
  return Array.from({ length: rows }, (_, r) => Array.from((expected.data as BigInt64Array).slice(r * cols, (r + 1) * cols), Number));
}
