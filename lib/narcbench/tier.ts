import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../common/errors';
import { readNpz } from '../tensor/npz';
import type { NdArray } from '../tensor/npy';
import { findMetadataFile, readMetadata, type MetaRow } from './metadata';

export type TierName = 'core' | 'transfer' | 'stego';

/** One benchmark tier folder: metadata rows aligned 1:1 with the rows of each `layer_<L>` array. */
export interface Tier {
  name: TierName;
  dir: string;
  metadataPath: string;
  npzPath: string;
  meta: MetaRow[];
  dim: number;
  /** Activations per loaded layer, row-major (rows = meta.length, cols = dim), float32 as extracted. */
  layers: Map<number, Float32Array | Float64Array>;
}

/**
 * Loads a tier and only the requested layers (a real release holds 64 layers; decompressing only the probe band
 * keeps memory bounded). Validates that every requested layer exists, that its row count equals the metadata
 * row count, and that it holds no NaN/Inf (a silently wrong number is worse than a stop).
 */
export function loadTier(root: string, name: TierName, layers: number[], opts: { shared?: boolean } = {}): Tier {
  const tier = openTier(root, name);
  addTierLayers(tier, layers, opts);
  return tier;
}

/** A tier's folder, metadata and npz path, with no layer loaded yet (addTierLayers loads them). */
export function openTier(root: string, name: TierName): Tier {
  const dir = join(root, name);
  if (!existsSync(dir)) throw new UserError(`${dir}: tier folder not found; --activations must hold core/, transfer/ and stego/ (see narcbench synth or fetch-data narcbench)`);
  const metadataPath = findMetadataFile(dir);
  if (!metadataPath) throw new UserError(`${dir}: no metadata_gen.json or metadata_gen.jsonl`);
  const npzPath = join(dir, 'activations_gen.npz');
  if (!existsSync(npzPath)) throw new UserError(`${npzPath}: file not found; each tier folder needs activations_gen.npz`);
  return { name, dir, metadataPath, npzPath, meta: readMetadata(metadataPath), dim: 0, layers: new Map() };
}

/**
 * The array names of an uncompressed .npz, from its zip directory alone (no array is read), or null where
 * readStoredLayers cannot read the file (the caller then loads it whole with loadTier).
 */
export function storedLayerNames(tier: Tier): string[] | null {
  const seen: string[] = [];
  return readStoredLayers(tier.npzPath, new Set(), false, seen) ? seen : null;
}

/** The error for a requested layer the npz lacks, naming the layers it has. */
export function missingLayerError(tier: Tier, layer: number, names: string[]): UserError {
  const have = names.filter((k) => k.startsWith('layer_')).map((k) => k.slice(6)).sort((a, b) => Number(a) - Number(b));
  return new UserError(`${tier.npzPath}: no array "layer_${layer}" (the file has layers ${have.join(', ') || 'none'}); choose --layers among those`);
}

/** Hands out a SharedArrayBuffer of exactly `bytes` bytes (its contents are overwritten). */
export type BufferAllocator = (bytes: number) => SharedArrayBuffer;

/**
 * Reads more layers into `tier.layers`, with loadTier's checks (the same width as the layers already loaded).
 * `alloc`: where shared arrays go (implies `shared`).
 */
export function addTierLayers(tier: Tier, layers: number[], opts: { shared?: boolean; alloc?: BufferAllocator } = {}): void {
  const { npzPath, metadataPath, meta } = tier;
  const wanted = new Set(layers.map((l) => `layer_${l}`));
  const seen: string[] = [];
  const arrays = readStoredLayers(npzPath, wanted, opts.alloc ?? opts.shared ?? false, seen) ?? readNpz(npzPath, (k) => {
    seen.push(k);
    return wanted.has(k);
  });
  let dim = tier.layers.size ? tier.dim : -1;
  for (const l of layers) {
    const arr = arrays.get(`layer_${l}`);
    if (!arr) throw missingLayerError(tier, l, seen);
    if (arr.shape.length !== 2) throw new UserError(`${npzPath}: layer_${l} has shape [${arr.shape}], expected (rows, hidden)`);
    if (!(arr.data instanceof Float32Array || arr.data instanceof Float64Array)) throw new UserError(`${npzPath}: layer_${l} has dtype ${arr.dtype}, expected float32`);
    const [rows, cols] = arr.shape as [number, number];
    if (rows !== meta.length) {
      throw new UserError(`${npzPath}: layer_${l} has ${rows} rows but ${metadataPath} has ${meta.length} rows; they must align 1:1 — the two files come from different extractions`);
    }
    if (dim >= 0 && cols !== dim) throw new UserError(`${npzPath}: layer_${l} has ${cols} columns, other layers have ${dim}`);
    dim = cols;
    checkFinite(arr.data, cols, meta, `${npzPath} layer_${l}`);
    tier.layers.set(l, arr.data);
  }
  tier.dim = Math.max(dim, 0);
}

function checkFinite(data: Float32Array | Float64Array, cols: number, meta: MetaRow[], where: string): void {
  // x·0 is 0 for every finite x and NaN for ±Inf/NaN, so one sum per row finds a bad row without a call per value
  // (this scans every loaded value before the probes start).
  const rows = cols > 0 ? data.length / cols : 0;
  for (let r = 0; r < rows; r++) {
    if (rowZeroSum(data, r * cols, cols) === 0) continue;
    for (let i = r * cols; i < (r + 1) * cols; i++) {
      if (!Number.isFinite(data[i]!)) {
        throw new UserError(`${where}: row ${r} (run_id ${meta[r]?.run_id}, agent ${meta[r]?.agent_name}) holds a non-finite value (${data[i]}) at column ${i % cols}; re-extract that sample or remove its run from both files`);
      }
    }
  }
}

