import { readFileSync } from 'node:fs';
import { unzipSync, zipSync, type Unzipped } from 'fflate';
import { UserError } from '../common/errors';
import { writeFileAtomic } from '../common/atomic-write';
import { encodeNpy, parseNpy, type NdArray } from './npy';

/**
 * Reads an .npz (stored or deflated) and returns its arrays by name (without the ".npy" suffix).
 * `only` restricts decompression to the named keys, which keeps memory bounded on large activation files.
 */
export function readNpz(path: string, only?: (key: string) => boolean): Map<string, NdArray> {
  let files: Unzipped;
  try {
    const bytes = readFileSync(path);
    files = unzipSync(bytes, { filter: (f) => !only || only(f.name.replace(/\.npy$/, '')) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(`${path}: file not found`);
    throw new UserError(`${path}: not a readable .npz (${(err as Error).message}); the file may be truncated — re-download or re-extract it`);
  }
  const out = new Map<string, NdArray>();
  for (const [name, bytes] of Object.entries(files)) {
    out.set(name.replace(/\.npy$/, ''), parseNpy(bytes, `${path}[${name}]`));
  }
  return out;
}

/** Lists the array names in an .npz without decompressing them. */
export function npzKeys(path: string): string[] {
  const keys: string[] = [];
  readNpz(path, (k) => { keys.push(k); return false; });
  return keys;
}

/** Writes arrays as an .npz that numpy.load reads; atomically. */
export function writeNpz(path: string, arrays: Record<string, { data: NdArray['data']; shape: number[] }>, compress = false): void {
  const entries: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(arrays)) entries[`${k}.npy`] = encodeNpy(v.data, v.shape);
  // A fixed entry time (the zip format's earliest, in local time as fflate reads it) keeps equal arrays byte-identical
  // across runs, so regenerated data shows no diff unless its numbers changed.
  writeFileAtomic(path, zipSync(entries, { level: compress ? 6 : 0, mtime: new Date(1980, 0, 1) }));
}
