import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * ORGANISM.json marks a NARCBench-format dataset that `impostor organisms narcbench` produced from the NARCBench
 * agent organism (as SYNTHETIC.json marks a synthesised one): readers label it "organism (nano)", never "real data".
 */
export const ORGANISM_MARKER = 'ORGANISM.json';
export const ORGANISM_DATA_LABEL = 'organism (nano)';
/** Where `impostor organisms narcbench` writes the dataset by default (committed). */
export const ORGANISM_DATASET = 'data/organisms-narcbench';

export interface OrganismMarker {
  organism: string;
  model_short: string;
  label: string;
  regenerate: string;
  [key: string]: unknown;
}

/** The marker of a dataset root, or null when it is not organism data. */
export function readOrganismMarker(root: string): OrganismMarker | null {
  const path = join(root, ORGANISM_MARKER);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as OrganismMarker) : null;
}
