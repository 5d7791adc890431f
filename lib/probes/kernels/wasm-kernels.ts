/**
 * The probe pipeline's WebAssembly SIMD kernels (probe-kernels.wat): the fused logistic-regression pass, A·Bᵀ
 * (Gram matrices, kernel PCA projections), column statistics, standardisation and centring. The module is
 * instantiated synchronously from committed bytes on first use, once per thread (each worker has its own instance
 * and memory), so it works the same under tsx, vitest and tslab's CommonJS build.
 *
 * Memory discipline: the arrays a kernel works on live in the instance's memory, in a SCRATCH layout that one
 * caller takes at a time (takeScratch). A later takeScratch reuses the same bytes and invalidates earlier views;
 * `Scratch.check()` throws if a holder's layout was taken over, instead of letting it read someone else's data.
 */
import { PROBE_KERNELS_WASM_BASE64 } from './probe-kernels-wasm';
import { alignedLayout, growMemoryTo, wasmApi } from './wasm-api';

export interface KernelExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  lr_pass(x: number, n: number, d: number, theta: number, grad: number, marg: number, resid: number): void;
  abt(a: number, na: number, b: number, nb: number, d: number, out: number, sym: number): void;
  col_sum_f32(x: number, n: number, d: number, sum: number): void;
  col_centred_sq_f32(x: number, n: number, d: number, mean: number, sq: number, corr: number): void;
  standardise_f32(x: number, n: number, d: number, mean: number, scale: number): void;
  centre_f64(x: number, n: number, d: number, mean: number): void;
  dot(a: number, b: number, len: number): number;
  axpy(alpha: number, x: number, y: number, len: number): void;
  scal(alpha: number, y: number, len: number): void;
  project_standardise(x: number, n: number, d: number, w: number, mean: number, scale: number, z: number, proj: number): void;
}

const noResidualsHook = (): void => {
  throw new Error('probe kernels: lr_pass called without a residuals hook');
};
/** What lr_pass's `residuals` import calls (set by lrPass for the duration of one call). */
let residualsHook: (i: number, count: number) => void = noResidualsHook;

let compiled: object | undefined;

/** A new instance of the kernels, with a memory of its own. */
function instantiate(): KernelExports {
  compiled ??= new wasmApi.Module(Buffer.from(PROBE_KERNELS_WASM_BASE64, 'base64'));
  const instance = new wasmApi.Instance(compiled, { env: { residuals: (i: number, count: number) => residualsHook(i, count) } });
  return instance.exports as unknown as KernelExports;
}

/** Array kinds a scratch layout can hold. */
type Kind = 'f32' | 'f64';
type ViewOf<K extends Kind> = K extends 'f32' ? Float32Array : Float64Array;
/** A scratch layout: array name → [kind, length]. */
export type ScratchSpec = Record<string, readonly [Kind, number]>;

export interface Scratch<S extends ScratchSpec> {
  /** One view per array (valid while check() passes). */
  view: { [N in keyof S]: ViewOf<S[N][0]> };
  /** Byte offsets of the arrays in the kernels' memory (what the kernels take). */
  ptr: { [N in keyof S]: number };
  /** Throws if another caller has taken the scratch memory since. */
  check(): void;
  /** Whether no other caller has taken the memory since. */
  current(): boolean;
  /** The holder no longer needs its arrays: the next take() skips its onEvict. */
  release(): void;
}

/**
 * A kernel instance with a memory of its own, lent to one holder at a time. The default arena is the scratch that
 * every kernel call shares (takeScratch). A model that keeps arrays in kernel memory from one call to the next (the
 * PCA's centred training rows, pca.ts) uses an arena of its own, so that other kernel calls cannot overwrite them,
 * and passes `onEvict` to copy out what it still needs before a later holder takes the memory.
 */
export interface KernelArena {
  /**
   * Lays out the named arrays (16-byte aligned, in spec order) from the start of the arena's memory, growing it
   * when needed, after calling the previous holder's onEvict (unless it was released). Contents are NOT cleared.
   */
  take<const S extends ScratchSpec>(spec: S, onEvict?: () => void): Scratch<S>;
  /**
   * `holder`'s layout with more arrays after it (the holder's arrays keep their offsets and contents; the holder
   * stays current), or null when another holder has taken the arena since. The added arrays are valid until the next
   * take() or extend().
   */
  extend<const H extends ScratchSpec, const S extends ScratchSpec>(holder: Scratch<H>, spec: S): Scratch<H & S> | null;
  /** The kernels, bound to this arena's memory. */
  readonly kernels: KernelExports;
}

type Views = Record<string, Float32Array | Float64Array>;

