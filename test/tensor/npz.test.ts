import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNpz, writeNpz } from '../../lib/tensor/npz';

describe('npz', () => {
  it('round-trips arrays and writes equal arrays as identical bytes at any time (regenerated data diffs only on change)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'npz-'));
    const arrays = { layer_0: { data: new Float32Array([1, -2.5, 3, 4, 5, 6]), shape: [2, 3] } };
    writeNpz(join(dir, 'a.npz'), arrays, true);
    await new Promise((r) => setTimeout(r, 2100)); // zip times have a 2-second resolution
    writeNpz(join(dir, 'b.npz'), arrays, true);
    expect(readFileSync(join(dir, 'a.npz')).equals(readFileSync(join(dir, 'b.npz')))).toBe(true);
    const back = readNpz(join(dir, 'a.npz')).get('layer_0')!;
    expect(back.shape).toEqual([2, 3]);
    expect(back.data).toEqual(new Float32Array([1, -2.5, 3, 4, 5, 6]));
  });
});
