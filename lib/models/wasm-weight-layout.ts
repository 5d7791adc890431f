import * as tf from '@tensorflow/tfjs-core';

/**
 * The wasm backend's fast matmul for inference. tfjs-backend-wasm sends BatchMatMul to XNNPACK only for an
 * un-transposed, unbatched product; `x·Wᵀ` on HF's [out, in] weights takes a naive loop ~10× slower
 * (bench/runtime/cpu-wasm-matmul-paths.ts). So for inference each linear weight is transposed to [in, out] *in place*
 * (the same tensor, the same wasm memory: no second copy of the model) and multiplied without transposes through a
 * reshape view. The tensor keeps its HF shape; a registry of data ids says which ones currently hold [in, out] data,
 * so models that share weight tensors (a merged router reuses its base's MLP) agree on the layout.
 *
 * Everything that reads weights as HF tensors (DecoderModel.params: saving, merging, training) restores the layout
 * first. Gradients, LoRA and trainable variables use the HF layout, whose `x·Wᵀ` the BatchMatMul kernel
 * (lib/tensor/wasm-xnnpack-matmul.ts) transposes explicitly and sends to XNNPACK too: both paths give the same
 * numbers. Once `enableTraining()` has been called the in-place layout is off for the whole process (unless the caller
 * opts in), because tfjs-backend-wasm caches XNNPACK's packed weights per tensor: a frozen weight packed in one layout
 * under a gradient tape (`dy·W`) and then transposed in place would be multiplied with stale packed weights.
 * IMPOSTOR_WASM_FAST_MATMUL=0 turns it off.
 */

interface WasmBackendInternals {
  dataIdMap: { has(id: object): boolean; get(id: object): { memoryOffset: number } };
  wasm: { HEAPU8: Uint8Array };
}

/** Data ids whose memory holds the [in, out] transpose of the tensor's [out, in] shape. */
const transposed = new WeakSet<object>();
let offForTraining = false;

/** Called by enableTraining: inference keeps the HF-layout products from now on (see the packed-weight cache above). */
export function disableWasmFastMatMulForTraining(): void {
  offForTraining = true;
}

/** Whether inference on the active backend should use the [in, out] layout now (wasm, not under a gradient tape). */
export function wasmFastMatMulApplies(): boolean {
  return tf.getBackend() === 'wasm' && !offForTraining && process.env.IMPOSTOR_WASM_FAST_MATMUL !== '0' && tf.engine().state.gradientDepth === 0;
}

function wasmMemory(t: tf.Tensor): Float32Array | undefined {
  const backend = tf.engine().backend as unknown as Partial<WasmBackendInternals>;
  if (!backend.dataIdMap?.has(t.dataId) || !backend.wasm || t.dtype !== 'float32') return undefined;
  return new Float32Array(backend.wasm.HEAPU8.buffer, backend.dataIdMap.get(t.dataId).memoryOffset, t.size);
}

/** Transposes a [rows, cols] row-major matrix within its own memory (one JS-heap scratch copy, not on the wasm heap). */
function transposeInPlace(mem: Float32Array, rows: number, cols: number): void {
  const copy = mem.slice();
  for (let r = 0; r < rows; r++) {
    const from = r * cols;
    for (let c = 0; c < cols; c++) mem[c * rows + r] = copy[from + c]!;
  }
}

/**
 * W [out, in] as an [in, out] view for `x·view`, transposing its memory first if needed; undefined when the tensor
 * is not plain wasm f32 data (then the caller keeps `x·Wᵀ`). Trainable variables are never transposed.
 */
export function inputMajorView(w: tf.Tensor2D): tf.Tensor2D | undefined {
  if (w instanceof tf.Variable) return undefined;
  const [out, inp] = w.shape;
  if (!transposed.has(w.dataId)) {
    const mem = wasmMemory(w);
    if (!mem) return undefined;
    transposeInPlace(mem, out, inp);
    transposed.add(w.dataId);
  }
  return tf.reshape(w, [inp, out]);
}

/** Puts W's memory back in HF's [out, in] layout if inference had transposed it (exact: a permutation). */
export function restoreHfLayout(w: tf.Tensor): void {
  if (w.isDisposed || !transposed.has(w.dataId)) return;
  const [out, inp] = w.shape as [number, number];
  transposeInPlace(wasmMemory(w)!, inp, out);
  transposed.delete(w.dataId);
}
