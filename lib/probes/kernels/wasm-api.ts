/**
 * The slice of the WebAssembly JS API the probe kernels use. The project's lib settings carry no DOM/WebAssembly
 * types (tslab compiles notebooks against the same lib), so the two constructors are typed here once.
 */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Byte offsets of arrays laid out one after another from `start`, each 16-byte aligned (SIMD loads), and the end. */
export function alignedLayout(byteLengths: readonly number[], start: number): { offsets: number[]; end: number } {
  const offsets: number[] = [];
  let end = start;
  for (const bytes of byteLengths) {
    offsets.push(end);
    end += Math.ceil(bytes / 16) * 16;
  }
  return { offsets, end };
}

/** Grows a WebAssembly memory (64 KiB pages) so that it holds at least `bytes`; growing detaches earlier views. */
export function growMemoryTo(memory: { buffer: ArrayBuffer; grow(pages: number): number }, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / 65536));
}
