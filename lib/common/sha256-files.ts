import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

/**
 * The sha256 of the files' bytes read in order (one file: its own sha256), in 16 MB chunks so that multi-GB
 * checkpoint shards hash without being loaded whole.
 */
export function sha256OfFiles(paths: readonly string[]): string {
  const hash = createHash('sha256');
  const chunk = Buffer.allocUnsafe(16 << 20);
  for (const path of paths) {
    const fd = openSync(path, 'r');
    try {
      for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) hash.update(chunk.subarray(0, n));
    } finally {
      closeSync(fd);
    }
  }
  return hash.digest('hex');
}