/** A new arena (its kernel instance is created on first use; each thread has its own). */
export function createArena(): KernelArena {
  let exports: KernelExports | undefined;
  let generation = 0;
  let onEvictCurrent: (() => void) | undefined;
  const kernelsOf = () => (exports ??= instantiate());
  // The spec's arrays from byte `start` on, valid while the arena's generation is `mine`; `view`/`ptr` (a holder's
  // arrays before `start`) are re-viewed if the memory grows.
  const layout = (spec: ScratchSpec, start: number, view: Views, ptr: Record<string, number>, mine: number) => {
    const k = kernelsOf();
    const names = Object.keys(spec);
    const { offsets, end } = alignedLayout(names.map((name) => spec[name]![1] * (spec[name]![0] === 'f32' ? 4 : 8)), start);
    growMemoryTo(k.memory, end);
    const buffer = k.memory.buffer;
    // Views of `view` (an extended holder's own) are refreshed in place: growing detached them.
    for (const name of Object.keys(view)) {
      const old = view[name]!;
      if (old.buffer !== buffer) view[name] = old instanceof Float32Array ? new Float32Array(buffer, ptr[name]!, old.length) : new Float64Array(buffer, ptr[name]!, old.length);
    }
    const added: Views = {};
    const addedPtr: Record<string, number> = {};
    names.forEach((name, i) => {
      const [kind, length] = spec[name]!;
      added[name] = kind === 'f32' ? new Float32Array(buffer, offsets[i], length) : new Float64Array(buffer, offsets[i], length);
      addedPtr[name] = offsets[i]!;
    });
    return {
      view: added, ptr: addedPtr, end,
      check() {
        if (generation !== mine) throw new Error('probe kernels: scratch memory was taken over by another kernel call');
      },
      current: () => generation === mine,
      release() {
        if (generation === mine) onEvictCurrent = undefined;
      },
    };
  };
  return {
    get kernels() {
      return kernelsOf();
    },
    take(spec, onEvict) {
      const previous = onEvictCurrent;
      onEvictCurrent = undefined;
      previous?.();
      const holder = layout(spec, 0, {}, {}, ++generation);
      onEvictCurrent = onEvict;
      return holder as never;
    },
    extend(holder, spec) {
      if (!holder.current()) return null;
      const h = holder as unknown as { view: Views; ptr: Record<string, number>; end: number };
      const extended = layout(spec, h.end, h.view, h.ptr, generation);
      return { ...extended, view: { ...h.view, ...extended.view }, ptr: { ...h.ptr, ...extended.ptr } } as never;
    },
  };
}

/** The scratch every kernel call shares (see the module comment). */
const sharedArena = createArena();

function kernels(): KernelExports {
  return sharedArena.kernels;
}

/**
 * Lays out the named arrays (16-byte aligned, in spec order) at the start of the shared scratch memory, growing it
 * when needed. Contents are NOT cleared.
 */
export function takeScratch<const S extends ScratchSpec>(spec: S): Scratch<S> {
  return sharedArena.take(spec);
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
    residualsHook = noResidualsHook;
  }
}

/**
 * out = A·Bᵀ (na × nb) for float64 row-major A (na × d) and B (nb × d) already in scratch memory. `symmetric`
 * (A and B the same rows) computes the lower triangle and mirrors it.
 */
export function abtInScratch(aPtr: number, na: number, bPtr: number, nb: number, d: number, outPtr: number, out: Float64Array, symmetric: boolean, arena: KernelArena = sharedArena): void {
  arena.kernels.abt(aPtr, na, bPtr, nb, d, outPtr, symmetric ? 1 : 0);
  if (symmetric) for (let i = 0; i < na; i++) for (let j = 0; j < i; j++) out[j * na + i] = out[i * na + j]!;
}

/** A·Bᵀ for float64 row-major matrices in ordinary memory (copied into scratch; the result is a fresh array). */
export function abt(a: Float64Array, na: number, b: Float64Array, nb: number, d: number): Float64Array {
  const s = takeScratch({ a: ['f64', na * d], b: ['f64', nb * d], out: ['f64', na * nb] });
  s.view.a.set(a);
  s.view.b.set(b);
  abtInScratch(s.ptr.a, na, s.ptr.b, nb, d, s.ptr.out, s.view.out, false);
  return s.view.out.slice();
}

/** sum[j] = Σᵢ x[i][j] over float32 rows (n × d) in scratch, each column summed in row order. */
export function colSumF32(xPtr: number, n: number, d: number, sumPtr: number): void {
  kernels().col_sum_f32(xPtr, n, d, sumPtr);
}

/** With t = x[i][j] − mean[j]: corr[j] = Σᵢ t, sq[j] = Σᵢ t² (float32 rows in scratch; row order). */
export function colCentredSqF32(xPtr: number, n: number, d: number, meanPtr: number, sqPtr: number, corrPtr: number): void {
  kernels().col_centred_sq_f32(xPtr, n, d, meanPtr, sqPtr, corrPtr);
}

/** x[i][j] ← float32((x[i][j] − mean[j]) / scale[j]) in place (float32 rows in scratch). */
export function standardiseF32(xPtr: number, n: number, d: number, meanPtr: number, scalePtr: number): void {
  kernels().standardise_f32(xPtr, n, d, meanPtr, scalePtr);
}

/** mean[j] = Σᵢ x[i][j] / n (row order), then x[i][j] −= mean[j] in place (float64 rows in scratch). */
export function centreF64(xPtr: number, n: number, d: number, meanPtr: number, arena: KernelArena = sharedArena): void {
  arena.kernels.centre_f64(xPtr, n, d, meanPtr);
}

/**
 * For n float64 rows (n × d at xPtr): proj[i] = x[i]·w, summed as matrix.ts's dot() sums, and
 * z[i] = (x[i] − mean) / scale, as scaleVector computes it (bit-identical to both).
 */
export function projectStandardise(xPtr: number, n: number, d: number, wPtr: number, meanPtr: number, scalePtr: number, zPtr: number, projPtr: number): void {
  kernels().project_standardise(xPtr, n, d, wPtr, meanPtr, scalePtr, zPtr, projPtr);
}

/** Level-1 operations on float64 vectors in scratch (byte offsets): L-BFGS's two-loop recursion. */
export const vectorOps = {
  dot: (aPtr: number, bPtr: number, len: number): number => kernels().dot(aPtr, bPtr, len),
  /** y += alpha·x */
  axpy: (alpha: number, xPtr: number, yPtr: number, len: number): void => kernels().axpy(alpha, xPtr, yPtr, len),
  /** y = alpha·y */
  scal: (alpha: number, yPtr: number, len: number): void => kernels().scal(alpha, yPtr, len),
};
