import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addTierLayers, missingLayerError, openTier, storedLayerNames, type BufferAllocator, type Tier } from './tier';

/** A loaded NARCBench activations folder (core/, transfer/, stego/) restricted to some layers. */
export interface NarcbenchData {
  dir: string;
  layers: number[];
  core: Tier;
  transfer: Tier;
  stego: Tier;
  /** Contents of SYNTHETIC.json when the folder was written by `impostor narcbench synth`; null for real data. */
  synthetic: Record<string, unknown> | null;
}

export const SYNTHETIC_MARKER = 'SYNTHETIC.json';

/** Loads the three tiers of an activations folder, validating each (see loadTier). */
/** `shared`: activations in SharedArrayBuffers (for the worker-thread probe runner). */
export function loadNarcbench(dir: string, layers: number[], opts: { shared?: boolean } = {}): NarcbenchData {
  const data = openNarcbench(dir, layers);
  for (const tier of tiersOf(data)) addTierLayers(tier, layers, opts);
  return data;
}

/** The three tiers' metadata, with no layer loaded yet (addNarcbenchLayer loads them one at a time). */
export function openNarcbench(dir: string, layers: number[]): NarcbenchData {
  const markerPath = join(dir, SYNTHETIC_MARKER);
  const synthetic = existsSync(markerPath) ? (JSON.parse(readFileSync(markerPath, 'utf8')) as Record<string, unknown>) : null;
  return { dir, layers, core: openTier(dir, 'core'), transfer: openTier(dir, 'transfer'), stego: openTier(dir, 'stego'), synthetic };
}

/**
 * Whether the layers of `data` can be read one at a time from their files' zip directories (uncompressed npz);
 * throws the missing-layer error up front, so that a bad --layers fails before any work.
 */
export function layersReadableOneByOne(data: NarcbenchData): boolean {
  for (const tier of tiersOf(data)) {
    const names = storedLayerNames(tier);
    if (!names) return false;
    for (const l of data.layers) if (!names.includes(`layer_${l}`)) throw missingLayerError(tier, l, names);
  }
  return true;
}

/** Reads one more layer of every tier (with loadTier's checks). */
export function addNarcbenchLayer(data: NarcbenchData, layer: number, opts: { shared?: boolean; alloc?: BufferAllocator } = {}): void {
  for (const tier of tiersOf(data)) addTierLayers(tier, [layer], opts);
}

function tiersOf(data: NarcbenchData): Tier[] {
  return [data.core, data.transfer, data.stego];
}
