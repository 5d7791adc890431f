/**
 * The slice of the WebAssembly JS API the probe kernels use. The project's lib settings carry no DOM/WebAssembly
 * types (tslab compiles notebooks against the same lib), so the two constructors are typed here once.
 */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
