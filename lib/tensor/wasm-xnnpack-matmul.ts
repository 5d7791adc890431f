import * as tf from '@tensorflow/tfjs-core';

/**
 * Every product on the wasm backend through XNNPACK. tfjs-backend-wasm's BatchMatMul sends a product to XNNPACK only
 * when neither operand is transposed and neither has a batch dimension; everything else (`x·Wᵀ` on HF's [out, in]
 * weights, the weight gradients `xᵀ·dy`, the batched attention products QKᵀ and PV and their gradients) takes a naive
 * triple loop about 10× slower (bench/runtime/cpu-wasm-matmul-paths.ts). This kernel replaces BatchMatMul on wasm:
 * it transposes operands explicitly (the Transpose kernel, one pass over memory) and runs a batched product as one
 * unbatched XNNPACK product per batch entry, copying each slice within the wasm heap.
 *
 * The results are not bitwise those of the naive loop (another summation order, ≈1e-7 relative), so everything trained
 * on wasm was retrained when this was adopted. They are deterministic: single-threaded, and the same wasm SIMD
 * microkernels on every machine. IMPOSTOR_WASM_FAST_MATMUL=0 keeps tfjs's own kernel (and the inference weight
 * layout, wasm-weight-layout.ts), reproducing the numbers of organisms trained before it.
 */

interface WasmBackend {
  dataIdMap: { get(id: object): { memoryOffset: number } };
  wasm: { HEAPF32: Float32Array };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(id: object): void;
}

type MatMulArgs = { inputs: { a: tf.TensorInfo; b: tf.TensorInfo }; backend: WasmBackend; attrs: { transposeA: boolean; transposeB: boolean } };
type Kernel = (args: unknown) => tf.TensorInfo;

let installed = false;

/** Registers the kernel once per process, after the wasm backend is set (its own kernels are read here). */
export function installWasmXnnpackMatMul(): void {
  if (installed || process.env.IMPOSTOR_WASM_FAST_MATMUL === '0') return;
  const original = tf.getKernel('BatchMatMul', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!original || !transpose) throw new Error('the wasm backend has no BatchMatMul/Transpose kernel: initialise it first');
  const product = original.kernelFunc as Kernel;
  const transposeKernel = transpose.kernelFunc as Kernel;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({ ...original, kernelFunc: (args) => xnnpackMatMul(args as unknown as MatMulArgs, product, transposeKernel) });
  installed = true;
}

function xnnpackMatMul(args: MatMulArgs, product: Kernel, transposeKernel: Kernel): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  // Empty products keep tfjs's kernel.
  if (tf.util.sizeFromShape(inputs.a.shape) * tf.util.sizeFromShape(inputs.b.shape) === 0) return product(args);
  const transposed: tf.TensorInfo[] = [];
  const swapLast2 = (x: tf.TensorInfo): tf.TensorInfo => {
    const r = x.shape.length;
    const perm = [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2];
    const y = transposeKernel({ inputs: { x }, backend, attrs: { perm } });
    transposed.push(y);
    return y;
  };
  try {
    const a = attrs.transposeA ? swapLast2(inputs.a) : inputs.a;
    const b = attrs.transposeB ? swapLast2(inputs.b) : inputs.b;
    const [M, K] = a.shape.slice(-2) as [number, number];
    const N = b.shape[b.shape.length - 1]!;
    const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const plain = { transposeA: false, transposeB: false };
    const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
    if (tf.util.sizeFromShape(b.shape.slice(0, -2)) === 1) {
      // [batch, M, K]·[K, N] is one [batch·M, K]·[K, N] product on the same memory.
      const rows = { dataId: a.dataId, shape: [batchA * M, K], dtype: a.dtype };
      return { ...product({ inputs: { a: rows, b }, backend, attrs: plain }), shape: [...outer, M, N] };
    }
    const batch = tf.util.sizeFromShape(outer);
    const out = backend.makeOutput([batch, M, N], 'float32');
    for (let i = 0; i < batch; i++) {
      const [ia, ib] = [broadcastIndex(i, outer, a.shape.slice(0, -2)), broadcastIndex(i, outer, b.shape.slice(0, -2))];
      const ai = batchA === 1 ? a : sliceOf(backend, a, ia, [1, M, K]);
      const bi = sliceOf(backend, b, ib, [1, K, N]);
      try {
        const oi = product({ inputs: { a: ai, b: bi }, backend, attrs: plain });
        copyFloats(backend, oi, 0, out, i * M * N, M * N);
        backend.disposeData(oi.dataId);
      } finally {
        // Disposing the slice also drops the XNNPACK operator (packed weights) cached on it.
        if (ai !== a) backend.disposeData(ai.dataId);
        backend.disposeData(bi.dataId);
      }
    }
    return { ...out, shape: [...outer, M, N] };
  } finally {
    for (const t of transposed) backend.disposeData(t.dataId);
  }
}

/** The entry of an operand with outer dimensions `dims` that feeds entry `i` of the broadcast `outer` dimensions. */
function broadcastIndex(i: number, outer: number[], dims: number[]): number {
  let index = 0;
  let stride = 1;
  for (let d = 1; d <= outer.length; d++) {
    const size = dims[dims.length - d] ?? 1;
    const at = Math.floor(i / tf.util.sizeFromShape(outer.slice(outer.length - d + 1))) % outer[outer.length - d]!;
    if (size !== 1) index += at * stride;
    stride *= size;
  }
  return index;
}

/** Entry `i` of a batched tensor's leading dimension, copied into a new tensor of `shape`. */
function sliceOf(backend: WasmBackend, x: tf.TensorInfo, i: number, shape: number[]): tf.TensorInfo {
  const size = tf.util.sizeFromShape(shape);
  const slice = backend.makeOutput(shape, 'float32');
  copyFloats(backend, x, i * size, slice, 0, size);
  return slice;
}

function copyFloats(backend: WasmBackend, from: tf.TensorInfo, fromIndex: number, to: tf.TensorInfo, toIndex: number, count: number): void {
  // HEAPF32 is read after every allocation: the heap's views are replaced when wasm memory grows.
  const heap = backend.wasm.HEAPF32;
  const src = backend.dataIdMap.get(from.dataId).memoryOffset / 4 + fromIndex;
  const dst = backend.dataIdMap.get(to.dataId).memoryOffset / 4 + toIndex;
  heap.copyWithin(dst, src, src + count);
}
