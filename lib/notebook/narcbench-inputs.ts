import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { rangeListFlag } from '../cli/options';
import { UserError } from '../common/errors';
import { narcbenchActivationsDir } from '../fetch/narcbench';
import type { Provenance } from '../figures/provenance';
import { loadNarcbench, SYNTHETIC_MARKER, type NarcbenchData } from '../narcbench/dataset';
import { generateSynthetic } from '../narcbench/synth/generate';
import { ORGANISM_DATA_LABEL, ORGANISM_DATASET, readOrganismMarker } from '../organisms/narcbench/marker';
import { repoRoot } from '../common/paths';
import { displayPath, recordModel, recordSource } from './context';

/** Display names of the models NARCBench released or evaluated (the activations folder uses the short name). */
export const MODEL_NAMES: Record<string, string> = {
  qwen3_32b: 'Qwen3-32B',
  llama_3_1_70b: 'Llama-3.1-70B',
  deepseek_r1_32b: 'DeepSeek-R1-Distill-Qwen-32B',
  gpt_oss_20b: 'GPT-OSS-20B',
};

/** The seed `impostor narcbench synth` uses by default, so the notebooks' synthetic dataset is the CLI's. */
const SYNTH_SEED = 20260401;

export interface NarcbenchParams {
  /** Dataset root: a synthetic dataset (core/, transfer/, stego/, raw/stego/) or the hub layout fetch-data writes. */
  data: string;
  /** Short model name of the activations folder, e.g. qwen3_32b. */
  model: string;
  /** Layer band, e.g. "26-30" (Qwen3-32B in the paper) or "0-2" (the synthetic nano dataset). */
  layers: string;
  /** Synthesise the nano dataset at `data` when it does not exist yet (the offline default). */
  synthesize: boolean;
}

export interface NarcbenchInputs extends NarcbenchDataset {
  data: NarcbenchData;
  layers: number[];
  provenance: Provenance;
}

export interface NarcbenchDataset {
  root: string;
  activationsDir: string;
  /** Raw Stego runs (run_config.json per run) for Tables 3 and 10, when present. */
  rawStegoDir?: string;
  /** True when `impostor narcbench synth` wrote it (its SYNTHETIC.json marker), never guessed from the path. */
  synthetic: boolean;
  /** "Qwen3-32B", or a note that the activations are synthetic. */
  modelLabel: string;
  /** "organism (nano)" for the NARCBench agent organism's dataset (its ORGANISM.json marker). */
  dataLabel?: string;
}

/** Finds (and, on the offline default, first synthesises) the dataset and records its model for the manifest. */
export function ensureNarcbenchDataset(params: Omit<NarcbenchParams, 'layers'>): NarcbenchDataset {
  if (!existsSync(params.data)) {
    if (resolve(params.data) === resolve(repoRoot, ORGANISM_DATASET)) {
      throw new UserError(`${params.data}: the NARCBench agent organism's dataset is missing; regenerate it with "impostor organisms narcbench --to ${ORGANISM_DATASET}" (or pass --param data=data/synthetic/narcbench --param model=qwen3_32b --param layers=0-2)`);
    }
    if (!params.synthesize) {
      throw new UserError(`${params.data}: dataset not found. Fetch the real one with "impostor fetch-data narcbench --to ${params.data}", or run with the nano profile (synthetic data)`);
    }
    console.log(`${params.data} does not exist: synthesising the nano NARCBench-format dataset there (impostor narcbench synth --out ${params.data} --seed ${SYNTH_SEED})`);
    generateSynthetic({ out: params.data, seed: SYNTH_SEED, scale: 'nano', quiet: true });
  }
  const activationsDir = narcbenchActivationsDir(params.data, params.model);
  const synthetic = [params.data, activationsDir].some((d) => existsSync(join(d, SYNTHETIC_MARKER)));
  const rawStegoDir = [join(params.data, 'raw', 'stego'), join(params.data, 'scenarios', 'stego')].find((d) => existsSync(d));
  const organism = synthetic ? null : readOrganismMarker(params.data);
  const modelName = MODEL_NAMES[params.model] ?? params.model;
  const modelLabel = synthetic ? 'no model (synthetic activations)' : organism ? `${organism.organism} ${ORGANISM_DATA_LABEL}` : modelName;
  recordModel(synthetic
    ? { name: 'none: synthetic activations', role: `stand-in for ${modelName} activations`, synthetic: true }
    : organism
      ? { name: modelLabel, role: `the NARCBench agent organism trained by the workbench played the real engines through impostor serve; activations extracted from it (${organism.regenerate})` }
      : { name: modelName, role: 'activations were extracted from it (released NARCBench activations)' });
  return { root: params.data, activationsDir, rawStegoDir, synthetic, modelLabel, dataLabel: organism ? ORGANISM_DATA_LABEL : undefined };
}

/** Loads the activations of the layer band a notebook works on and records them as its data source. */
export function prepareNarcbench(params: NarcbenchParams): NarcbenchInputs {
  const dataset = ensureNarcbenchDataset(params);
  const layers = rangeListFlag('layers parameter').parse(params.layers);
  const data = loadNarcbench(dataset.activationsDir, layers);
  recordSource({
    kind: 'data',
    path: dataset.activationsDir,
    synthetic: dataset.synthetic,
    description: dataset.synthetic
      ? 'synthetic NARCBench-format activations (impostor narcbench synth; planted signal, no model)'
      : dataset.dataLabel
        ? `NARCBench activations of the ${dataset.modelLabel}, layers ${params.layers} (real runs of the workbench's own small model, not the paper's)`
        : `NARCBench activations of ${params.model}, layers ${params.layers}`,
  });
  return {
    ...dataset,
    data,
    layers,
    provenance: { models: [dataset.modelLabel], data: [`${displayPath(dataset.activationsDir)} (layers ${params.layers})`], synthetic: dataset.synthetic, dataLabel: dataset.dataLabel },
  };
}

/** Records the raw Stego runs as a data source (Tables 3 and 10) and returns the folder. */
export function useRawStego(inputs: NarcbenchDataset): string {
  if (!inputs.rawStegoDir) throw new UserError(`no raw Stego runs next to ${inputs.activationsDir}: expected raw/stego/ (synthetic) or scenarios/stego/ (hub layout) under the data folder`);
  recordSource({ kind: 'data', path: inputs.rawStegoDir, synthetic: inputs.synthetic, description: 'raw Stego runs (run_config.json)' });
  return inputs.rawStegoDir;
}
