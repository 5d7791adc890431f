/**
 * The MLP variant's WebAssembly SIMD kernels (mlp-kernels.wat): one minibatch's forward pass, backward pass and Adam
 * step. The module is instantiated synchronously from committed bytes on first use, once per thread, with a memory of
 * its own, so an MLP fit never shares scratch bytes with the main pipeline's kernels (wasm-kernels.ts).
 *
 * One fit at a time per thread: `mlpWorkspace` lays out the fit's arrays at the start of the memory and returns their
 * views and byte offsets; the next call reuses the same bytes (views of an earlier layout must not be used then).
 */
import { MLP_KERNELS_WASM_BASE64 } from './mlp-kernels-wasm';
import { alignedLayout, growMemoryTo, wasmApi } from './wasm-api';

export interface MlpKernelExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  mlp_forward(x: number, idx: number, b: number, d: number, h: number, w1: number, b1: number, w2: number, b2: number, xb: number, hid: number, z: number): void;
  mlp_backward(b: number, d: number, h: number, alpha: number, w1: number, w2: number, xb: number, hid: number, d2: number, gw1: number, gw2: number, gb1: number, gb2: number): void;
  adam(w: number, g: number, m: number, v: number, len: number, lr: number, beta1: number, beta2: number, eps: number): void;
  sum_squares(a: number, len: number): number;
}

let exportsOnce: MlpKernelExports | undefined;

export function mlpKernels(): MlpKernelExports {
  if (!exportsOnce) {
    const module = new wasmApi.Module(Buffer.from(MLP_KERNELS_WASM_BASE64, 'base64'));
    exportsOnce = new wasmApi.Instance(module, {}).exports as unknown as MlpKernelExports;
  }
  return exportsOnce;
}

/** A workspace layout: array name → [kind, length]. */
type Spec = Record<string, readonly ['f64' | 'i32', number]>;
type ViewOf<K> = K extends 'i32' ? Int32Array : Float64Array;

/** Lays out the named arrays (16-byte aligned, in spec order) at the start of the MLP memory, growing it if needed. */
export function mlpWorkspace<const S extends Spec>(spec: S): { view: { [N in keyof S]: ViewOf<S[N][0]> }; ptr: { [N in keyof S]: number } } {
  const k = mlpKernels();
  const names = Object.keys(spec);
  const { offsets, end } = alignedLayout(names.map((name) => spec[name]![1] * (spec[name]![0] === 'i32' ? 4 : 8)), 0);
  growMemoryTo(k.memory, end);
  const buffer = k.memory.buffer;
  const view: Record<string, Int32Array | Float64Array> = {};
  const ptr: Record<string, number> = {};
  names.forEach((name, i) => {
    const [kind, length] = spec[name]!;
    view[name] = kind === 'i32' ? new Int32Array(buffer, offsets[i], length) : new Float64Array(buffer, offsets[i], length);
    ptr[name] = offsets[i]!;
  });
  return { view: view as { [N in keyof S]: ViewOf<S[N][0]> }, ptr: ptr as { [N in keyof S]: number } };
}