/** Σ x·0 over data[off .. off + n): 0 if all are finite, NaN otherwise (four independent sums: no add chain). */
function rowZeroSum(data: Float32Array | Float64Array, off: number, n: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const end = off + n;
  let i = off;
  for (; i + 3 < end; i += 4) {
    s0 += data[i]! * 0;
    s1 += data[i + 1]! * 0;
    s2 += data[i + 2]! * 0;
    s3 += data[i + 3]! * 0;
  }
  for (; i < end; i++) s0 += data[i]! * 0;
  return s0 + s1 + s2 + s3;
}

/** Row r of a layer as float64. */
export function layerRow(tier: Tier, layer: number, r: number, out: Float64Array = new Float64Array(tier.dim)): Float64Array {
  const data = tier.layers.get(layer);
  if (!data) throw new Error(`layer ${layer} of ${tier.name} was not loaded`);
  const off = r * tier.dim;
  for (let j = 0; j < tier.dim; j++) out[j] = data[off + j]!;
  return out;
}

/**
 * Reads the wanted arrays of an UNCOMPRESSED (np.savez-style, stored) .npz straight from the file into their
 * typed arrays — only those entries' bytes, one copy, optionally into SharedArrayBuffers (for worker threads:
 * `alloc` true, or a function that hands out shared buffers of the asked size, e.g. recycled ones).
 * Returns null (the caller falls back to readNpz) for anything else: deflated entries, zip64, dtypes other than
 * little-endian float32/float64, Fortran order.
 */
export function readStoredLayers(path: string, wanted: Set<string>, alloc: BufferAllocator | boolean, seen: string[] = []): Map<string, NdArray> | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const size = fstatSync(fd).size;
    const tailLen = Math.min(size, 65557);
    const tail = Buffer.alloc(tailLen);
    readSync(fd, tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) if (tail.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
    if (eocd < 0) return null;
    const nEntries = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (nEntries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) return null;
    const cd = Buffer.alloc(cdSize);
    readSync(fd, cd, 0, cdSize, cdOffset);
    const entries: { name: string; method: number; size: number; local: number }[] = [];
    for (let p = 0, k = 0; k < nEntries; k++) {
      if (cd.readUInt32LE(p) !== 0x02014b50) return null;
      const method = cd.readUInt16LE(p + 10);
      const compSize = cd.readUInt32LE(p + 20);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      const local = cd.readUInt32LE(p + 42);
      const name = cd.toString('utf8', p + 46, p + 46 + nameLen).replace(/\.npy$/, '');
      if (compSize === 0xffffffff || local === 0xffffffff) return null;
      entries.push({ name, method, size: compSize, local });
      p += 46 + nameLen + extraLen + commentLen;
    }
    const out = new Map<string, NdArray>();
    for (const e of entries) {
      if (!wanted.has(e.name)) continue;
      if (e.method !== 0) return null;
      const lh = Buffer.alloc(30);
      readSync(fd, lh, 0, 30, e.local);
      if (lh.readUInt32LE(0) !== 0x04034b50) return null;
      const dataStart = e.local + 30 + lh.readUInt16LE(26) + lh.readUInt16LE(28);
      const head = Buffer.alloc(Math.min(e.size, 4096));
      readSync(fd, head, 0, head.length, dataStart);
      if (head.toString('latin1', 1, 6) !== 'NUMPY') return null;
      const major = head[6]!;
      const headerLen = major === 1 ? head.readUInt16LE(8) : head.readUInt32LE(8);
      const headerStart = major === 1 ? 10 : 12;
      if (headerStart + headerLen > head.length) return null;
      const header = head.toString('latin1', headerStart, headerStart + headerLen);
      const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
      const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
      if ((descr !== '<f4' && descr !== '<f8') || shapeText === undefined || /'fortran_order':\s*True/.test(header)) return null;
      const shape = shapeText.split(',').map((t) => t.trim()).filter(Boolean).map(Number);
      const count = shape.reduce((a, b) => a * b, 1);
      const bytesPer = descr === '<f4' ? 4 : 8;
      if (headerStart + headerLen + count * bytesPer > e.size) return null;
      const buf = typeof alloc === 'function' ? alloc(count * bytesPer) : alloc ? new SharedArrayBuffer(count * bytesPer) : new ArrayBuffer(count * bytesPer);
      const bytes = new Uint8Array(buf);
      const CHUNK = 1 << 26;
      for (let off = 0; off < bytes.length; off += CHUNK) {
        const len = Math.min(CHUNK, bytes.length - off);
        if (readSync(fd, bytes, off, len, dataStart + headerStart + headerLen + off) !== len) return null;
      }
      const data = bytesPer === 4 ? new Float32Array(buf) : new Float64Array(buf);
      out.set(e.name, { data, shape, dtype: bytesPer === 4 ? 'f4' : 'f8' } as NdArray);
    }
    for (const e of entries) seen.push(e.name);
    return out;
  } finally {
    closeSync(fd);
  }
}
