import * as tf from '@tensorflow/tfjs-core';
import { resolve } from 'node:path';
import { UserError } from '../common/errors';
import { initEngine } from '../tensor/engine';
import { readTensorF32 } from '../tensor/safetensors';
import { indexCheckpoint } from './checkpoint-files';
import { readDecoderConfig, type DecoderConfig } from './config';
import { DecoderModel } from './decoder';
import { parameterSpecs } from './parameters';
import { loadTokenizer, type ModelTokenizer } from './tokenizer';

/** A checkpoint folder loaded for use: weights on the active backend, tokenizer and chat template. */
export interface LoadedModel {
  dir: string;
  /** Short name (folder basename) used by the server and reports. */
  name: string;
  config: DecoderConfig;
  model: DecoderModel;
  tokenizer: ModelTokenizer;
}

export interface LoadOptions {
  backend?: string;
  /**
   * Matrices above this many bytes are kept as row blocks of at most this size (default: 1 GiB on webgpu, whose
   * storage bindings stop at 2 GiB; unlimited elsewhere).
   */
  maxTensorBytes?: number;
}

/**
 * Loads a Hugging Face checkpoint folder. Every expected tensor is checked by name and shape before use; tensors are
 * read one at a time from their shard and uploaded, so host memory holds at most one tensor beyond the model.
 */
export async function loadModel(dir: string, options: LoadOptions = {}): Promise<LoadedModel> {
  const abs = resolve(dir);
  const config = readDecoderConfig(abs);
  const tokenizer = loadTokenizer(abs, config);
  await initEngine(options.backend);
  const index = indexCheckpoint(abs);
  const specs = parameterSpecs(config);
  for (const spec of specs) {
    const loc = index.get(spec.name);
    if (!loc) throw new UserError(`${abs}: tensor "${spec.name}" is missing from the checkpoint (config.json says model_type ${config.architecture}, ${config.numLayers} layers${config.tieWordEmbeddings ? '' : ', untied lm_head'})`);
    if (loc.entry.shape.join(',') !== spec.shape.join(',')) {
      throw new UserError(`${loc.file}: tensor "${spec.name}" has shape [${loc.entry.shape}] but config.json implies [${spec.shape}]`);
    }
  }
  const limit = options.maxTensorBytes ?? (tf.getBackend() === 'webgpu' ? 2 ** 30 : Infinity);
  const params = new Map<string, tf.Tensor>();
  const rowBlocks = new Map<string, tf.Tensor2D[]>();
  try {
    for (const spec of specs) {
      const loc = index.get(spec.name)!;
      const data = readTensorF32(loc.file, loc.entry);
      if (spec.shape.length === 2 && data.byteLength > limit) rowBlocks.set(spec.name, splitRows(data, spec.shape as [number, number], limit).map(uploadNow));
      else params.set(spec.name, uploadNow(tf.tensor(data, spec.shape, 'float32')));
    }
  } catch (err) {
    for (const t of params.values()) t.dispose();
    for (const blocks of rowBlocks.values()) tf.dispose(blocks);
    throw err;
  }
  return { dir: abs, name: abs.split('/').filter(Boolean).pop() ?? abs, config, model: new DecoderModel(config, params, rowBlocks), tokenizer };
}

/**
 * tfjs-webgpu keeps a new tensor's values on the host until its first use, so a loaded 7B model would sit in host
 * memory in full before the first forward; uploading each weight as it is read keeps one tensor on the host at a time.
 */
function uploadNow<T extends tf.Tensor>(t: T): T {
  if (tf.getBackend() === 'webgpu') (tf.backend() as unknown as { uploadToGPU(dataId: object): void }).uploadToGPU(t.dataId);
  return t;
}

function splitRows(data: Float32Array, [rows, cols]: [number, number], maxBytes: number): tf.Tensor2D[] {
  const perBlock = Math.max(1, Math.floor(maxBytes / (cols * 4)));
  const blocks: tf.Tensor2D[] = [];
  for (let r = 0; r < rows; r += perBlock) {
    const n = Math.min(perBlock, rows - r);
    blocks.push(tf.tensor2d(data.subarray(r * cols, (r + n) * cols), [n, cols]));
  }
  return blocks;
}

/** Frees a model's weights. */
export function disposeModel(m: LoadedModel): void {
  for (const t of m.model.params.values()) t.dispose();
  for (const blocks of m.model.rowBlocks.values()) tf.dispose(blocks);
}
