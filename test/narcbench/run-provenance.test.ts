import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkpointSha256 } from '../../lib/narcbench/scenarios/run-provenance';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('checkpoint identity of a runs folder', () => {
  it('hashes a single model.safetensors as itself and HF shards in name order, ignoring the other files', () => {
    const single = mkdtempSync(join(tmpdir(), 'ckpt-1-'));
    writeFileSync(join(single, 'model.safetensors'), 'weights');
    writeFileSync(join(single, 'config.json'), '{}');
    expect(checkpointSha256(single)).toBe(sha(Buffer.from('weights')));
    const sharded = mkdtempSync(join(tmpdir(), 'ckpt-2-'));
    writeFileSync(join(sharded, 'model-00002-of-00002.safetensors'), 'second');
    writeFileSync(join(sharded, 'model-00001-of-00002.safetensors'), 'first');
    writeFileSync(join(sharded, 'model.safetensors.index.json'), '{}');
    expect(checkpointSha256(sharded)).toBe(sha(Buffer.from('firstsecond')));
  });
});
