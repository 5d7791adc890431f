/**
 * The probe pipeline's WebAssembly SIMD kernels (probe-kernels.wat): the fused logistic-regression pass and A·Bᵀ
 * (Gram matrices, kernel PCA projections). The module is instantiated synchronously from committed bytes on first
 * use, once per thread (each worker has its own instance and memory), so it works the same under tsx, vitest and
 * tslab's CommonJS build.
 *
 * Memory discipline: the arrays a kernel works on live in the instance's memory, in a SCRATCH layout that one
 * caller takes at a time (takeScratch). A later takeScratch reuses the same bytes and invalidates earlier views;
 * `Scratch.check()` throws if a holder's layout was taken over, instead of letting it read someone else's data.
 */
import { PROBE_KERNELS_WASM_BASE64 } from './probe-kernels-wasm';

/** The slice of the WebAssembly JS API used here (the project's lib settings carry no DOM/WebAssembly types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface KernelExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  lr_pass(x: number, n: number, d: number, theta: number, grad: number, marg: number, resid: number): void;
  abt(a: number, na: number, b: number, nb: number, d: number, out: number, sym: number): void;
}

let exportsOnce: KernelExports | undefined;
/** What lr_pass's `residuals` import calls (set by the logistic pass for the duration of one call). */
let residualsHook: (i: number, count: number) => void = () => {
  throw new Error('probe kernels: lr_pass called without a residuals hook');
};

function kernels(): KernelExports {
  if (!exportsOnce) {
    const module = new wasmApi.Module(Buffer.from(PROBE_KERNELS_WASM_BASE64, 'base64'));
    const instance = new wasmApi.Instance(module, { env: { residuals: (i: number, count: number) => residualsHook(i, count) } });
    exportsOnce = instance.exports as unknown as KernelExports;
  }
  return exportsOnce;
}

/** Array kinds a scratch layout can hold. */
type Kind = 'f32' | 'f64';
type ViewOf<K extends Kind> = K extends 'f32' ? Float32Array : Float64Array;

export interface Scratch<K extends readonly Kind[]> {
  /** One view per requested array, in request order (valid while check() passes). */
  views: { [I in keyof K]: ViewOf<K[I]> };
  /** Byte offsets of the arrays in the kernels' memory (what the kernels take). */
  ptrs: number[];
  /** Throws if another caller has taken the scratch memory since. */
  check(): void;
}

let generation = 0;

/**
 * Lays out arrays of the given kinds and lengths (16-byte aligned) at the start of the kernels' memory, growing it
 * when needed. Contents are NOT cleared.
 */
export function takeScratch<const K extends readonly Kind[]>(kinds: K, lengths: { [I in keyof K]: number }): Scratch<K> {
  const k = kernels();
  const ptrs: number[] = [];
  let end = 0;
  kinds.forEach((kind, i) => {
    ptrs.push(end);
    end += Math.ceil(((lengths[i] as number) * (kind === 'f32' ? 4 : 8)) / 16) * 16;
  });
  const have = k.memory.buffer.byteLength;
  if (end > have) k.memory.grow(Math.ceil((end - have) / 65536));
  const buffer = k.memory.buffer;
  const views = kinds.map((kind, i) =>
    kind === 'f32' ? new Float32Array(buffer, ptrs[i], lengths[i] as number) : new Float64Array(buffer, ptrs[i], lengths[i] as number),
  ) as unknown as Scratch<K>['views'];
  const mine = ++generation;
  return {
    views,
    ptrs,
    check() {
      if (generation !== mine) throw new Error('probe kernels: scratch memory was taken over by another kernel call');
    },
  };
}

/**
 * One fused logistic-regression pass over X (float32, n × d, at xPtr): margins m = Xθ (θ at thetaPtr, d values;
 * the intercept is added by `residuals`), residuals rᵢ from `residuals(i, count)` (which reads margins from
 * margPtr and writes residuals to residPtr), and grad = Xᵀr at gradPtr.
 */
export function lrPass(xPtr: number, n: number, d: number, thetaPtr: number, gradPtr: number, margPtr: number, residPtr: number, residuals: (i: number, count: number) => void): void {
  residualsHook = residuals;
  try {
    kernels().lr_pass(xPtr, n, d, thetaPtr, gradPtr, margPtr, residPtr);
  } finally {
    residualsHook = () => {
      throw new Error('probe kernels: lr_pass called without a residuals hook');
    };
  }
}

/**
 * out = A·Bᵀ (na × nb) for float64 row-major A (na × d) and B (nb × d) already in scratch memory. `symmetric`
 * (A and B the same rows) computes the lower triangle and mirrors it.
 */
export function abtInScratch(aPtr: number, na: number, bPtr: number, nb: number, d: number, outPtr: number, out: Float64Array, symmetric: boolean): void {
  kernels().abt(aPtr, na, bPtr, nb, d, outPtr, symmetric ? 1 : 0);
  if (symmetric) for (let i = 0; i < na; i++) for (let j = 0; j < i; j++) out[j * na + i] = out[i * na + j]!;
}

/** A·Bᵀ for float64 row-major matrices in ordinary memory (copied into scratch; the result is a fresh array). */
export function abt(a: Float64Array, na: number, b: Float64Array | null, nb: number, d: number): Float64Array {
  const symmetric = b === null;
  const s = takeScratch(['f64', 'f64', 'f64'] as const, [na * d, symmetric ? 0 : nb * d, na * nb]);
  s.views[0].set(a);
  if (!symmetric) s.views[1].set(b);
  abtInScratch(s.ptrs[0]!, na, symmetric ? s.ptrs[0]! : s.ptrs[1]!, nb, d, s.ptrs[2]!, s.views[2], symmetric);
  return s.views[2].slice();
}
