import type { DecoderConfig } from './config';

const f = Math.fround;

/**
 * Rotary inverse frequencies, computed as HF does in float32 (`1 / base ** (arange(0, d, 2) / d)`), then rescaled for
 * `linear` or `llama3` rope scaling. Math.fround at each step reproduces torch's f32 rounding.
 */
export function ropeInverseFrequencies(config: DecoderConfig): Float32Array {
  const d = config.headDim;
  const inv = new Float32Array(d / 2);
  for (let i = 0; i < d / 2; i++) inv[i] = f(1 / f(Math.pow(config.ropeTheta, f((2 * i) / d))));
  const s = config.ropeScaling;
  if (s.type === 'linear') for (let i = 0; i < inv.length; i++) inv[i] = f(inv[i]! / s.factor);
  if (s.type === 'llama3') {
    const lowWavelen = s.originalMaxPositionEmbeddings / s.lowFreqFactor;
    const highWavelen = s.originalMaxPositionEmbeddings / s.highFreqFactor;
    for (let i = 0; i < inv.length; i++) {
      const freq = inv[i]!;
      const wavelen = (2 * Math.PI) / freq;
      if (wavelen > lowWavelen) inv[i] = f(freq / s.factor);
      else if (wavelen >= highWavelen) {
        const smooth = (s.originalMaxPositionEmbeddings / wavelen - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor);
        inv[i] = f((1 - smooth) * (freq / s.factor) + smooth * freq);
      }
    }
  }
  return inv;
}

/**
 * cos and sin tables for the given positions, laid out [n, headDim] with the half-split convention
 * (`emb = cat(freqs, freqs)`) that HF's rotate_half expects.
 */
export function ropeTables(invFreq: Float32Array, positions: Int32Array): { cos: Float32Array; sin: Float32Array } {
  const half = invFreq.length;
  const d = half * 2;
  const cos = new Float32Array(positions.length * d);
  const sin = new Float32Array(positions.length * d);
  // Rows of a batch repeat the same positions: compute each position once and copy it.
  const first = new Map<number, number>();
  for (let p = 0; p < positions.length; p++) {
    const pos = positions[p]!;
    const seen = first.get(pos);
    if (seen !== undefined) {
      cos.copyWithin(p * d, seen * d, (seen + 1) * d);
      sin.copyWithin(p * d, seen * d, (seen + 1) * d);
      continue;
    }
    first.set(pos, p);
    for (let i = 0; i < half; i++) {
      const angle = f(pos * invFreq[i]!);
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      cos[p * d + i] = c;
      cos[p * d + half + i] = c;
      sin[p * d + i] = s;
      sin[p * d + half + i] = s;
    }
  }
  return { cos, sin };
}
