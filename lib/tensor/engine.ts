import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../common/errors';
import { installWasmXnnpackMatMul } from './wasm-xnnpack-matmul';

/** The tfjs backends the runtime can run on. `wasm` is the CPU default (≈20 GFLOP/s), `cpu` is pure JS (≈40× slower). */
export type BackendName = 'wasm' | 'webgpu' | 'cpu';
export const BACKENDS: readonly BackendName[] = ['wasm', 'webgpu', 'cpu'];

let active: Promise<typeof tf> | undefined;
let activeName: BackendName | undefined;

/** Picks the backend: explicit option, else IMPOSTOR_BACKEND, else wasm. */
export function resolveBackendName(requested?: string): BackendName {
  const name = requested ?? process.env.IMPOSTOR_BACKEND ?? 'wasm';
  if (!(BACKENDS as readonly string[]).includes(name)) {
    const where = requested ? '--backend' : 'IMPOSTOR_BACKEND';
    throw new UserError(`${where}: unknown backend "${name}"; use one of ${BACKENDS.join(', ')}`);
  }
  return name as BackendName;
}

/**
 * Initialises tfjs on one backend, once per process (the wasm module and GPU device are reused by every model).
 * Asking for a different backend later is an error, because tensors cannot move between backends implicitly.
 */
export function initEngine(requested?: string): Promise<typeof tf> {
  const name = resolveBackendName(requested);
  if (active) {
    if (name !== activeName) return Promise.reject(new UserError(`backend "${activeName}" is already active in this process; cannot switch to "${name}"`));
    return active;
  }
  activeName = name;
  active = setUp(name).catch((err) => {
    active = undefined;
    activeName = undefined;
    throw err;
  });
  return active;
}

/** The backend now in use, if the engine was initialised. */
export function activeBackend(): BackendName | undefined {
  return activeName;
}

async function setUp(name: BackendName): Promise<typeof tf> {
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // Under a bundler the CommonJS package may arrive as the namespace's default export.
    const setWasmPaths = wasm.setWasmPaths ?? (wasm as unknown as { default: typeof wasm }).default.setWasmPaths;
    setWasmPaths(wasmDistDir() + '/');
  } else if (name === 'webgpu') {
    await installNodeWebGpu();
    await import('@tensorflow/tfjs-backend-webgpu');
  } else {
    await import('@tensorflow/tfjs-backend-cpu');
  }
  const ok = await tf.setBackend(name);
  if (!ok) {
    const hint = name === 'webgpu' ? ' (no WebGPU adapter: needs a GPU with a Vulkan driver; set VK_DRIVER_FILES to its ICD json, or use --backend wasm)' : '';
    throw new UserError(`could not initialise the tfjs "${name}" backend${hint}`);
  }
  await tf.ready();
  if (name === 'wasm') installWasmXnnpackMatMul();
  return tf;
}

/**
 * Where the backend's .wasm binaries live: IMPOSTOR_WASM_DIR, else the installed package, else a `wasm/` folder beside
 * the running file (the layout of the `npm run bundle:gpu` build, which ships no node_modules for tfjs).
 */
function wasmDistDir(): string {
  if (process.env.IMPOSTOR_WASM_DIR) return process.env.IMPOSTOR_WASM_DIR;
  // In the bundle this code sits in impostor.mjs's folder or in its chunks/ subfolder.
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [here, dirname(here)]) if (existsSync(join(dir, 'wasm', 'tfjs-backend-wasm.wasm'))) return join(dir, 'wasm');
  // Not named `require`: tslab compiles notebooks to CommonJS, where import.meta.url becomes a require() call that a local
  // `const require` would shadow (TDZ error: "Cannot access 'require' before initialization").
  const requireHere = createRequire(import.meta.url);
  return join(dirname(requireHere.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
}

/** Exposes Dawn's WebGPU implementation (the `webgpu` npm package) as `navigator.gpu`, which tfjs-backend-webgpu expects. */
async function installNodeWebGpu(): Promise<void> {
  const g = globalThis as Record<string, unknown>;
  if ((g.navigator as { gpu?: unknown } | undefined)?.gpu) return;
  const webgpu = (await import('webgpu')) as unknown as { create: (flags: string[]) => unknown; globals: Record<string, unknown> };
  Object.assign(globalThis, webgpu.globals);
  Object.defineProperty(globalThis, 'navigator', { value: { gpu: webgpu.create([]) }, configurable: true, writable: true });
}
